package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.NginxProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped nginx configurations, each checked by nginx -t and served end to end by a jspawn-fcgi pool. */
class NginxConfigIT {

    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @BeforeAll
    static void nginxIsInstalled() {
        NginxProcess.assumeInstalled();
    }

    @Test
    void everyShippedConfigurationPassesNginxDashT() throws Exception {
        List<Path> files = ShippedNginxConfig.all();
        assertEquals(Set.of("jfcgi-tcp.conf", "jfcgi-unix.conf", "jfcgi-keepalive.conf", "jfcgi-scale-out.conf"),
                Set.copyOf(files.stream().map(f -> f.getFileName().toString()).toList()));
        for (Path file : files) {
            // start() runs nginx -t first and fails with nginx's own message when a file is rejected. With no pool
            // behind it, nginx serving the file answers 502: it listens, and it passes /hello to FastCGI.
            try (SocketChannel first = refusingPort(); SocketChannel second = refusingPort();
                    NginxProcess nginx = ShippedNginxConfig.start(dir.resolve(file.getFileName() + ".d"),
                            file.getFileName().toString(), new int[] {port(first), port(second)}, dir)) {
                assertEquals(502, get(nginx, "/hello").statusCode(), file + ": " + nginx.errorLog());
            }
        }
    }

    @Test
    void tcpConfigurationServesAPoolStartedAsTheFileSays() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "--",
                Launch.FIXTURE.toString());
                NginxProcess nginx = ShippedNginxConfig.start(dir.resolve("nginx"), "jfcgi-tcp.conf",
                        new int[] {launch.port()}, dir)) {
            awaitPage(nginx, launch);
            assertEquals("Hello, World!", get(nginx, "/hello").body());
        }
    }

    @Test
    void unixConfigurationServesThroughTheSocketFile() throws Exception {
        Path socket = dir.resolve("app.sock");
        try (Launch launch = Launch.of(dir, "-n", "-s", socket.toString(), "--", Launch.FIXTURE.toString());
                NginxProcess nginx = ShippedNginxConfig.start(dir.resolve("nginx"), "jfcgi-unix.conf", new int[0],
                        dir)) {
            awaitPage(nginx, launch);
            assertTrue(get(nginx, "/params").body().contains("REQUEST_URI=/params\n"));
        }
    }

    /** Two reloads in a row while requests run: over kept connections (retried by nginx) and one per request. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jfcgi-keepalive.conf", "jfcgi-tcp.conf"})
    void rollingReloadUnderLoadFailsNoRequest(String config) throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2",
                "--stop-timeout", "10s", "--", Launch.FIXTURE.toString());
                NginxProcess nginx = ShippedNginxConfig.start(dir.resolve("nginx"), config,
                        new int[] {launch.port()}, dir)) {
            awaitPage(nginx, launch);
            Launch.await(START, "two children ready", () -> launch.linesWith("is ready after") == 2);
            List<Integer> before = launch.children();
            try (HttpLoad load = HttpLoad.start(nginx.url(""), 6, List.of("/hello", "/sleep?ms=20", "/pid"),
                    200_000, Duration.ofSeconds(90))) {
                for (int reload = 1; reload <= 2; reload++) {
                    Thread.sleep(300);
                    Launch.kill(launch.pid(), "HUP");
                    int replaced = 2 * reload;
                    try {
                        Launch.await(Duration.ofSeconds(40), "reload " + reload + " replaced both children",
                                () -> launch.linesWith("stopped (reload; replaced by child") == replaced);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + "; launcher:\n" + launch.outputText(), e);
                    }
                }
                Thread.sleep(300); // load on the newest children only
                load.stop();
                assertEquals(Map.of(), load.failures(), "failed requests; launcher:\n" + launch.outputText());
                assertTrue(load.succeeded() > 100, "the load ran: " + load.succeeded());
            }
            List<Integer> after = launch.children();
            assertEquals(2, after.size(), before + " -> " + after + "; launcher:\n" + launch.outputText());
            assertTrue(after.stream().noneMatch(before::contains), before + " -> " + after);
        }
    }

    @Test
    void scaleOutConfigurationKeepsServingWhenOneLauncherStops() throws Exception {
        try (Launch a = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--", Launch.FIXTURE.toString());
                Launch b = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--", Launch.FIXTURE.toString());
                NginxProcess nginx = ShippedNginxConfig.start(dir.resolve("nginx"), "jfcgi-scale-out.conf",
                        new int[] {a.port(), b.port()}, dir)) {
            awaitPage(nginx, a);
            Launch.await(START, "both launchers ready",
                    () -> a.linesWith("is ready") == 1 && b.linesWith("is ready") == 1);
            Set<String> pids = new HashSet<>();
            try (HttpLoad load = HttpLoad.start(nginx.url(""), 4, List.of("/sleep?ms=10"), 100_000,
                    Duration.ofSeconds(60))) {
                Launch.await(Duration.ofSeconds(10), "both backends answering", () -> {
                    pids.add(get(nginx, "/pid").body());
                    return pids.size() == 2;
                });
                Launch.kill(a.pid(), "TERM");
                assertEquals(0, a.awaitExit(Duration.ofSeconds(30)), a.output());
                Thread.sleep(500);
                load.stop();
                assertEquals(Map.of(), load.failures(), "failed requests");
            }
            assertEquals(b.children().get(0).toString(), get(nginx, "/pid").body());
        }
    }

    /**
     * A loopback port that refuses connections (bound, never listening) and that no other run can bind while the
     * channel is open: a FastCGI address nginx answers 502 for.
     */
    private static SocketChannel refusingPort() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static int port(SocketChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private static void awaitPage(NginxProcess nginx, Launch launch) throws InterruptedException {
        Launch.await(START, "a page through nginx; launcher:\n" + launch.outputText(),
                () -> get(nginx, "/hello").statusCode() == 200);
    }

    private static HttpResponse<String> get(NginxProcess nginx, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nginx.url(path)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
