package io.jfcgi.spawner.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.spawner.UsageException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sd_listen_fds(3)'s rules for the environment, for a process of pid 100. */
class SocketActivationTest {

    private static final long OUR_PID = 100;

    /** {@code "-"} for a variable that is not set. */
    private static Map<String, String> environment(String pid, String fds, String names) {
        Map<String, String> environment = new HashMap<>();
        if (!pid.equals("-")) {
            environment.put("LISTEN_PID", pid);
        }
        if (!fds.equals("-")) {
            environment.put("LISTEN_FDS", fds);
        }
        if (!names.equals("-")) {
            environment.put("LISTEN_FDNAMES", names);
        }
        return environment;
    }

    @ParameterizedTest(name = "LISTEN_PID={0} LISTEN_FDS={1} LISTEN_FDNAMES={2}: fd {3} named ''{4}''")
    @CsvSource(delimiter = '|', value = {
        "100 | 1  | -                     | 3 | ''",
        "100 | 1  | jspawn-fcgi@shop.socket | 3 | jspawn-fcgi@shop.socket",
        "100 | 1  | ''                    | 3 | ''",
        "' 100' | ' 1' | -                | 3 | ''",
    })
    void oneSocketForUsIsFdThree(String pid, String fds, String names, int fd, String name) throws Exception {
        assertEquals(new SocketActivation(fd, name), SocketActivation.of(environment(pid, fds, names), OUR_PID));
    }

    @ParameterizedTest(name = "LISTEN_PID={0} LISTEN_FDS={1}")
    @CsvSource(delimiter = '|', value = {
        "-   | -",   // not socket-activated
        "-   | 1",   // no LISTEN_PID: not for us, as sd_listen_fds
        "99  | 1",   // for another process (our parent, a shell): ignored
        "100 | -",
        "100 | 0",
        "abc | 1",
    })
    void variablesNotForUsOrEmptyPassNoSocket(String pid, String fds) throws Exception {
        assertNull(SocketActivation.of(environment(pid, fds, "-"), OUR_PID));
    }

    @ParameterizedTest(name = "LISTEN_FDS={0}")
    @CsvSource(delimiter = '|', value = {
        "2   | systemd passed 2 sockets (LISTEN_FDS=2, names a:b); jspawn-fcgi serves one",
        "x   | LISTEN_FDS=x is not a number of sockets",
        "-1  | LISTEN_FDS=-1 is not a number of sockets",
    })
    void moreThanOneSocketOrNonsenseIsRefusedInOneLine(String fds, String message) {
        String said = assertThrows(UsageException.class,
                () -> SocketActivation.of(environment("100", fds, "a:b"), OUR_PID)).getMessage();
        assertTrue(said.contains(message), said);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''         | fd 3 from systemd",
        "shop.socket | fd 3 from systemd (shop.socket)",
    })
    void itIsDescribedAsTheSocketFromSystemd(String name, String described) {
        assertEquals(described, new SocketActivation(3, name).describe());
    }
}
