package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.NginxProcess;
import io.jfcgi.fixture.e2e.RequiredTool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's php-cgi as the child, as spawn-fcgi runs it: no status channel, full supervision. */
class ForeignProgramIT {

    private static final Path PHP_CGI = Path.of("/usr/bin/php-cgi");

    @TempDir
    Path dir;

    @BeforeAll
    static void phpCgiAndNginxAreInstalled() {
        NginxProcess.assumeInstalled();
        RequiredTool.require(PHP_CGI.toString(), "php-cgi");
    }

    @Test
    void phpCgiChildrenServeThroughNginxAndAreReplacedWhenKilled() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("pid.php"), "<?php echo getmypid();");
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "--", "php-cgi");
                NginxProcess nginx = phpBehindNginx(docs, launch.port())) {
            Launch.await(Duration.ofSeconds(20), "two php-cgi children",
                    () -> launch.children().size() == 2 && launch.children().stream().allMatch(
                            pid -> Launch.comm(pid).equals("php-cgi")));
            List<Integer> children = launch.children();
            for (int child : children) {
                Set<String> fds = Set.of(Path.of("/proc/" + child + "/fd").toFile().list());
                assertTrue(fds.contains("0") && Files.readSymbolicLink(Path.of("/proc/" + child + "/fd/0"))
                        .toString().startsWith("socket:"), "fd 0 is the listener");
                assertFalse(fds.stream().anyMatch(fd -> Integer.parseInt(fd) >= 5 && !isPhpOwn(child, fd)),
                        "no fd of the launcher leaked: " + fds);
            }
            Set<String> served = new HashSet<>();
            Launch.await(Duration.ofSeconds(10), "both children answering", () -> {
                served.add(get(nginx, "/pid.php"));
                return served.containsAll(children.stream().map(String::valueOf).toList());
            });

            int victim = children.get(0);
            Launch.kill(victim, "KILL");
            Launch.await(Duration.ofSeconds(30), "a new php-cgi child serving", () -> {
                List<Integer> now = launch.children();
                return now.size() == 2 && !now.contains(victim) && now.contains(children.get(1))
                        && now.stream().allMatch(pid -> Launch.comm(pid).equals("php-cgi"));
            });
            Set<String> after = new HashSet<>();
            Launch.await(Duration.ofSeconds(10), "the replacement answering", () -> {
                after.add(get(nginx, "/pid.php"));
                return after.size() == 2;
            });
            assertFalse(after.contains(Integer.toString(victim)));

            List<Integer> last = launch.children();
            Launch.kill(launch.pid(), "TERM");
            assertEquals(0, launch.awaitExit(Duration.ofSeconds(30)), launch.output());
            for (int child : last) {
                assertFalse(Launch.alive(child));
            }
        }
    }

    @Test
    void phpCgiLeavingAfterItsOwnRequestLimitIsReplacedAtOnceWithoutAFailedRequest() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("pid.php"), "<?php echo getmypid();");
        try (Launch launch = Launch.shell(dir, "PHP_FCGI_MAX_REQUESTS=10 exec \"$JSPAWN\" -n -a 127.0.0.1 -p 0 -F 1 "
                + "-- php-cgi");
                NginxProcess nginx = phpBehindNginx(docs, launch.port())) {
            Set<String> pids = new HashSet<>();
            Launch.await(Duration.ofSeconds(20), "php-cgi answering", () -> get(nginx, "/pid.php").matches("\\d+"));
            for (int i = 0; i < 40; i++) {
                String body = get(nginx, "/pid.php");
                assertTrue(body.matches("\\d+"), "request " + i + ": " + body);
                pids.add(body);
                Thread.sleep(20); // a php-cgi lives 200 ms: a clean exit sooner than 100 ms counts as a failure
            }
            assertTrue(pids.size() >= 4, "a new php-cgi every 10 requests: " + pids);
            String output = launch.output();
            assertTrue(output.contains("exited with status 0 after"), output);
            assertFalse(output.contains("exited unexpectedly"), "a clean recycle is not a crash:\n" + output);
        }
    }

    @Test
    void dynamicPhpCgiPoolGrowsOnTheListenQueueAndRetiresOnlyChildrenWaitingInAccept() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("slow.php"), "<?php usleep(300000); echo getmypid();");
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--pm",
                "dynamic", "--start-children", "1", "--min-spare", "1", "--max-spare", "1", "--max-children", "3",
                "--idle-timeout", "1s", "--", "php-cgi");
                NginxProcess nginx = phpBehindNginx(docs, launch.port())) {
            Launch.await(Duration.ofSeconds(20), "php-cgi answering", () -> get(nginx, "/slow.php").matches("\\d+"));
            try (HttpLoad load = HttpLoad.start(nginx.url(""), 4, List.of("/slow.php"), 1_000,
                    Duration.ofSeconds(60))) {
                Launch.await(Duration.ofSeconds(20), "three php-cgi children under load",
                        () -> launch.children().size() == 3);
                load.stop();
                assertEquals(java.util.Map.of(), load.failures());
            }
            Launch.await(Duration.ofSeconds(20), "back to one idle child", () -> launch.children().size() == 1);
            String output = launch.output();
            assertTrue(output.contains("(more than --max-spare idle children)"), output);
            assertFalse(output.contains("exited unexpectedly"), output);
            assertTrue(get(nginx, "/slow.php").matches("\\d+"), "the remaining child serves");
        }
    }

    private NginxProcess phpBehindNginx(Path docs, int port) throws IOException, InterruptedException {
        return NginxProcess.start(dir.resolve("nginx"), String.join("\n",
                "server {",
                "  listen 127.0.0.1:%PORT%;",
                "  root " + docs + ";",
                "  location ~ \\.php$ {",
                "    include " + ShippedNginxConfig.DIRECTORY.resolve("fastcgi_params") + ";",
                "    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;",
                "    fastcgi_pass 127.0.0.1:" + port + ";",
                "  }",
                "}"));
    }

    /** php-cgi opens files of its own (its ini scan, /dev/urandom) once running; those are not leaks. */
    private static boolean isPhpOwn(int pid, String fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
            return !target.startsWith("pipe:") && !target.startsWith("socket:");
        } catch (IOException e) {
            return true; // closed meanwhile
        }
    }

    private static String get(NginxProcess nginx, String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(nginx.url(path))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

}
