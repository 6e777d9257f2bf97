package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.spawner.systemd.SocketActivation;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line under socket activation: systemd's socket when no -a, -p or -s names one. */
class ActivationCommandLineTest {

    private static final Map<String, String> OURS = Map.of("LISTEN_PID",
            Long.toString(ProcessHandle.current().pid()), "LISTEN_FDS", "1", "LISTEN_FDNAMES", "shop.socket");

    private static LaunchOptions launch(String line, Map<String, String> environment) throws UsageException {
        return assertInstanceOf(LaunchCommandLine.Launch.class,
                LaunchCommandLine.parse(line.split(" "), environment)).options();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-n -- app.jar", "-n --allow 10.0.0.5 -- app.jar", "-n -F 3 -- php-cgi"})
    void withoutASocketOptionTheSocketFromSystemdIsUsed(String line) throws Exception {
        LaunchOptions options = launch(line, OURS);
        assertEquals(new SocketActivation(3, "shop.socket"), options.activation());
        assertEquals("fd 3 from systemd (shop.socket)", options.listenDescription());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-n -p 9000 -- app.jar", "-n -s /tmp/x.sock -- app.jar", "-n -a 127.0.0.1 -p 9000 -- app.jar"})
    void aSocketOptionWinsOverSystemds(String line) throws Exception {
        assertNull(launch(line, OURS).activation());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-- app.jar      | needs -n",
        "-a ::1 -n -- a  | no socket given",
    })
    void mistakesUnderActivationAreNamedInOneLine(String line, String message) {
        String said = assertThrows(UsageException.class,
                () -> LaunchCommandLine.parse(line.trim().split(" "), OURS)).getMessage();
        assertTrue(said.contains(message), said);
    }

    @ParameterizedTest(name = "LISTEN_PID {0}")
    @CsvSource({"1", "0"})
    void variablesForAnotherProcessAreIgnored(String pid) {
        Map<String, String> theirs = Map.of("LISTEN_PID", pid, "LISTEN_FDS", "1");
        String said = assertThrows(UsageException.class,
                () -> LaunchCommandLine.parse("-n -- app.jar".split(" "), theirs)).getMessage();
        assertTrue(said.contains("no socket given"), said);
    }
}
