package io.jfcgi.servlet.e2e;

import io.jfcgi.fixture.e2e.NginxProcess;
import io.jfcgi.fixture.e2e.SpawnFcgi;
import io.jfcgi.servlet.TestWars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner as a spawned child: spawn-fcgi binds the socket and hands it to two runner processes on fd 0 (as
 * jspawn-fcgi does), nginx in front. Each child deployed the WAR on its own; when one dies the other serves on.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SpawnedWarIT {

    @TempDir
    static Path dir;
    static SpawnFcgi.Spawned spawned;
    static NginxProcess nginx;

    @BeforeAll
    static void start() throws Exception {
        Path war = TestWars.zip(TestWars.exploded(dir, "plain", "io.jfcgi.servlet.testwar"), dir.resolve("plain.war"));
        spawned = SpawnFcgi.start(dir, 2, RunnerProcess.javaBinary(), "-jar",
                RunnerProcess.JAR.toAbsolutePath().toString(), war.toString(), "--context-path", "/shop");
        assertEquals(2, spawned.children().size(), spawned.output());
        nginx = NginxProcess.start(dir.resolve("nginx"), String.join("\n",
                "server {",
                "  listen 127.0.0.1:%PORT%;",
                "  location /shop {",
                "    include " + ServedWar.FASTCGI_PARAMS + ";",
                "    fastcgi_pass 127.0.0.1:" + spawned.port() + ";",
                "  }",
                "}"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (nginx != null) {
                nginx.close();
            }
        } finally {
            if (spawned != null) {
                spawned.stop();
            }
        }
    }

    /** GETs until the WAR answers (each child deploys it in its own time), at most 30 s. */
    private static HttpResponse<String> getWhenReady(String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = ServedWar.HTTP.send(HttpRequest.newBuilder(URI.create(nginx.url(path)))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 502 || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void bothChildrenServeTheWarFromTheSocketOnFd0AndOneSurvivesTheOther() throws Exception {
        HttpResponse<String> first = getWhenReady("/shop/echo/a?q=1");
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains("servletPath=/echo\npathInfo=/a\nq=1\n"), first.body());
        ProcessHandle victim = spawned.children().get(0);
        victim.destroyForcibly();
        victim.onExit().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = getWhenReady("/shop/echo/b");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("pid=" + spawned.children().get(1).pid()), response.body());
        }
    }
}
