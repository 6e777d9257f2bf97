package io.jfcgi.spawner.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --status-listen's addresses: a port alone is loopback; literals only; a path is a unix socket. */
class StatusListenTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "9001,              127.0.0.1:9001, false",
        "127.0.0.1:9001,    127.0.0.1:9001, false",
        "[::1]:9001,        [0:0:0:0:0:0:0:1]:9001, false",
        "0.0.0.0:9001,      0.0.0.0:9001, true",
        "127.0.0.1:0,       127.0.0.1:0, false",
        "/run/jfcgi/s.sock, unix:/run/jfcgi/s.sock, false",
    })
    void addressesRead(String value, String described, boolean exposed) {
        StatusListen listen = StatusListen.parse(value, "/status", "/ping");
        assertEquals(described, listen.describe());
        assertEquals(exposed, listen.isExposed());
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "localhost:9001 | /status | /ping | is not an IP address",
        "9001x          | /status | /ping | is not a port from 0 to 65535",
        "127.0.0.1:-1   | /status | /ping | is not a port from 0 to 65535",
        "65536          | /status | /ping | is not a port from 0 to 65535",
        "9001           | status  | /ping | is not a path",
        "9001           | /s      | /s    | --status-path and --ping-path are both /s",
        "9001           | /s?x    | /ping | is not a path",
    })
    void mistakesSayWhatIsWrong(String value, String status, String ping, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusListen.parse(value, status, ping));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
