package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor's other duties: resizing on signals, memory limits, its own death, and life as PID 1. */
class SupervisionIT {

    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void ttinAddsAChildAndTtouTakesOneAway() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "--",
                "sleep", "300")) {
            Launch.await(START, "two children", () -> launch.children().size() == 2);
            Launch.kill(launch.pid(), "TTIN");
            Launch.await(Duration.ofSeconds(10), "three children after TTIN", () -> launch.children().size() == 3);
            // Signals of one kind do not queue: a second TTOU sent before the kernel delivered the first merges
            // with it (a loaded machine may not run the launcher in between), so each waits for its log line.
            Launch.kill(launch.pid(), "TTOU");
            Launch.await(Duration.ofSeconds(10), "the first TTOU handled",
                    () -> launch.linesWith("SIGTTOU: children now 2") == 1);
            Launch.kill(launch.pid(), "TTOU");
            Launch.await(Duration.ofSeconds(10), "one child after two TTOU", () -> launch.children().size() == 1);
            Launch.kill(launch.pid(), "TTOU");
            // The launcher has handled the third TTOU once it logs the target again; a retirement it started then
            // would show within the next second and a half: that nothing happens is what is tested.
            Launch.await(Duration.ofSeconds(10), "the third TTOU handled",
                    () -> launch.linesWith("SIGTTOU: children now 1") == 2);
            Thread.sleep(1500);
            assertEquals(1, launch.children().size(), "never below one child");
            assertTrue(launch.outputText().contains("SIGTTIN: children now 3"), launch.outputText());
        }
    }

    @Test
    void sigquitStopsAtOnceCuttingTheRequestInFlight() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        Path status = dir.resolve("app.pid.status");
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-P",
                pidFile.toString(), "--stop-timeout", "60s", "--", Launch.FIXTURE.toString())) {
            int port = launch.port();
            String address = "127.0.0.1:" + port;
            Launch.await(START, "the child ready", () -> launch.linesWith("is ready after") == 1);
            int child = launch.children().get(0);
            Process slow = new ProcessBuilder(Launch.CLIENT.toString(), "--timeout", "60", address,
                    "/sleep?ms=30000").redirectErrorStream(true).start();
            try {
                Launch.await(Duration.ofSeconds(10), "the request in flight, as the status shows",
                        () -> Launch.read(status).matches("(?s).*\\nactive processes: +1\\n.*"));
                Launch.kill(launch.pid(), "QUIT");
                assertEquals(0, launch.awaitExit(Duration.ofSeconds(10)), "at once, not after --stop-timeout");
                assertFalse(Launch.alive(child));
                String output = launch.output();
                assertTrue(output.contains("SIGQUIT: stopping at once; 1 child(ren) killed"), output);
                assertTrue(output.contains("Full thread dump"), "the launcher's dump goes to its log");
            } finally {
                slow.destroyForcibly();
            }
        }
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAtTheStopTimeout() throws Exception {
        // The ignored TERM survives the exec: sleep stands for a program that will not stop.
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--stop-timeout",
                "1s", "--", "sh", "-c", "trap '' TERM; exec sleep 300")) {
            Launch.await(START, "the child running sleep", () -> launch.children().stream()
                    .anyMatch(pid -> Launch.comm(pid).equals("sleep")));
            int child = launch.children().get(0);
            Launch.kill(launch.pid(), "TERM");
            assertEquals(0, launch.awaitExit(Duration.ofSeconds(30)), launch.output());
            Launch.await(Duration.ofSeconds(10), "the child gone", () -> !Launch.alive(child));
            String output = launch.output();
            assertTrue(output.contains("child " + child + " did not finish within --stop-timeout PT1S; killing it"),
                    output);
            assertTrue(output.contains("1 child(ren) were killed"), output);
        }
    }

    @Test
    void sigintStopsGracefullyLikeSigterm() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--",
                Launch.FIXTURE.toString())) {
            Launch.await(START, "the child ready", () -> launch.linesWith("is ready after") == 1);
            Launch.kill(launch.pid(), "INT");
            assertEquals(0, launch.awaitExit(Duration.ofSeconds(30)), launch.outputText());
            assertTrue(launch.outputText().contains("SIGINT: stopping 1 child(ren)"), launch.outputText());
            assertTrue(launch.outputText().contains("no request was cut"), launch.outputText());
        }
    }

    /**
     * {@code nohup} leaves SIGHUP ignored, a script's background job SIGINT, and both survive exec: the launcher
     * still reloads on HUP and stops on INT and TERM, as nginx and php-fpm do.
     */
    @Test
    void signalsIgnoredByWhatStartedTheLauncherStillReloadAndStopIt() throws Exception {
        try (Launch launch = Launch.shell(dir, "trap '' HUP INT TERM; exec \"$JSPAWN\" -n -a 127.0.0.1 -p 0 -- "
                + "\"$FIXTURE\"")) {
            Launch.await(START, "the child ready", () -> launch.linesWith("is ready after") == 1);
            Launch.kill(launch.pid(), "HUP");
            Launch.await(START, "the reload after SIGHUP", () -> launch.linesWith("reload done") == 1);
            Launch.kill(launch.pid(), "INT");
            assertEquals(0, launch.awaitExit(Duration.ofSeconds(30)), launch.outputText());
            // The replaced child may still be retiring: stopped with the new one.
            assertTrue(launch.outputText().contains("SIGINT: stopping"), launch.outputText());
            assertTrue(launch.outputText().contains("no request was cut"), launch.outputText());
        }
    }

    @Test
    void childAboveMaxMemoryIsReplacedByAReadyOneWithoutAFailedRequest() throws Exception {
        // Every JVM is above 1 MiB: each child is recycled once it has been seen, its replacement ready first.
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--max-memory",
                "1", "--", Launch.FIXTURE.toString())) {
            int port = launch.port();
            String address = "127.0.0.1:" + port;
            Launch.await(START, "a child replaced for its memory",
                    () -> launch.linesWith("is above --max-memory 1 MiB; replaced by child") >= 1);
            for (int i = 0; i < 10; i++) {
                int n = i;
                assertEquals("Hello, World!", Launch.requestOrWhy(address, "/hello"),
                        () -> "request " + n + "; launcher:\n" + launch.outputText());
            }
        }
    }

    @Test
    void childrenStopWhenTheLauncherIsKilledWithSigkill() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "--",
                Launch.FIXTURE.toString())) {
            Launch.await(START, "two children ready", () -> launch.linesWith("is ready after") == 2);
            List<Integer> children = launch.children();
            Launch.kill(launch.pid(), "KILL");
            // EOF on the control pipe: each child finishes what it has and exits (docs/status-channel.md).
            Launch.await(Duration.ofSeconds(30), "the orphaned children gone",
                    () -> children.stream().noneMatch(Launch::alive));
        }
    }

    @Test
    void asPidOneItReapsOrphansItNeverStarted() throws Exception {
        Path unshare = RequiredTool.require("/usr/bin/unshare", "util-linux");
        // The child leaves an orphan that exits at once; in the new PID namespace the launcher is its parent.
        try (Launch launch = Launch.shell(dir, "exec " + unshare + " --pid --fork --mount-proc \"$JSPAWN\" -n -a "
                + "127.0.0.1 -p 0 -- sh -c '(sleep 0.2 &); exec sleep 300'")) {
            Launch.await(START, "the launcher in its namespace", () -> !launch.children().isEmpty());
            int launcher = launch.children().get(0);
            Launch.await(START, "the child running sleep", () -> Launch.childrenOf(launcher).stream()
                    .anyMatch(pid -> Launch.comm(pid).equals("sleep")));
            // The orphan exits after 0.2 s and comes to the launcher, which says so once it has reaped it.
            Launch.await(START, "the orphan reaped and logged", () -> launch.linesWith("an orphan, not one of ours")
                    > 0);
            List<Integer> zombies = Launch.childrenOf(launcher).stream().filter(pid -> state(pid).equals("Z"))
                    .toList();
            assertEquals(List.of(), zombies, "zombies under PID 1; launcher:\n" + launch.outputText());
            assertFalse(launch.outputText().contains("exited unexpectedly"), launch.outputText());
        }
    }

    private static String state(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
