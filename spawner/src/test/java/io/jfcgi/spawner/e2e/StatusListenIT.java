package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.NginxProcess;
import io.jfcgi.spawner.status.StatusPage;
import io.jfcgi.spawner.status.StatusPages;
import io.jfcgi.spawner.status.StatusSnapshot;
import io.jfcgi.spawner.status.TextPage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --status-listen end to end: a real launcher with two fixture children, nginx with nginx-conf/jfcgi-status.conf
 * included as an operator would, every format fetched through nginx (and read by its parser), and the status and ping
 * answering at once while every child is stopped with SIGSTOP.
 */
class StatusListenIT {

    private static final Duration START = Duration.ofSeconds(30);
    /** The launcher's line for a status listener bound with port 0: the port the kernel picked. */
    private static final Pattern STATUS_ON = Pattern.compile("status on 127\\.0\\.0\\.1:(\\d+):");
    private static final String POOL = "fixture-app.jar";

    @TempDir
    Path dir;

    private Launch launch;
    private NginxProcess nginx;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void nginxIsInstalled() {
        NginxProcess.assumeInstalled();
    }

    @BeforeEach
    void start() throws Exception {
        Path statusSocket = dir.resolve("jspawn-status.sock");
        launch = Launch.of(dir, "-n", "-p", "0", "-F", "2", "-P", dir.resolve("jspawn.pid")
                .toString(), "--status-listen", statusSocket.toString(), "--", Launch.FIXTURE.toString());
        nginx = startNginx(launch.port());
        Launch.await(START, "two children ready; launcher:\n" + launch.outputText(),
                () -> launch.linesWith("is ready after") == 2);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (nginx != null) {
                nginx.close();
            }
        } finally {
            launch.close();
        }
    }

    /** nginx as the operator sets it up: nginx-conf/ copied as jfcgi/, the status file included in the server. */
    private NginxProcess startNginx(int poolPort) throws IOException, InterruptedException {
        Path nginxDir = dir.resolve("nginx");
        Files.createDirectories(nginxDir.resolve("jfcgi"));
        Files.copy(ShippedNginxConfig.DIRECTORY.resolve("fastcgi_params"), nginxDir.resolve("jfcgi/fastcgi_params"));
        Files.writeString(nginxDir.resolve("jfcgi/jfcgi-status.conf"),
                Files.readString(ShippedNginxConfig.DIRECTORY.resolve("jfcgi-status.conf"))
                        .replace("unix:/run/jfcgi/", "unix:" + dir + "/"));
        return NginxProcess.start(nginxDir, String.join("\n",
                "server {",
                "  listen 127.0.0.1:%PORT%;",
                "  include jfcgi/jfcgi-status.conf;",
                "  location / { include jfcgi/fastcgi_params; fastcgi_pass 127.0.0.1:" + poolPort + "; }",
                "}"));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(nginx.url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String getOk(String path) {
        try {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void everyFormatComesThroughNginxWithAndWithoutTheChildren() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertEquals("Hello, World!", getOk("/hello?n=" + i));
        }
        Launch.await(Duration.ofSeconds(10), "a child's latest request shown",
                () -> getOk("/status?json&full").contains("\"request URI\":\"/hello?n="));
        for (StatusPage page : List.of(StatusPage.JSON, StatusPage.XML, StatusPage.HTML, StatusPage.OPENMETRICS)) {
            for (boolean full : new boolean[] {false, true}) {
                String path = "/status?" + page.name().toLowerCase() + (full ? "&full" : "");
                HttpResponse<String> response = get(path);
                assertEquals(200, response.statusCode(), path);
                assertEquals(page.contentType(), response.headers().firstValue("Content-Type").orElse(""), path);
                String summary = StatusPages.read(page, response.body());
                assertTrue(summary.startsWith("{\"pool\": \"" + POOL + "\", \"accepted\": "), path + ": " + summary);
                assertEquals(full ? 2 : 0, summary.split("\\[\\d+, ", -1).length - 1, path + ": " + summary);
                assertTrue(!full || summary.contains(", \"/hello?n="), path + ": " + summary);
                assertTrue(!summary.contains(": null"), path + ": every count the children report: " + summary);
            }
        }
        StatusSnapshot text = TextPage.parse(getOk("/status?full"));
        assertEquals(POOL, text.value("pool"));
        assertEquals("2", text.value("total processes"));
        assertEquals(2, text.processes().size());
        assertEquals("pong", getOk("/ping"));
    }

    @Test
    void theStatusCommandShowsTheSameFieldsAsThePage() throws Exception {
        Launch.await(Duration.ofSeconds(10), "the status file", () -> Files.exists(dir.resolve("jspawn.pid.status")));
        Process command = new ProcessBuilder(Launch.LAUNCHER.toString(), "status", "-P",
                dir.resolve("jspawn.pid").toString()).redirectErrorStream(true).start();
        String shown = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, command.waitFor(), shown);
        StatusSnapshot fromCommand = TextPage.parse(shown);
        StatusSnapshot fromPage = TextPage.parse(getOk("/status?full"));
        assertEquals(names(fromPage.pool()), names(fromCommand.pool()));
        assertEquals(names(fromPage.processes().get(0)), names(fromCommand.processes().get(0)));
        assertEquals(fromPage.value("pool"), fromCommand.value("pool"));
    }

    private static List<String> names(List<StatusSnapshot.Field> fields) {
        return fields.stream().map(StatusSnapshot.Field::name).toList();
    }

    @Test
    void statusAndPingAnswerAtOnceWhileEveryChildIsStopped() throws Exception {
        List<Integer> children = launch.children();
        assertEquals(2, children.size(), launch.outputText());
        try {
            for (int child : children) {
                Launch.kill(child, "STOP");
            }
            Launch.await(Duration.ofSeconds(10), "both children stopped",
                    () -> children.stream().allMatch(StatusListenIT::isStopped));
            long start = System.nanoTime();
            assertEquals("pong", getOk("/ping"));
            StatusSnapshot status = TextPage.parse(getOk("/status?full"));
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(tookMillis < 2000, "ping and status took " + tookMillis + " ms");
            assertEquals("2", status.value("total processes"));
            // The snapshot is a second old at most, and the children are silent since they stopped: it shows.
            Launch.await(Duration.ofSeconds(10), "the children's silence shown", () -> Long.parseLong(
                    TextPage.parse(getOk("/status")).value("max heartbeat age ms")) >= 2000);
        } finally {
            for (int child : children) {
                Launch.kill(child, "CONT");
            }
        }
    }

    private static boolean isStopped(int pid) {
        String stat = Launch.read(Path.of("/proc/" + pid + "/stat"));
        int end = stat.lastIndexOf(')');
        return end > 0 && stat.length() > end + 2 && stat.charAt(end + 2) == 'T';
    }

    @Test
    void aTcpStatusListenerAnswersTheProjectsFastCgiClient() throws Exception {
        // Port 0: the launcher binds once and names the port, so no other run can take it in between.
        try (Launch tcp = Launch.of(dir, "-n", "-p", "0", "--status-listen", "0", "--", Launch.FIXTURE.toString())) {
            int[] named = {0};
            Launch.await(START, "the launcher naming its status port; launcher:\n" + tcp.outputText(), () -> {
                Matcher status = STATUS_ON.matcher(tcp.outputText());
                if (status.find()) {
                    named[0] = Integer.parseInt(status.group(1));
                }
                return named[0] != 0;
            });
            String address = "127.0.0.1:" + named[0];
            assertEquals("pong", Launch.request(address, "/ping"));
            Launch.await(START, "the pool in OpenMetrics", () -> {
                try {
                    String page = Launch.request(address, "/status?openmetrics&full");
                    return page != null && page.contains("jspawn_fcgi_process_info{") && page.endsWith("# EOF\n");
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
        }
    }
}
