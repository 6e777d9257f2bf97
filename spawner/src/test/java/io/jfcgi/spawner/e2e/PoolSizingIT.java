package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.NginxProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool's size over time: PHP-FPM's dynamic pool under load and idle, and --max-requests recycling. */
class PoolSizingIT {

    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @BeforeAll
    static void nginxIsInstalled() {
        NginxProcess.assumeInstalled();
    }

    @Test
    void dynamicPoolGrowsUnderLoadAndShrinksToMaxSpareWhenIdle() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--pm", "dynamic",
                "--start-children", "1", "--min-spare", "1", "--max-spare", "2", "--max-children", "5",
                "--idle-timeout", "1s", "--", Launch.FIXTURE.toString());
                NginxProcess nginx = ShippedNginxConfig.start(dir.resolve("nginx"), "jfcgi-tcp.conf",
                        new int[] {launch.port()}, dir)) {
            Launch.await(START, "the first child ready", () -> launch.linesWith("is ready after") == 1);
            try (HttpLoad load = HttpLoad.start(nginx.url(""), 8, List.of("/sleep?ms=300"), 2_000,
                    Duration.ofSeconds(60))) {
                Launch.await(Duration.ofSeconds(20), "the pool grown to 4 or more under load",
                        () -> launch.children().size() >= 4);
                assertTrue(launch.children().size() <= 5, "never above --max-children");
                load.stop();
                assertEquals(Map.of(), load.failures());
            }
            Launch.await(Duration.ofSeconds(30), "the idle pool shrunk to --max-spare 2",
                    () -> launch.children().size() == 2);
            String output = launch.output();
            assertTrue(output.contains("(more than --max-spare idle children)"), output);
            Thread.sleep(2500); // two more ticks: it stays at the spare bounds
            assertEquals(2, launch.children().size(), output);
        }
    }

    @Test
    void ondemandPoolStartsAChildForTheFirstRequestAndRetiresItWhenIdle() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        // Daemon mode: with no child to wait for, the command returns as soon as the socket is bound.
        Launch command = Launch.of(dir, "-a", "127.0.0.1", "-p", "0", "-P", pidFile.toString(),
                "--pm", "ondemand", "--max-children", "2", "--idle-timeout", "1s", "--", Launch.FIXTURE.toString());
        try (Launch.Daemon daemon = command.daemon(pidFile, START)) {
            assertEquals(0, daemon.exitCode(), command.output());
            int launcher = daemon.pid();
            String address = "127.0.0.1:" + command.port();
            assertEquals(List.of(), Launch.childrenOf(launcher), "no child before the first connection");
            assertEquals("Hello, World!", Launch.request(address, "/hello"), "the connection waits for a child");
            // One child for one connection; it may already have retired after its 1 s idle on a slow machine.
            assertTrue(Launch.childrenOf(launcher).size() <= 1, "one child at most");
            Launch.await(Duration.ofSeconds(20), "the idle child retired", () -> Launch.childrenOf(launcher).isEmpty());
            assertEquals("Hello, World!", Launch.request(address, "/hello"), "and started again when needed");
        }
    }

    @Test
    void childIsRecycledAfterMaxRequestsWithoutAFailedRequest() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "1",
                "--max-requests", "20", "--max-requests-jitter", "0", "--", Launch.FIXTURE.toString());
                NginxProcess nginx = ShippedNginxConfig.start(dir.resolve("nginx"), "jfcgi-tcp.conf",
                        new int[] {launch.port()}, dir)) {
            Launch.await(START, "the child ready", () -> launch.linesWith("is ready after") == 1);
            HttpClient client = HttpClient.newHttpClient();
            Set<String> pids = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int requests = 0;
            while (pids.size() < 3 && System.nanoTime() < deadline) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(nginx.url("/pid")))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), "request " + requests + ": " + response.body());
                pids.add(response.body());
                requests++;
                Thread.sleep(10);
            }
            assertEquals(3, pids.size(), "three generations of children within 30 s, after " + requests + " requests");
            // The second generation has served its 20 too, so it is being retired; wait for it to be gone.
            Launch.await(Duration.ofSeconds(20), "two children retired after --max-requests",
                    () -> launch.linesWith("(--max-requests); replaced by child") >= 2);
            Matcher retired = Pattern.compile("stopped \\(served (\\d+) requests \\(--max-requests\\); replaced by")
                    .matcher(launch.output());
            int count = 0;
            while (retired.find()) {
                assertTrue(Integer.parseInt(retired.group(1)) >= 20, retired.group());
                count++;
            }
            assertTrue(count >= 2, launch.output());
        }
    }

}
