package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every mistake an operator can make on the command line: one line naming it and the fix, exit 255. */
class BadInputIT {

    @TempDir
    Path dir;

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("no socket", new String[] {"-n", "--", "sleep", "1"}, "no socket given: use -p PORT"),
                Arguments.of("both sockets", new String[] {"-n", "-p", "9", "-s", "/tmp/x.sock", "--", "sleep"},
                        "either a unix socket (-s) or a TCP port (-p), not both"),
                Arguments.of("no program", new String[] {"-n", "-p", "9000"}, "no program given"),
                Arguments.of("port not a number", new String[] {"-n", "-p", "http", "--", "sleep"},
                        "-p http is not a number"),
                Arguments.of("port out of range", new String[] {"-n", "-p", "70000", "--", "sleep"},
                        "-p 70000 is out of range"),
                Arguments.of("address not literal", new String[] {"-n", "-a", "localhost", "-p", "9000", "--",
                        "sleep"}, "'localhost' is not a valid IP address"),
                Arguments.of("bad mode", new String[] {"-n", "-s", "/tmp/x.sock", "-M", "999", "--", "sleep"},
                        "-M 999 is not a file mode"),
                Arguments.of("unknown option", new String[] {"-n", "--frobnicate", "--", "sleep"},
                        "unknown option --frobnicate; see jspawn-fcgi --help"),
                Arguments.of("program not in PATH", new String[] {"-n", "-p", "9000", "--", "no-such-program-x"},
                        "program 'no-such-program-x' is not in PATH"),
                Arguments.of("jar missing", new String[] {"-n", "-p", "9000", "--", "/nonexistent/app.jar"},
                        "cannot read /nonexistent/app.jar"),
                Arguments.of("spare bounds", new String[] {"-n", "-p", "9000", "--max-children", "2", "--min-spare",
                        "3", "--", "app.jar"}, "must not exceed --max-children (2)"),
                Arguments.of("unknown pool mode", new String[] {"-n", "-p", "9000", "--pm", "lazy", "--",
                        "sleep"}, "--pm lazy is not a pool mode: use static, dynamic or ondemand"),
                Arguments.of("bad duration", new String[] {"-n", "-p", "9000", "--stop-timeout", "soon", "--",
                        "sleep"}, "--stop-timeout soon is not a duration"),
                Arguments.of("unwritable pidfile", new String[] {"-n", "-p", "9000", "-P", "/proc/no/app.pid", "--",
                        "sleep", "9"}, "cannot write the pidfile /proc/no/app.pid"),
                Arguments.of("unwritable log", new String[] {"-n", "-p", "9000", "--log", "/proc/no/app.log", "--",
                        "sleep", "9"}, "cannot open the log file /proc/no/app.log (--log)"),
                Arguments.of("socket in a missing directory", new String[] {"-n", "-s", "/proc/no/app.sock", "--",
                        "sleep", "9"}, "cannot create the unix socket /proc/no/app.sock"));
    }

    @Test
    void unknownOptionIsOneLineThenTheUsageSynopsisAndExit255() throws Exception {
        try (Launch launch = Launch.of(dir, "-n", "--frobnicate", "--", "sleep")) {
            assertEquals(255, launch.awaitExit(Duration.ofSeconds(20)), launch.output());
            assertEquals(List.of("jspawn-fcgi: unknown option --frobnicate; see jspawn-fcgi --help",
                    "usage: jspawn-fcgi [options] -- <program|app.jar> [args...]"), launch.output().lines().toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakeGetsOneLineAndExit255(String name, String[] args, String message) throws Exception {
        try (Launch launch = Launch.of(dir, args)) {
            assertEquals(255, launch.awaitExit(Duration.ofSeconds(20)), launch.output());
            String output = launch.output().trim();
            assertTrue(output.contains(message), output);
            assertTrue(!output.contains("\tat "), "no stack trace: " + output);
        }
    }

    @Test
    void portInUseIsRefusedWithTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p",
                        Integer.toString(taken.getLocalPort()), "--", "sleep", "9")) {
            assertEquals(255, launch.awaitExit(Duration.ofSeconds(20)), launch.output());
            assertTrue(launch.output().contains("is already in use by another process: stop it, or choose another "
                    + "port with -p"), launch.output());
        }
    }

    @Test
    void liveUnixSocketIsRefusedAndLeftAlone() throws Exception {
        Path socket = dir.resolve("live.sock");
        try (Launch first = Launch.of(dir, "-n", "-s", socket.toString(), "--", "sleep", "60")) {
            Launch.await(Duration.ofSeconds(20), "the first launcher's socket", () -> socket.toFile().exists());
            try (Launch second = Launch.of(dir, "-n", "-s", socket.toString(), "--", "sleep", "60")) {
                assertEquals(255, second.awaitExit(Duration.ofSeconds(20)), second.output());
                assertTrue(second.output().contains("is in use by a live listener"), second.output());
            }
            assertTrue(socket.toFile().exists(), "the live socket must survive");
        }
    }

    @Test
    void staleUnixSocketLeftByADeadProcessIsReplaced() throws Exception {
        Path socket = dir.resolve("stale.sock");
        // A JDK unix listener leaves its file behind when closed: exactly what a crashed server leaves.
        try (java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        assertTrue(java.nio.file.Files.exists(socket));
        try (Launch launch = Launch.of(dir, "-n", "-s", socket.toString(), "--", Launch.FIXTURE.toString())) {
            Launch.await(Duration.ofSeconds(20), "serving on the replaced socket",
                    () -> "Hello, World!".equals(request("unix:" + socket)));
        }
    }

    @Test
    void pathThatIsNotASocketIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("app.sock");
        java.nio.file.Files.writeString(file, "precious");
        try (Launch launch = Launch.of(dir, "-n", "-s", file.toString(), "--", "sleep", "9")) {
            assertEquals(255, launch.awaitExit(Duration.ofSeconds(20)), launch.output());
            assertTrue(launch.output().contains(file + " exists and is not a socket"), launch.output());
        }
        assertEquals("precious", java.nio.file.Files.readString(file));
    }

    @Test
    void bindBeforeChrootWithoutChrootIsNamedAsIgnored() throws Exception {
        io.jfcgi.fixture.e2e.RequiredTool.requireRoot("-S without -c (without root -S is refused: PrivilegesIT)");
        try (Launch launch = Launch.of(dir, "-n", "-S", "-s", dir.resolve("s.sock").toString(), "--", "sleep",
                "60")) {
            Launch.await(Duration.ofSeconds(20), "the warning", () -> launch.outputText().contains(
                    "-S has no effect without -c (it binds the socket before the chroot); ignored"));
        }
    }

    private static String request(String address) {
        try {
            return Launch.request(address, "/hello");
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void secondLauncherOnTheSamePidfileIsRefused() throws Exception {
        Path pidFile = dir.resolve("app.pid");
        try (Launch first = Launch.of(dir, "-n", "-s", dir.resolve("a.sock").toString(), "-P", pidFile.toString(),
                "--", "sleep", "60")) {
            Launch.await(Duration.ofSeconds(20), "the pidfile", () -> pidFile.toFile().exists());
            try (Launch second = Launch.of(dir, "-n", "-s", dir.resolve("b.sock").toString(), "-P",
                    pidFile.toString(), "--", "sleep", "60")) {
                assertEquals(255, second.awaitExit(Duration.ofSeconds(20)), second.output());
                assertTrue(second.output().contains("already running with pid " + first.pid()), second.output());
            }
        }
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        try (Launch help = Launch.of(dir, "-h"); Launch version = Launch.of(dir, "-v")) {
            assertEquals(0, help.awaitExit(Duration.ofSeconds(20)));
            assertTrue(help.output().contains("--max-children"), help.output());
            assertEquals(0, version.awaitExit(Duration.ofSeconds(20)));
            assertTrue(version.output().startsWith("jspawn-fcgi 0.1.0"), version.output());
        }
    }
}
