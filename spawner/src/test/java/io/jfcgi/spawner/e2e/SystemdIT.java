package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.PortTaken;
import io.jfcgi.fixture.e2e.Ports;
import io.jfcgi.fixture.e2e.RequiredTool;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jspawn-fcgi under systemd's protocols with real processes: notify messages caught on a test socket (as systemd's
 * own would be), socket activation through systemd-socket-activate, and the shipped units through
 * systemd-analyze verify.
 */
class SystemdIT {

    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final Path SERVICE = Launch.ROOT.resolve("scripts/systemd/jspawn-fcgi@.service");
    private static final Path SOCKET = Launch.ROOT.resolve("scripts/systemd/jspawn-fcgi@.socket");

    @TempDir
    Path dir;

    private static Launch notified(Path dir, NotifyReceiver receiver, String... args) throws IOException {
        StringBuilder script = new StringBuilder("NOTIFY_SOCKET='" + receiver.variable + "' exec \"$JSPAWN\"");
        for (String arg : args) {
            script.append(" '").append(arg).append('\'');
        }
        return Launch.shell(dir, script.toString());
    }

    @Test
    void aPoolTellsReadyThenReloadingAndReadyAroundAHupThenStopping() throws Exception {
        try (NotifyReceiver systemd = NotifyReceiver.at(dir.resolve("notify"));
                Launch launch = notified(dir, systemd, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "--",
                        Launch.FIXTURE.toString())) {
            String ready = systemd.next("READY=1", BOOT);
            int port = launch.port();
            assertEquals(Integer.toString(launch.pid()), NotifyReceiver.value(ready, "MAINPID"), ready);
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"), "READY=1 means serving");
            for (int child : launch.children()) {
                String environ = Files.readString(Path.of("/proc/" + child + "/environ"), StandardCharsets.ISO_8859_1);
                assertFalse(environ.contains("NOTIFY_SOCKET="), "a child must not speak for the service");
            }
            String status = systemd.next("STATUS=Serving: 2 idle, 0 active child(ren); listen queue 0", BOOT);
            assertNotNull(status);

            long before = System.nanoTime() / 1000;
            Launch.kill(launch.pid(), "HUP");
            String reloading = systemd.next("RELOADING=1", BOOT);
            long after = System.nanoTime() / 1000;
            long monotonic = Long.parseLong(NotifyReceiver.value(reloading, "MONOTONIC_USEC"));
            assertTrue(monotonic >= before && monotonic <= after,
                    "CLOCK_MONOTONIC µs at the HUP: " + before + " <= " + monotonic + " <= " + after);
            String reloaded = systemd.next("READY=1", BOOT);
            assertTrue(launch.outputText().contains("reload done"), launch.outputText());
            assertFalse(reloaded.contains("MAINPID="), reloaded);

            Launch.kill(launch.pid(), "TERM");
            String stopping = systemd.next("STOPPING=1", BOOT);
            assertEquals("Stopping: SIGTERM", NotifyReceiver.value(stopping, "STATUS"));
            assertEquals(0, launch.awaitExit(BOOT));
            assertEquals(List.of("READY=1", "RELOADING=1", "READY=1", "STOPPING=1"), states(systemd.all()),
                    systemd.all().toString());
        }
    }

