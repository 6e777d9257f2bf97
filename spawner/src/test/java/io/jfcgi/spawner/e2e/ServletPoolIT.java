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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jspawn-fcgi -F 3 -- app} on an exploded WAR, behind the shipped nginx configurations: each child is a
 * servlet runner that deployed the plain test WAR of the servlet module on its own (the launcher finds
 * servlet/target/jfcgi-servlet-runner.jar beside its own jar, as in any checkout). Here rather than in the servlet
 * module: the spawner is built after the servlet module (its archive ships the runner), so only its tests can run
 * both; the WAR is made of what the servlet module compiled (servlet/target/test-classes), with no dependency.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServletPoolIT {

    private static final int CHILDREN = 3;
    /** Three JVMs deploying a WAR at once on a busy machine. */
    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    Path war;

    @BeforeAll
    static void toolsAndBuildArePresent() {
        NginxProcess.assumeInstalled();
        TestWar.assertBuilt();
    }

    @BeforeEach
    void explodeTheWar() throws IOException {
        war = TestWar.explode(dir);
    }

    @Test
    void requestsSpreadOverSeveralChildren() throws Exception {
        try (Launch launch = pool(); NginxProcess nginx = nginx("jfcgi-tcp.conf", launch.port())) {
            awaitReady(launch, CHILDREN);
            Set<String> pids = new ConcurrentSkipListSet<>();
            // Concurrent clients, a connection per request (jfcgi-tcp.conf): each is accepted by whichever child
            // the kernel wakes. Bounded: at most 2000 requests or 60 s, until every child has answered.
            try (HttpLoad load = HttpLoad.start(nginx.url(""), 6, List.of("/hello", "/echo/a"), 2000,
                    Duration.ofSeconds(60))) {
                Launch.await(Duration.ofSeconds(60), "answers from every child", () -> {
                    pids.add(pidOf(get(nginx, "/echo/spread")));
                    return pids.size() == CHILDREN;
                });
                load.stop();
                assertEquals(Map.of(), load.failures(), "failed requests; launcher:\n" + launch.outputText());
            }
            assertEquals(asStrings(launch.children()), pids);
        }
    }

    @Test
    void aReloadUnderLoadReplacesEveryChildAndFailsNoRequest() throws Exception {
        try (Launch launch = pool(); NginxProcess nginx = nginx("jfcgi-keepalive.conf", launch.port())) {
            awaitReady(launch, CHILDREN);
            List<Integer> before = launch.children();
            try (HttpLoad load = HttpLoad.start(nginx.url(""), 4, List.of("/hello", "/echo/a?q=1"), 100_000,
                    Duration.ofSeconds(150))) {
                Launch.await(Duration.ofSeconds(20), "the load running", () -> load.succeeded() > 50);
                Launch.kill(launch.pid(), "HUP");
                try {
                    Launch.await(Duration.ofSeconds(120), "every child replaced",
                            () -> launch.linesWith("stopped (reload; replaced by child") == CHILDREN);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; launcher:\n" + launch.outputText(), e);
                }
                long afterReload = load.succeeded();
                Launch.await(Duration.ofSeconds(20), "the new children answering", () -> load.succeeded()
                        > afterReload + 50);
                load.stop();
                assertEquals(Map.of(), load.failures(), "failed requests; launcher:\n" + launch.outputText());
            }
            List<Integer> after = launch.children();
            assertEquals(CHILDREN, after.size(), before + " -> " + after + "; launcher:\n" + launch.outputText());
            assertTrue(after.stream().noneMatch(before::contains), before + " -> " + after);
        }
    }

    @Test
    void aChildKilledWithSigkillIsReplacedWhileTheOthersKeepAnswering() throws Exception {
        try (Launch launch = pool(); NginxProcess nginx = nginx("jfcgi-tcp.conf", launch.port())) {
            awaitReady(launch, CHILDREN);
            List<Integer> before = launch.children();
            int victim = before.get(0);
            Launch.kill(victim, "KILL");
            Launch.await(Duration.ofSeconds(10), "the victim gone", () -> !Launch.alive(victim));
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = get(nginx, "/echo/after-kill");
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(before.contains(Integer.parseInt(pidOf(response))), response.body());
            }
            awaitReady(launch, CHILDREN + 1);
            List<Integer> after = launch.children();
            assertEquals(CHILDREN, after.size(), before + " -> " + after);
            int replacement = after.stream().filter(pid -> !before.contains(pid)).findFirst().orElseThrow();
            assertTrue(launch.output().contains("child " + victim + " exited unexpectedly with signal 9"),
                    launch.output());
            Launch.await(Duration.ofSeconds(60), "the replacement answering",
                    () -> pidOf(get(nginx, "/echo/replacement")).equals(Integer.toString(replacement)));
        }
    }

    private Launch pool() throws IOException {
        return Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F",
                Integer.toString(CHILDREN), "--stop-timeout", "10s", "--", war.toString());
    }

    private NginxProcess nginx(String shippedConfig, int port) throws IOException, InterruptedException {
        return ShippedNginxConfig.start(dir.resolve("nginx"), shippedConfig, new int[] {port}, dir);
    }

    /** Until {@code count} children have been ready in this launch (replacements count too). */
    private static void awaitReady(Launch launch, int count) throws InterruptedException {
        try {
            Launch.await(START, count + " children ready", () -> launch.linesWith("is ready after") >= count);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; launcher:\n" + launch.outputText(), e);
        }
    }

    /** The pid EchoServlet prints, "" when the answer has none. */
    private static String pidOf(HttpResponse<String> response) {
        return response.body().lines().filter(line -> line.startsWith("pid=")).map(line -> line.substring(4))
                .findFirst().orElse("");
    }

    private static Set<String> asStrings(List<Integer> pids) {
        return new TreeSet<>(pids.stream().map(String::valueOf).toList());
    }

    private static HttpResponse<String> get(NginxProcess nginx, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(nginx.url(path))).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
