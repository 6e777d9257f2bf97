package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as an operator runs it: real processes, real sockets, /proc as the witness. */
class JspawnFcgiIT {

    private static final Duration START = Duration.ofSeconds(20);
    /** For what `jspawn-fcgi status` shows: each look starts a JVM, seconds apiece on a loaded machine. */
    private static final Duration STATUS = Duration.ofSeconds(30);
    /** A stuck child's replacement: the request timeout, a JVM child's start, the stop timeout. */
    private static final Duration REPLACED = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void childGetsTheListeningSocketAsFdZeroAndNoOtherInheritedFd() throws Exception {
        // fd 7 is open in the caller, as in a shell that leaks fds: spawn-fcgi passes such fds on, we must not.
        try (Launch launch = Launch.shell(dir, "exec 7</etc/hostname; exec \"$JSPAWN\" -n -a 127.0.0.1 -p 0 -F 2 "
                + "-- sleep 300")) {
            Launch.await(START, "two children", () -> launch.children().size() == 2);
            for (int child : launch.children()) {
                Launch.await(START, "child " + child + " exec'd sleep", () -> Launch.comm(child).equals("sleep"));
                Set<String> fds = new TreeSet<>(List.of(Path.of("/proc/" + child + "/fd").toFile().list()));
                assertEquals(Set.of("0", "1", "2", "3", "4"), fds, "child " + child + " fds");
                assertTrue(link(child, 0).startsWith("socket:"), link(child, 0));
                assertTrue(link(child, 1).startsWith("pipe:"), "stdout is the launcher's log pipe");
                assertEquals(link(child, 1), link(child, 2));
            }
        }
    }

