package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ships in scripts/ for operators: the pidfile control script, the systemd unit, the logrotate snippet. */
class OperatorScriptsIT {

    private static final Path CONTROL = Launch.ROOT.resolve("scripts/jspawn-fcgictl");
    private static final Path UNIT = Launch.ROOT.resolve("scripts/systemd/jspawn-fcgi@.service");
    private static final Path LOGROTATE = Launch.ROOT.resolve("scripts/logrotate/jspawn-fcgi");

    @TempDir
    Path dir;

    /** The exit code and output of one command. */
    record Run(int code, String output) {
    }

    private Run run(String... command) throws IOException, InterruptedException {
        return run(List.of(), command);
    }

    private Run run(List<String> environment, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        for (String variable : environment) {
            String[] pair = variable.split("=", 2);
            builder.environment().put(pair[0], pair[1]);
        }
        // Output to a file, not a pipe: reading a pipe to its end would wait as long as the command (or a daemon
        // it left holding the pipe) runs, and the 90 s guard would never be reached.
        Path output = Files.createTempFile(dir, "run-", ".out");
        Process process = builder.redirectOutput(output.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** The pid a pidfile names, 0 while there is none. */
    private static int pidIn(String pidFile) {
        String text = Launch.read(Path.of(pidFile)).trim();
        return text.isEmpty() ? 0 : Integer.parseInt(text);
    }

    @Test
    void controlScriptStartsReportsReloadsAndStopsAPool() throws Exception {
        String pidFile = dir.resolve("app.pid").toString();
        int launcher = 0;
        try {
            Run start = run(CONTROL.toString(), "start", pidFile, "-a", "127.0.0.1", "-p", "0",
                    "-F", "2", "--", Launch.FIXTURE.toString());
            launcher = pidIn(pidFile); // before any assertion, so that the finally block stops it
            assertEquals(0, start.code(), start.output());
            assertTrue(start.output().contains("started (pid " + launcher + ")"), start.output());
            int port = Launch.port(start::output); // "jspawn-fcgi: serving 127.0.0.1:PORT" names the port it bound
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"));

            Run again = run(CONTROL.toString(), "start", pidFile, "-p", "0", "--", "x.jar");
            assertEquals(0, again.code(), "start when running is a success (LSB)");
            assertTrue(again.output().contains("already running (pid " + launcher + ""), again.output());

            Run status = run(CONTROL.toString(), "status", pidFile);
            assertEquals(0, status.code(), status.output());
            assertTrue(status.output().contains("total processes:      2"), status.output());

            int supervisor = launcher;
            List<Integer> before = Launch.childrenOf(supervisor);
            Run reload = run(CONTROL.toString(), "reload", pidFile);
            assertEquals(0, reload.code(), reload.output());
            Launch.await(Duration.ofSeconds(30), "both children replaced", () -> {
                List<Integer> now = Launch.childrenOf(supervisor);
                return now.size() == 2 && now.stream().noneMatch(before::contains);
            });

            Run restart = run(CONTROL.toString(), "restart", pidFile, "-a", "127.0.0.1", "-p", "0", "-F", "2", "--",
                    Launch.FIXTURE.toString());
            launcher = pidIn(pidFile);
            assertEquals(0, restart.code(), restart.output());
            assertTrue(restart.output().contains("stopped") && restart.output().contains("started"),
                    restart.output());
            assertFalse(Launch.alive(supervisor), "restart replaced the launcher itself");
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + Launch.port(restart::output), "/hello"));
            int restarted = launcher;

            List<Integer> children = Launch.childrenOf(restarted);
            Run stop = run(CONTROL.toString(), "stop", pidFile);
            assertEquals(0, stop.code(), stop.output());
            assertTrue(stop.output().contains("stopped"), stop.output());
            assertFalse(Launch.alive(restarted));
            children.forEach(child -> assertFalse(Launch.alive(child), "child " + child));
            assertFalse(Files.exists(Path.of(pidFile)));

            assertEquals(3, run(CONTROL.toString(), "status", pidFile).code(), "status when stopped: 3 (LSB)");
            Run stopAgain = run(CONTROL.toString(), "stop", pidFile);
            assertEquals(0, stopAgain.code(), "stop when stopped is a success (LSB)");
            assertTrue(stopAgain.output().contains("not running"), stopAgain.output());
            assertEquals(7, run(CONTROL.toString(), "reload", pidFile).code(), "reload when stopped: 7 (LSB)");
        } finally {
            if (launcher != 0) {
                Launch.killTree(launcher);
            }
        }
    }

