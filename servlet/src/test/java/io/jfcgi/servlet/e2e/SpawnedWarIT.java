package io.jfcgi.servlet.e2e;

import io.jfcgi.fixture.e2e.NginxProcess;
import io.jfcgi.fixture.e2e.Ports;
import io.jfcgi.fixture.e2e.RequiredTool;
import io.jfcgi.servlet.TestWars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    static final List<ProcessHandle> children = new ArrayList<>();
    static NginxProcess nginx;

    @BeforeAll
    static void start() throws Exception {
        Path spawnFcgi = RequiredTool.require("/usr/bin/spawn-fcgi", "spawn-fcgi");
        Path war = TestWars.zip(TestWars.exploded(dir, "plain", "io.jfcgi.servlet.testwar"), dir.resolve("plain.war"));
        int port = Ports.free();
        Path pidFile = dir.resolve("children.pid");
        Process spawn = new ProcessBuilder(spawnFcgi.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-F", "2", "-P", pidFile.toString(), "--", RunnerProcess.javaBinary(), "-jar",
                RunnerProcess.JAR.toAbsolutePath().toString(), war.toString(), "--context-path", "/shop")
                .redirectErrorStream(true).redirectOutput(dir.resolve("spawn.log").toFile()).start();
        assertEquals(0, spawn.waitFor(), Files.readString(dir.resolve("spawn.log")));
        for (String line : Files.readAllLines(pidFile)) {
            if (!line.isBlank()) {
                ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(children::add);
            }
        }
        assertEquals(2, children.size(), Files.readString(pidFile));
        nginx = NginxProcess.start(dir.resolve("nginx"), String.join("\n",
                "server {",
                "  listen 127.0.0.1:%PORT%;",
                "  location /shop {",
                "    include " + ServedWar.FASTCGI_PARAMS + ";",
                "    fastcgi_pass 127.0.0.1:" + port + ";",
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
            for (ProcessHandle child : children) {
                child.destroy();
                child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
                    child.destroyForcibly();
                    return child;
                }).join();
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
        ProcessHandle victim = children.get(0);
        victim.destroyForcibly();
        victim.onExit().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = getWhenReady("/shop/echo/b");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("pid=" + children.get(1).pid()), response.body());
        }
    }
}
