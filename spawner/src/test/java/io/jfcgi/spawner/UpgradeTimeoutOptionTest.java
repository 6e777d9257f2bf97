package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --upgrade-timeout: how long a successor launcher has to serve at SIGUSR2. */
class UpgradeTimeoutOptionTest {

    @ParameterizedTest(name = "--upgrade-timeout {0} -> {1}")
    @CsvSource(delimiter = '|', value = {"'' | PT1M", "90 | PT1M30S", "500ms | PT0.5S", "2m | PT2M"})
    void upgradeTimeoutIsAMinuteByDefault(String value, Duration expected) throws Exception {
        String flag = value.isEmpty() ? "" : "--upgrade-timeout " + value + " ";
        LaunchCommandLine.Launch launch = (LaunchCommandLine.Launch) LaunchCommandLine.parse(
                ("-p 9000 " + flag + "-- app.jar").split(" "));
        assertEquals(expected, launch.options().upgradeTimeout());
    }

    @Test
    void zeroIsRefusedInOneLineBecauseEveryUpgradeWouldFail() {
        UsageException e = assertThrows(UsageException.class,
                () -> LaunchCommandLine.parse("-p 9000 --upgrade-timeout 0 -- app.jar".split(" ")));
        assertTrue(e.getMessage().contains("--upgrade-timeout 0"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
