package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.spawner.status.StatusListen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --status-listen, --status-path and --ping-path on the launcher's command line. */
class StatusListenOptionsTest {

    private static StatusListen statusListen(String line) throws UsageException {
        return assertInstanceOf(LaunchCommandLine.Launch.class, LaunchCommandLine.parse(line.split(" ")))
                .options().statusListen();
    }

    @Test
    void withoutStatusListenTheLauncherAnswersNothingItself() throws Exception {
        assertNull(statusListen("-p 9000 -- app.jar"));
    }

    @Test
    void aPortAloneIsLoopbackWithPhpFpmsPaths() throws Exception {
        StatusListen listen = statusListen("-p 9000 --status-listen 9001 -- app.jar");
        assertEquals("127.0.0.1:9001", listen.describe());
        assertEquals("/status", listen.statusPath());
        assertEquals("/ping", listen.pingPath());
    }

    @Test
    void thePathsCanBeChosen() throws Exception {
        StatusListen listen = statusListen("-p 9000 --status-listen /run/s.sock --status-path /fpm-status "
                + "--ping-path /health -- app.jar");
        assertEquals("unix:/run/s.sock /fpm-status /health", listen.describe() + " " + listen.statusPath() + " "
                + listen.pingPath());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-p 9000 --status-path /s -- app.jar                | --status-path needs --status-listen ADDR",
        "-p 9000 --ping-path /p -- app.jar                  | --ping-path needs --status-listen ADDR",
        "-p 9000 --status-listen example.org:9001 -- app.jar | is not an IP address",
        "-p 9000 --status-listen 9001 --ping-path /status -- a.jar | are both /status",
    })
    void mistakesAreOneLine(String line, String message) {
        String said = assertThrows(UsageException.class,
                () -> LaunchCommandLine.parse(line.trim().replaceAll(" +", " ").split(" "))).getMessage();
        assertTrue(said.contains(message) && !said.contains("\n"), said);
    }
}