    @Test
    void childrenServeTheFixtureAppOnTheSharedSocket() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "2", "--",
                Launch.FIXTURE.toString())) {
            int port = launch.port();
            awaitServing("127.0.0.1:" + port);
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"));
            assertEquals(2, launch.children().size());
        }
    }

    @Test
    void listensOnIpv6WithTheBacklogGiven() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "::1", "-p", "0", "-b", "77", "--",
                Launch.FIXTURE.toString())) {
            int port = launch.port();
            awaitServing("[::1]:" + port);
            Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
            String listener = new String(ss.getInputStream().readAllBytes()).trim();
            ss.waitFor();
            // ss prints a listener's backlog in the Send-Q column: LISTEN 0 77 [::1]:PORT ...
            assertTrue(listener.matches("LISTEN\\s+\\d+\\s+77\\s+\\[::1\\]:" + port + "\\s.*"), listener);
        }
    }

    @Test
    void killedChildIsReplacedAndTheReplacementServes() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "--",
                Launch.FIXTURE.toString())) {
            int port = launch.port();
            String address = "127.0.0.1:" + port;
            awaitServing(address);
            int victim = launch.children().get(0);
            Launch.kill(victim, "KILL");
            // How fast is for scripts/bench-launch to measure; a loaded machine may take seconds.
            Launch.await(START, "a replacement serving", () -> {
                List<Integer> children = launch.children();
                return children.size() == 1 && children.get(0) != victim && Launch.serves(address);
            });
            assertTrue(launch.output().contains("child " + victim + " exited unexpectedly with signal 9"),
                    launch.output());
        }
    }

    @Test
    void sigtermStopsEveryChildAndRemovesTheSocketAndThePidfile() throws Exception {
        Path socket = dir.resolve("app.sock");
        Path pidFile = dir.resolve("app.pid");
        try (Launch launch = Launch.of(dir, "-n", "-s", socket.toString(), "-P", pidFile.toString(), "-F", "2",
                "--", Launch.FIXTURE.toString())) {
            awaitServing("unix:" + socket);
            assertEquals(Integer.toString(launch.pid()), Files.readString(pidFile).trim());
            List<Integer> children = launch.children();
            assertEquals(2, children.size());
            Launch.kill(launch.pid(), "TERM");
            assertEquals(0, launch.awaitExit(Duration.ofSeconds(30)), launch.output());
            for (int child : children) {
                assertFalse(Launch.alive(child), "child " + child + " outlived the launcher");
            }
            assertFalse(Files.exists(socket), "socket file left behind");
            assertFalse(Files.exists(pidFile), "pidfile left behind");
            assertTrue(launch.output().contains("no request was cut"), launch.output());
        }
    }

    @Test
    void unixSocketGetsMode0660ByDefault() throws Exception {
        Path socket = dir.resolve("app.sock");
        try (Launch launch = Launch.of(dir, "-n", "-s", socket.toString(), "--", Launch.FIXTURE.toString())) {
            Launch.await(START, "the socket file", () -> Files.exists(socket));
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(socket)));
        }
    }

    @Test
    void daemonModeReturnsOnceChildrenServeAndThePidfileNamesTheSupervisor() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        Launch command = Launch.of(dir, "-a", "127.0.0.1", "-p", "0", "-P", pidFile.toString(),
                "--", Launch.FIXTURE.toString());
        int supervisor;
        try (Launch.Daemon daemon = command.daemon(pidFile, START)) {
            assertEquals(0, daemon.exitCode(), command.output());
            supervisor = daemon.pid();
            assertTrue(command.output().contains("supervisor pid " + supervisor), command.output());
            int port = command.port(); // "serving 127.0.0.1:PORT" names the port the daemon bound
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"));
            assertNotEquals(command.pid(), supervisor);
        }
        assertFalse(Launch.alive(supervisor), "stopped by TERM");
        assertFalse(Files.exists(pidFile));
    }

    @Test
    void programThatKeepsFailingToStartMakesTheLauncherGiveUpWithItsStatusAndLastLine() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0",
                "--max-boot-failures", "3", "--", "sh", "-c", "echo bad config line 7 >&2; exit 3")) {
            assertEquals(3, launch.awaitExit(Duration.ofSeconds(30)), launch.output());
            String output = launch.output();
            assertTrue(output.contains("3 children exited before serving; the last one with exit status 3, its last "
                    + "output: bad config line 7"), output);
        }
    }

    @Test
    void daemonModeReportsABootFailureWithTheProgramsExitStatus() throws Exception {
        Launch command = Launch.of(dir, "-a", "127.0.0.1", "-p", "0", "--max-boot-failures", "2",
                "--", "sh", "-c", "echo cannot load module >&2; exit 4");
        assertEquals(4, command.awaitExit(Duration.ofSeconds(30)), command.output());
        assertTrue(command.output().contains("cannot load module"), command.output());
    }

    @Test
    void statusPrintsThePoolInPhpFpmFieldNames() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-P",
                pidFile.toString(), "-F", "2", "--", Launch.FIXTURE.toString())) {
            int port = launch.port();
            String address = "127.0.0.1:" + port;
            awaitServing(address);
            Launch.request(address, "/hello");
            Launch.await(STATUS, "status with 2 idle children", () -> status(pidFile, false)
                    .contains("idle processes:       2"));
            String text = status(pidFile, false);
            for (String field : List.of("pool:", "process manager:      static", "accepted conn:", "listen queue:",
                    "total processes:      2", "max children reached: 0", "state:                Idle")) {
                assertTrue(text.contains(field), field + " in\n" + text);
            }
            String json = status(pidFile, true);
            assertTrue(json.startsWith("{\"pool\":\"fixture-app.jar\""), json);
            assertTrue(json.contains("\"total processes\":2"), json);
        }
        Launch after = Launch.of(dir, "status", "-P", pidFile.toString());
        assertEquals(3, after.awaitExit(Duration.ofSeconds(20)), after.output());
    }

    @Test
    void statusCountsConnectionsWaitingInAUnixSocketsQueue() throws Exception {
        Path socket = dir.resolve("app.sock");
        Path pidFile = dir.resolve("app.pid");
        // Children that never accept: every connection waits in the queue, which sock_diag alone can show.
        try (Launch launch = Launch.of(dir, "-n", "-s", socket.toString(), "-P", pidFile.toString(), "--", "sleep",
                "300")) {
            // "serving" is logged once the socket listens; the pidfile and the socket file come before that.
            Launch.await(START, "the socket listening", () -> launch.linesWith("serving unix:") == 1);
            List<java.nio.channels.SocketChannel> waiting = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    waiting.add(java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket)));
                }
                Launch.await(STATUS, "3 connections in the listen queue",
                        () -> status(pidFile, false).matches("(?s).*\\nlisten queue: +3\\n.*"));
                assertTrue(status(pidFile, true).contains("\"listen queue\":3"), status(pidFile, true));
            } finally {
                for (java.nio.channels.SocketChannel channel : waiting) {
                    channel.close();
                }
            }
        }
    }

    @Test
    void statusCountsConnectionsWaitingInATcpQueue() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-P",
                pidFile.toString(), "--", "sleep", "300")) {
            int port = launch.port();
            Launch.await(START, "the socket listening", () -> launch.linesWith("serving 127.0.0.1:") == 1);
            List<java.net.Socket> waiting = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    waiting.add(new java.net.Socket("127.0.0.1", port));
                }
                Launch.await(STATUS, "2 connections in the listen queue",
                        () -> status(pidFile, false).matches("(?s).*\\nlisten queue: +2\\n.*"));
            } finally {
                for (java.net.Socket client : waiting) {
                    client.close();
                }
            }
        }
    }

    @Test
    void childStuckInARequestPastRequestTimeoutDumpsItsThreadsAndIsReplaced() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        // 3 s: a first request to a cold child on a loaded machine must not count as slow too (the status below).
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-P",
                pidFile.toString(), "--request-timeout", "3s", "--stop-timeout", "3s", "--",
                Launch.FIXTURE.toString())) {
            int port = launch.port();
            String address = "127.0.0.1:" + port;
            awaitServing(address);
            int stuck = launch.children().get(0);
            Process slow = new ProcessBuilder(Launch.CLIENT.toString(), "--timeout", "30", address,
                    "/sleep?ms=20000").redirectErrorStream(true).start();
            try {
                Launch.await(REPLACED, "the stuck child replaced",
                        () -> launch.children().size() == 1 && launch.children().get(0) != stuck
                                || launch.outputText().contains("child " + stuck + " stopped"));
                Launch.await(REPLACED, "the stuck child gone after --stop-timeout",
                        () -> !Launch.alive(stuck));
                String output = launch.output();
                assertTrue(output.contains("child " + stuck + " has had a request in flight for"), output);
                assertTrue(output.contains("child " + stuck + ": Full thread dump"), "the JVM's dump in the log");
                assertTrue(output.contains("FixtureApp"), "the dump shows the handler's frames");
                assertTrue(Launch.serves(address), "the replacement serves");
                Launch.await(STATUS, "slow requests counted in the status",
                        () -> status(pidFile, false).contains("slow requests:        1"));
            } finally {
                slow.destroyForcibly();
            }
        }
    }

    private String status(Path pidFile, boolean json) {
        try {
            Launch status = json ? Launch.of(dir, "status", "-P", pidFile.toString(), "--json")
                    : Launch.of(dir, "status", "-P", pidFile.toString());
            status.awaitExit(Duration.ofSeconds(20));
            return status.output();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void awaitServing(String address) throws InterruptedException {
        Launch.await(START, "serving on " + address, () -> Launch.serves(address));
    }

    private static String link(int pid, int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
    }
}
