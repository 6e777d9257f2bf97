package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness (--heartbeat-timeout): a child frozen with SIGSTOP, as a GC storm or swapping would freeze it, falls
 * silent on its status channel; the launcher kills it (SIGQUIT cannot reach a stopped process, SIGKILL can) and
 * starts another, while the pool's other child answers every request.
 */
class FrozenChildIT {

    private static final Duration START = Duration.ofSeconds(30);
    /** Detection (2 s), the grace before SIGKILL (2 s) and a JVM's start, with room for a busy machine. */
    private static final Duration REPLACED = Duration.ofSeconds(60);
    private static final int MAX_REQUESTS = 2000;

    @TempDir
    Path dir;

    @Test
    void aStoppedChildIsKilledAndReplacedWhileThePoolAnswersOn() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        int frozen = -1;
        // Heartbeats come every second: 5 s of silence leaves a loaded machine's healthy child four to spare.
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2",
                "-P", pidFile.toString(), "--heartbeat-timeout", "5", "--", Launch.FIXTURE.toString())) {
            int port = launch.port();
            String address = "127.0.0.1:" + port;
            Launch.await(START, "two children ready", () -> launch.linesWith("is ready after") == 2);
            List<Integer> children = launch.children();
            frozen = children.get(0);
            int healthy = children.get(1);
            Launch.kill(frozen, "STOP");

            List<String> failures = new ArrayList<>();
            int answered = 0;
            long deadline = System.nanoTime() + REPLACED.toNanos();
            while (Launch.alive(frozen) || launch.linesWith("is ready after") < 3) {
                assertTrue(System.nanoTime() < deadline && answered + failures.size() < MAX_REQUESTS,
                        "the frozen child killed and replaced within " + REPLACED + "; launcher:\n"
                                + launch.outputText());
                String body = Launch.request(address, "/hello");
                if ("Hello, World!".equals(body)) {
                    answered++;
                } else {
                    failures.add(String.valueOf(body));
                }
            }
            assertEquals(List.of(), failures, "every request answered meanwhile (" + answered + " were)");

            String output = launch.outputText();
            assertTrue(output.contains("child " + frozen + " has sent nothing for"), output);
            assertTrue(output.contains("child " + frozen + " is still silent 2000 ms after SIGQUIT"), output);
            assertTrue(Launch.alive(healthy), "the child that kept its heartbeat is left alone");
            Launch.await(Duration.ofSeconds(10), "two children again", () -> launch.children().size() == 2);
            Launch.await(Duration.ofSeconds(10), "the frozen child counted in the status",
                    () -> Launch.read(dir.resolve("app.pid.status")).matches("(?s).*\\nfrozen children: +1\\n.*"));
            for (int i = 0; i < 5; i++) {
                assertEquals("Hello, World!", Launch.request(address, "/hello"), "request " + i + " after");
            }
        } finally {
            if (frozen > 0 && Launch.alive(frozen)) { // a failed test must not leave a stopped JVM behind
                Launch.kill(frozen, "CONT");
                Launch.kill(frozen, "KILL");
            }
        }
    }
}
