package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.NginxProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGUSR2: the launcher starts a new version of itself from the files on disk on its socket, and retires once the
 * new pool serves. Each test runs a distribution of its own (bin/jspawn-fcgi and lib/jspawn-fcgi.jar copied into
 * its directory), so that it can install a new version, or a broken one, as a package manager would.
 */
class LauncherUpgradeIT {

    private static final Path CONTROL = Launch.ROOT.resolve("scripts/jspawn-fcgictl");
    private static final Path JAR = Launch.ROOT.resolve("spawner/target/jspawn-fcgi.jar");
    private static final Duration START = Duration.ofSeconds(40);
    private static final Duration UPGRADE = Duration.ofSeconds(90);
    private static final Pattern STARTED = Pattern.compile("started a new launcher \\(pid (\\d+)\\)");

    @TempDir
    Path dir;

    /** Every launcher a test made besides the one its {@link Launch} holds: the successors. */
    private final List<Integer> launchers = new ArrayList<>();

    @BeforeAll
    static void nginxIsInstalled() {
        NginxProcess.assumeInstalled();
    }

    @AfterEach
    void stopEveryLauncher() {
        for (int pid : launchers) {
            Launch.childrenOf(pid).forEach(child -> ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly));
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void anUpgradeUnderLoadThroughNginxFailsNoRequestAndLeavesNewLauncherAndChildren() throws Exception {
        Path dist = distribution();
        Path pidFile = dir.resolve("app.pid");
        try (Launch launch = twoChildren(dist, pidFile); NginxProcess nginx = keepAliveNginx(launch.port())) {
            awaitChildrenReady(launch, 2);
            int old = launch.pid();
            List<Integer> before = launch.children();
            install(dist, Files.readAllBytes(JAR)); // a new version: another file under the same name
            try (HttpLoad load = load(nginx)) {
                Launch.kill(old, "USR2");
                int successor = awaitUpgraded(launch, pidFile, old);
                assertEquals(0, launch.awaitExit(UPGRADE), launch.outputText());
                long served = load.succeeded();
                Launch.await(START, "requests served by the new pool alone", () -> load.succeeded() > served + 100);
                load.stop();
                assertEquals(Map.of(), load.failures(), "failed requests; launchers:\n" + launch.outputText());
                List<Integer> after = Launch.childrenOf(successor);
                assertEquals(2, after.size(), before + " -> " + after + "\n" + launch.outputText());
                assertTrue(after.stream().noneMatch(before::contains), before + " -> " + after);
                before.forEach(child -> assertFalse(Launch.alive(child), "old child " + child));
                assertEquals(Integer.toString(successor), pidIn(pidFile), "the pidfile names the new launcher");
            }
        }
    }

    @Test
    void aNewVersionThatCannotStartLeavesTheOldOneServingWithoutAFailedRequest() throws Exception {
        Path dist = distribution();
        Path pidFile = dir.resolve("app.pid");
        try (Launch launch = twoChildren(dist, pidFile); NginxProcess nginx = keepAliveNginx(launch.port())) {
            awaitChildrenReady(launch, 2);
            int old = launch.pid();
            List<Integer> before = launch.children();
            install(dist, "not a jar".getBytes(StandardCharsets.US_ASCII));
            try (HttpLoad load = load(nginx)) {
                Run upgrade = run(CONTROL.toString(), "upgrade", pidFile.toString());
                assertEquals(1, upgrade.code(), upgrade.output());
                assertTrue(upgrade.output().contains("upgrade failed: pid " + old + " serves on"), upgrade.output());
                await(launch, START, "the failure logged", () -> launch.linesWith("upgrade failed:") == 1);
                String line = launch.outputText().lines().filter(l -> l.contains("upgrade failed:")).findFirst()
                        .orElseThrow();
                assertTrue(line.contains("exited before its pool was ready") && line.contains("keeps serving"),
                        line);
                long served = load.succeeded();
                Launch.await(START, "requests served after the failure", () -> load.succeeded() > served + 100);
                load.stop();
                assertEquals(Map.of(), load.failures(), "failed requests; launcher:\n" + launch.outputText());
            }
            assertTrue(Launch.alive(old));
            assertEquals(Integer.toString(old), pidIn(pidFile), "the pidfile still names the old launcher");
            assertEquals(before, launch.children(), "the old children serve on, and nothing else is left");
            Launch.kill(old, "TERM");
            assertEquals(0, launch.awaitExit(START), "the old launcher still stops cleanly:\n"
                    + launch.outputText());
        }
    }

    @Test
    void aNewLauncherNotServingWithinTheUpgradeTimeoutIsStoppedWithItsChildrenAndLeavesTheSocketFile()
            throws Exception {
        Path dist = distribution();
        Path socket = dir.resolve("app.sock");
        try (Launch launch = launch(dist, "-n", "-s", socket.toString(), "-F", "2",
                "--upgrade-timeout", "8s", "--stop-timeout", "3s", "--", Launch.FIXTURE.toString())) {
            awaitChildrenReady(launch, 2);
            List<Integer> before = launch.children();
            // The new version's children wait for a debugger before main, so they never say ready.
            Path real = dist.resolve("bin/jspawn-fcgi.real");
            Files.copy(dist.resolve("bin/jspawn-fcgi"), real, StandardCopyOption.COPY_ATTRIBUTES);
            installScript(dist, "#!/usr/bin/env bash\nexec \"" + real + "\" --jvm-opt="
                    + "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0 \"$@\"\n");
            Launch.kill(launch.pid(), "USR2");
            int successor = awaitSuccessorStarted(launch);
            launchers.add(successor);
            await(launch, START, "the new launcher's two children", () -> Launch.childrenOf(successor).size() == 2);
            List<Integer> itsChildren = Launch.childrenOf(successor);
            await(launch, UPGRADE, "the failure logged", () -> launch.linesWith("upgrade failed:") == 1);
            assertTrue(launch.outputText().contains("was not serving within --upgrade-timeout"),
                    launch.outputText());
            await(launch, START, "the new launcher and its children gone", () -> !Launch.alive(successor)
                    && itsChildren.stream().noneMatch(Launch::alive));
            assertEquals(before, launch.children());
            assertTrue(Files.exists(socket), "the failed launcher left the socket file to the old one");
            assertEquals("Hello, World!", Launch.request("unix:" + socket, "/hello"));
        }
    }

    @Test
    void aSecondUpgradeSignalDuringAnUpgradeIsIgnoredWithALine() throws Exception {
        Path dist = distribution();
        Path pidFile = dir.resolve("app.pid");
        try (Launch launch = launch(dist, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "1",
                "-P", pidFile.toString(), "--", Launch.FIXTURE.toString())) {
            awaitChildrenReady(launch, 1);
            int old = launch.pid();
            Launch.kill(old, "USR2");
            awaitSuccessorStarted(launch);
            Launch.kill(old, "USR2");
            int successor = awaitUpgraded(launch, pidFile, old);
            assertEquals(0, launch.awaitExit(UPGRADE), launch.outputText());
            assertEquals(1, launch.linesWith("SIGUSR2 ignored: an upgrade is already under way"),
                    launch.outputText());
            assertEquals(1, launch.linesWith("started a new launcher"), launch.outputText());
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + launch.port(), "/hello"));
            assertEquals(1, Launch.childrenOf(successor).size());
        }
    }

    @Test
    void theControlScriptUpgradesADaemonOnAUnixSocketWithoutRebindingIt() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        Path socket = dir.resolve("app.sock");
        int launcher = 0;
        try {
            Run start = run(CONTROL.toString(), "start", pidFile.toString(), "-s", socket.toString(), "-F", "1",
                    "--log", dir.resolve("launcher.log").toString(), "--", Launch.FIXTURE.toString());
            assertEquals(0, start.code(), start.output());
            int old = Integer.parseInt(pidIn(pidFile));
            launcher = old;
            Object inode = Files.getAttribute(socket, "unix:ino");

            Run upgrade = run(CONTROL.toString(), "upgrade", pidFile.toString());
            launcher = Integer.parseInt(pidIn(pidFile));
            assertEquals(0, upgrade.code(), upgrade.output() + Launch.read(dir.resolve("launcher.log")));
            assertNotEquals(old, launcher);
            assertTrue(upgrade.output().contains("upgraded: pid " + launcher + " serves"), upgrade.output());
            assertFalse(Launch.alive(old));
            assertEquals(inode, Files.getAttribute(socket, "unix:ino"), "the socket file was kept, not bound anew");
            assertEquals(Integer.toString(Launch.childrenOf(launcher).get(0)),
                    Launch.request("unix:" + socket, "/pid"));

            Run stop = run(CONTROL.toString(), "stop", pidFile.toString());
            assertEquals(0, stop.code(), stop.output());
            assertFalse(Files.exists(socket), "the new launcher removes the socket file when it stops");
            assertEquals(7, run(CONTROL.toString(), "upgrade", pidFile.toString()).code(),
                    "upgrade when stopped: 7, as reload");
        } finally {
            if (launcher != 0) {
                launchers.add(launcher);
            }
        }
    }

    /** Two fixture-app children on a free loopback port, as the two load tests run them. */
    private Launch twoChildren(Path dist, Path pidFile) throws IOException {
        return launch(dist, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "--stop-timeout", "10s",
                "-P", pidFile.toString(), "--", Launch.FIXTURE.toString());
    }

    /** nginx with kept upstream connections (nginx-conf/jfcgi-keepalive.conf) in front of {@code port}. */
    private NginxProcess keepAliveNginx(int port) throws IOException, InterruptedException {
        return ShippedNginxConfig.start(dir.resolve("nginx"), "jfcgi-keepalive.conf", new int[] {port}, dir);
    }

    /** Six clients back to back, bounded in count and time, once they have been answered a hundred times. */
    private static HttpLoad load(NginxProcess nginx) throws InterruptedException {
        HttpLoad load = HttpLoad.start(nginx.url(""), 6, List.of("/hello", "/sleep?ms=20", "/pid"), 200_000,
                Duration.ofSeconds(120));
        Launch.await(START, "load through nginx", () -> load.succeeded() > 100);
        return load;
    }

    /** bin/ and lib/ as the archive installs them; bin/jspawn-fcgi finds lib/jspawn-fcgi.jar beside it. */
    private Path distribution() throws IOException {
        Path dist = dir.resolve("dist");
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.copy(Launch.LAUNCHER, dist.resolve("bin/jspawn-fcgi"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(JAR, dist.resolve("lib/jspawn-fcgi.jar"));
        return dist;
    }

    /**
     * A new jar as a package manager installs it: written beside, then renamed over the old name. The running
     * launcher keeps reading its classes from the old file; writing into that file in place would break it.
     */
    private static void install(Path dist, byte[] jar) throws IOException {
        Path fresh = dist.resolve("lib/.jspawn-fcgi.jar.new");
        Files.write(fresh, jar);
        Files.move(fresh, dist.resolve("lib/jspawn-fcgi.jar"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void installScript(Path dist, String script) throws IOException {
        Path fresh = dist.resolve("bin/.jspawn-fcgi.new");
        Files.writeString(fresh, script);
        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(fresh, dist.resolve("bin/jspawn-fcgi"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private Launch launch(Path dist, String... args) throws IOException {
        StringBuilder script = new StringBuilder("exec '" + dist.resolve("bin/jspawn-fcgi") + "'");
        for (String arg : args) {
            script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return Launch.shell(dir, script.toString());
    }

    /** {@link Launch#await}, with the launchers' output (both write to the same file) when it fails. */
    private static void await(Launch launch, Duration timeout, String what, BooleanSupplier condition)
            throws InterruptedException {
        try {
            Launch.await(timeout, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; launchers:\n" + launch.outputText(), e);
        }
    }

    private static void awaitChildrenReady(Launch launch, int children) throws InterruptedException {
        await(launch, START, children + " children ready", () -> launch.linesWith("is ready after") >= children);
    }

    private static int awaitSuccessorStarted(Launch launch) throws InterruptedException {
        await(launch, START, "a new launcher started", () -> STARTED.matcher(launch.outputText()).find());
        Matcher started = STARTED.matcher(launch.outputText());
        assertTrue(started.find());
        return Integer.parseInt(started.group(1));
    }

    /** Waits until the pidfile names another live launcher and the old one has exited; returns the new pid. */
    private int awaitUpgraded(Launch launch, Path pidFile, int old) throws InterruptedException {
        await(launch, UPGRADE, "the pidfile names a new launcher and the old one has exited", () -> {
            String pid = pidIn(pidFile);
            return !pid.isEmpty() && !pid.equals(Integer.toString(old)) && Launch.alive(Integer.parseInt(pid))
                    && !launch.process.isAlive();
        });
        int successor = Integer.parseInt(pidIn(pidFile));
        launchers.add(successor);
        return successor;
    }

    private static String pidIn(Path pidFile) {
        return Launch.read(pidFile).trim();
    }

    /** The exit code and output of one command. */
    private record Run(int code, String output) {
    }

    private Run run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + output);
        }
        return new Run(process.exitValue(), output);
    }
}