    @Test
    void controlScriptNeverSignalsAnotherProcessThatHasThePidfilesPid() throws Exception {
        // A stale pidfile whose pid now belongs to something else: the lock is not held, so it is not ours.
        Process bystander = new ProcessBuilder("sleep", "60").start();
        try {
            Path pidFile = dir.resolve("stale.pid");
            Files.writeString(pidFile, bystander.pid() + "\n");
            Run stop = run(CONTROL.toString(), "stop", pidFile.toString());
            assertEquals(0, stop.code(), stop.output());
            assertTrue(stop.output().contains("not running"), stop.output());
            Run reload = run(CONTROL.toString(), "reload", pidFile.toString());
            assertEquals(7, reload.code(), reload.output());
            assertTrue(bystander.isAlive(), "the bystander was signalled");
        } finally {
            bystander.destroyForcibly();
        }
    }

    @Test
    void controlScriptStartRefusesForegroundAndASecondPidfile() throws Exception {
        String pidFile = dir.resolve("app.pid").toString();
        Run foreground = run(CONTROL.toString(), "start", pidFile, "-n", "-p", "9000", "--", "app.jar");
        assertEquals(2, foreground.code());
        assertTrue(foreground.output().contains("drop -n"), foreground.output());
        Run pid = run(CONTROL.toString(), "start", pidFile, "-P", "/tmp/other.pid", "-p", "9000", "--", "app.jar");
        assertEquals(2, pid.code());
        assertTrue(pid.output().contains("drop -P"), pid.output());
        Run usage = run(CONTROL.toString(), "bounce", pidFile);
        assertEquals(2, usage.code());
        assertTrue(usage.output().startsWith("usage: jspawn-fcgictl"), usage.output());
    }

    @Test
    void systemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path analyze = RequiredTool.require("/usr/bin/systemd-analyze", "systemd");
        // The unit as installed, with /opt/jfcgi and /etc/jfcgi moved to the checkout and the test directory.
        Path unit = dir.resolve("jspawn-fcgi@demo.service");
        Files.writeString(unit, Files.readString(UNIT)
                .replace("/opt/jfcgi/bin/jspawn-fcgi", Launch.LAUNCHER.toString())
                .replace("/etc/jfcgi/%i.env", dir.resolve("%i.env").toString()));
        Files.writeString(dir.resolve("demo.env"), "JSPAWN_ARGS=-a 127.0.0.1 -p 9002 -- /srv/app/app.jar\n");
        Run verify = run(analyze.toString(), "verify", "--man=no", unit.toString());
        List<String> complaints = new ArrayList<>(verify.output().lines()
                .filter(line -> line.contains(unit.getFileName().toString())).toList());
        assertEquals(List.of(), complaints, verify.output());
        assertEquals(0, verify.code(), verify.output());
    }

    @Test
    void logrotateSnippetRotatesTheLogAndTheLauncherReopensIt() throws Exception {
        RequiredTool.require("/usr/sbin/logrotate", "logrotate");
        Path logs = Files.createDirectories(dir.resolve("log"));
        Path run = Files.createDirectories(dir.resolve("run"));
        Path log = logs.resolve("app.log");
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-P",
                run.resolve("app.pid").toString(), "--log", log.toString(), "--", Launch.FIXTURE.toString())) {
            Launch.await(Duration.ofSeconds(20), "the child ready in the log",
                    () -> Launch.read(log).contains("is ready"));
            Path config = dir.resolve("logrotate.conf");
            Files.writeString(config, Files.readString(LOGROTATE)
                    .replace("/var/log/jfcgi/", logs + "/").replace("/run/jfcgi/", run + "/"));
            Run rotate = run("/usr/sbin/logrotate", "-f", "-s", dir.resolve("state").toString(), config.toString());
            assertEquals(0, rotate.code(), rotate.output());
            Path rotated = logs.resolve("app.log.1");
            assertTrue(Files.exists(rotated), "rotated: " + List.of(logs.toFile().list()));
            assertTrue(Launch.read(rotated).contains("is ready"));
            Launch.await(Duration.ofSeconds(10), "the launcher writing to a new app.log",
                    () -> Launch.read(log).contains("SIGUSR1: reopened the log"));
            Launch.kill(launch.pid(), "TERM");
            assertEquals(0, launch.awaitExit(Duration.ofSeconds(30)));
            assertTrue(Launch.read(log).contains("no request was cut"),
                    "later lines go to the new file: " + Launch.read(log));
            assertFalse(Launch.read(rotated).contains("no request was cut"));
        }
    }
}
