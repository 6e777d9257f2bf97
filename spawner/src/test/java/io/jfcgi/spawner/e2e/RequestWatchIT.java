package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.NginxProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jspawn-fcgi's --slowlog, --slowlog-timeout, --max-queue-wait and --access-log reach its .jar children, behind a
 * real nginx with the shipped fastcgi_params, and the children's counts reach {@code jspawn-fcgi status}.
 */
class RequestWatchIT {

    private static final Duration START = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void theOptionsReachTheChildrenAndTheirCountsReachTheStatus() throws Exception {
        NginxProcess.assumeInstalled();
        Path pidFile = dir.resolve("app.pid");
        Path slowlog = dir.resolve("slow.log");
        Path accessLog = dir.resolve("access.json");
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "-P",
                pidFile.toString(), "--slowlog", slowlog.toString(), "--slowlog-timeout", "1s", "--max-queue-wait",
                "2s", "--access-log", accessLog.toString(), "--", Launch.FIXTURE.toString());
             NginxProcess nginx = NginxProcess.start(dir.resolve("nginx"), String.join("\n",
                     "upstream pool { server 127.0.0.1:" + launch.port() + "; keepalive 4; }",
                     "server {",
                     "  listen 127.0.0.1:%PORT%;",
                     "  location / {",
                     "    include " + ShippedNginxConfig.DIRECTORY.resolve("fastcgi_params") + ";",
                     "    fastcgi_param REQUEST_START $http_x_request_start if_not_empty;",
                     "    fastcgi_pass pool;",
                     "    fastcgi_keep_conn on;",
                     "  }",
                     "}"))) {
            Launch.await(START, "two children serving", () -> launch.children().size() == 2
                    && serves(nginx));
            // Until Log4j has started in a child, its watchdog may wait on it (a loaded machine takes seconds).
            Launch.await(START, "logging started in both children",
                    () -> launch.outputText().split("FastCgiServer serving FastCGI", -1).length == 3);
            List<Integer> children = launch.children();

            assertEquals(200, get(nginx, "/sleep?ms=8000", null).statusCode());
            awaitOrExplain(launch, "the slowlog entry", () -> Launch.read(slowlog).contains("GET /sleep?ms=8000"),
                    slowlog, accessLog);
            String entry = Launch.read(slowlog);
            assertTrue(entry.contains("io.jfcgi.fixture.FixtureApp.sleep("), entry);
            assertTrue(children.contains(pidOf(entry, "\\] pid (\\d+)\n")), "a child wrote it: " + entry);

            HttpResponse<String> shed = get(nginx, "/hello", "t=" + (System.currentTimeMillis() - 10_000) * 1000);
            assertEquals(503, shed.statusCode());
            assertEquals("1", shed.headers().firstValue("Retry-After").orElse(""));

            Launch.await(START, "the counts in jspawn-fcgi status", () -> {
                String status = status(pidFile);
                return status.matches("(?s).*\nslow requests: +1\n.*") && status.matches("(?s).*\nshed requests: +1\n.*");
            });
            String lines = Launch.read(accessLog);
            assertTrue(lines.lines().anyMatch(l -> l.contains("\"uri\":\"/sleep?ms=8000\",\"status\":200")), lines);
            assertTrue(lines.lines().anyMatch(l -> l.contains("\"uri\":\"/hello\",\"status\":503")), lines);
            for (String line : lines.lines().toList()) {
                assertTrue(children.contains(pidOf(line, "\"pid\":(\\d+),")), "a child wrote it: " + line);
            }
        }
    }

    /** As Launch.await, and a failure shows the launcher's output and the logs so far. */
    private static void awaitOrExplain(Launch launch, String what, java.util.function.BooleanSupplier condition,
            Path... logs) throws InterruptedException {
        try {
            Launch.await(START, what, condition);
        } catch (AssertionError e) {
            StringBuilder explanation = new StringBuilder(e.getMessage()).append("\nlauncher: ")
                    .append(launch.outputText());
            for (Path log : logs) {
                explanation.append('\n').append(log).append(": ").append(Launch.read(log));
            }
            throw new AssertionError(explanation.toString(), e);
        }
    }

    private String status(Path pidFile) {
        try {
            return Launch.status(dir, pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int pidOf(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static boolean serves(NginxProcess nginx) {
        try {
            return get(nginx, "/hello", null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpResponse<String> get(NginxProcess nginx, String path, String requestStart)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(nginx.url(path))).timeout(Duration.ofSeconds(30));
        if (requestStart != null) {
            request.header("X-Request-Start", requestStart);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