    @Test
    void aDaemonIsNamedAsTheMainPidAtAnAbstractSocket() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        String name = "jfcgi-it-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        int daemon = 0;
        try (NotifyReceiver systemd = NotifyReceiver.abstractNamed(name);
                Launch launch = notified(dir, systemd, "-P", pidFile.toString(), "-a", "127.0.0.1", "-p", "0",
                        "--", Launch.FIXTURE.toString())) {
            String handOver = systemd.next("MAINPID=" + readPidWhenWritten(pidFile), BOOT);
            daemon = Integer.parseInt(NotifyReceiver.value(handOver, "MAINPID"));
            assertTrue(daemon != launch.pid(), "the daemon, not the command that started it");
            String ready = systemd.next("READY=1", BOOT);
            assertEquals(Integer.toString(daemon), NotifyReceiver.value(ready, "MAINPID"), ready);
            assertEquals(0, launch.awaitExit(BOOT), launch.outputText());
            Launch.kill(daemon, "TERM");
            systemd.next("STOPPING=1", BOOT);
            int stopped = daemon;
            Launch.await(BOOT, "the daemon gone", () -> !Launch.alive(stopped));
        } finally {
            if (daemon != 0 && Launch.alive(daemon)) {
                Launch.kill(daemon, "KILL");
            }
        }
    }

    /** A systemd-socket-activate process and the loopback address it listens on. */
    private record Activated(Process process, String address, int port) {
    }

    /**
     * {@code systemd-socket-activate OPTIONS -l 127.0.0.1:PORT --fdname=app jspawn-fcgi ARGS}, its output in a file.
     * It takes no port 0, so PORT is a free one; should another run bind it first, it says "Address already in use"
     * and exits, and the next try takes another port ({@link Ports#retryWhileTaken}).
     */
    private Activated activated(Path output, List<String> options, String... args)
            throws IOException, InterruptedException {
        Path activate = RequiredTool.require("/usr/bin/systemd-socket-activate", "systemd");
        return Ports.retryWhileTaken("systemd-socket-activate", () -> {
            int port = Ports.free();
            String address = "127.0.0.1:" + port;
            List<String> command = new ArrayList<>(List.of(activate.toString(), "-l", address, "--fdname=app"));
            command.addAll(options);
            if (System.getenv("JAVA_HOME") != null) {
                command.add("--setenv=JAVA_HOME"); // systemd-socket-activate passes only what it is told
            }
            command.add(Launch.LAUNCHER.toString());
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try {
                Launch.await(Duration.ofSeconds(20), "systemd-socket-activate listening on " + address + ": "
                        + Launch.read(output), () -> Launch.read(output).contains("Listening on " + address)
                                || !process.isAlive());
            } catch (AssertionError e) {
                stop(process);
                throw e;
            }
            if (process.isAlive() || Launch.read(output).contains("Listening on " + address)) {
                return new Activated(process, address, port);
            }
            stop(process);
            PortTaken.check(Launch.read(output));
            throw new AssertionError("systemd-socket-activate exited with " + process.exitValue() + ": "
                    + Launch.read(output));
        });
    }

    private static void stop(Process process) throws InterruptedException {
        List<Integer> children = Launch.childrenOf((int) process.pid());
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        children.forEach(child -> ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** The first connection execs jspawn-fcgi; it waits in the backlog until a child accepts it. */
    private static void awaitServed(String address) throws InterruptedException {
        Launch.await(BOOT, "a request served through the inherited socket", () -> Launch.serves(address));
    }

    @Test
    void aSocketFromSystemdSocketActivateIsThePoolsSocket() throws Exception {
        Path output = dir.resolve("activated.log");
        Activated activated = activated(output, List.of(), "-n", "--", Launch.FIXTURE.toString());
        Process process = activated.process();
        String address = activated.address();
        try {
            awaitServed(address);
            String log = Launch.read(output);
            assertTrue(log.contains("listening on " + address + ", fd 3 from systemd (app); clients: this host only"),
                    log);
            List<Integer> children = Launch.childrenOf((int) process.pid());
            assertFalse(children.isEmpty(), log);
            for (int child : children) {
                String fd0 = Files.readSymbolicLink(Path.of("/proc/" + child + "/fd/0")).toString();
                String environ = Files.readString(Path.of("/proc/" + child + "/environ"),
                        StandardCharsets.ISO_8859_1);
                assertTrue(fd0.startsWith("socket:"), fd0);
                assertFalse(environ.contains("LISTEN_FDS="), "LISTEN_* are the launcher's alone");
            }
            Launch.kill((int) process.pid(), "TERM");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), Launch.read(output));
            assertEquals(0, process.exitValue(), Launch.read(output));
        } finally {
            stop(process);
        }
    }

    @Test
    void allowFiltersTheSocketFromSystemdToo() throws Exception {
        Path output = dir.resolve("allow.log");
        Activated activated = activated(output, List.of(), "-n", "--allow", "192.0.2.1", "--",
                Launch.FIXTURE.toString());
        Process process = activated.process();
        String address = activated.address();
        try {
            awaitServed(address); // loopback is always admitted
            String log = Launch.read(output);
            assertTrue(log.contains("fd 3 from systemd (app); clients: 192.0.2.1"), log);
        } finally {
            stop(process);
        }
    }

    @Test
    void aDatagramSocketFromSystemdIsRefusedInOneLine() throws Exception {
        Path output = dir.resolve("datagram.log");
        Activated activated = activated(output, List.of("--datagram"), "-n", "--", Launch.FIXTURE.toString());
        Process process = activated.process();
        int port = activated.port();
        try (java.net.DatagramSocket client = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] wake = {1}; // the first datagram execs jspawn-fcgi
            client.send(new java.net.DatagramPacket(wake, 1, InetAddress.getLoopbackAddress(), port));
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), Launch.read(output));
            assertEquals(255, process.exitValue(), Launch.read(output));
            String log = Launch.read(output);
            assertTrue(log.contains("fd 3 from systemd (app) is not a stream socket"), log);
            assertFalse(log.contains("\tat "), "no stack trace: " + log);
        } finally {
            stop(process);
        }
    }

    @Test
    void theServiceAndSocketUnitsPassSystemdAnalyzeVerifyTogether() throws Exception {
        Path analyze = RequiredTool.require("/usr/bin/systemd-analyze", "systemd");
        Path service = dir.resolve("jspawn-fcgi@demo.service");
        Path socket = dir.resolve("jspawn-fcgi@demo.socket");
        Files.writeString(service, Files.readString(SERVICE)
                .replace("/opt/jfcgi/bin/jspawn-fcgi", Launch.LAUNCHER.toString())
                .replace("/etc/jfcgi/%i.env", dir.resolve("%i.env").toString()));
        Files.writeString(socket, Files.readString(SOCKET));
        Files.writeString(dir.resolve("demo.env"), "JSPAWN_ARGS=-- /srv/app/app.jar\n");
        Process verify = new ProcessBuilder(analyze.toString(), "verify", "--man=no", socket.toString(),
                service.toString()).redirectErrorStream(true).start();
        String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(90, TimeUnit.SECONDS), said);
        List<String> complaints = said.lines().filter(line -> line.contains("jspawn-fcgi@demo")).toList();
        assertEquals(List.of(), complaints, said);
        assertEquals(0, verify.exitValue(), said);
        String unit = Files.readString(SERVICE);
        assertTrue(unit.contains("\nType=notify\n") && unit.contains("\nExecReload=/bin/kill -HUP $MAINPID\n"),
                unit);
    }

    /** The pool's state changes among the messages, in order (STATUS-only messages left out). */
    private static List<String> states(List<String> messages) {
        List<String> states = new ArrayList<>();
        for (String message : messages) {
            message.lines().filter(line -> List.of("READY=1", "RELOADING=1", "STOPPING=1").contains(line))
                    .forEach(states::add);
        }
        return states;
    }

    /** The daemon's pid, once its pidfile has it. */
    private static String readPidWhenWritten(Path pidFile) throws InterruptedException {
        Launch.await(BOOT, "the pidfile written", () -> !Launch.read(pidFile).isBlank());
        return Launch.read(pidFile).trim();
    }
}
