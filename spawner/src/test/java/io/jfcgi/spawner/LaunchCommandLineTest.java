package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spawn-fcgi 1.6's flags and the pool's long options, as parsed: defaults, bounds and one message per mistake. */
class LaunchCommandLineTest {

    private static LaunchOptions launch(String line) throws UsageException {
        LaunchCommandLine.Request request = LaunchCommandLine.parse(line.split(" "));
        return assertInstanceOf(LaunchCommandLine.Launch.class, request).options();
    }

    private static String mistake(String line) {
        return assertThrows(UsageException.class, () -> LaunchCommandLine.parse(line.split(" "))).getMessage();
    }

    @Test
    void spawnFcgiDefaultsAreOneStaticChildOnAllAddressesAsADaemon() throws Exception {
        LaunchOptions options = launch("-p 9000 -- php-cgi");
        assertEquals(InetAddress.getByName("0.0.0.0"), options.address());
        assertEquals(9000, options.port());
        assertNull(options.socketPath());
        assertEquals(1024, options.backlog());
        assertEquals(0660, options.socketMode());
        assertEquals(PoolMode.STATIC, options.poolMode());
        assertEquals(1, options.startChildren());
        assertEquals(false, options.foreground());
        assertEquals(List.of("php-cgi"), options.program());
    }

    @Test
    void dashFAloneIsAStaticPoolOfThatSize() throws Exception {
        LaunchOptions options = launch("-n -a 127.0.0.1 -p 9002 -F 4 -- app.jar");
        assertEquals(PoolMode.STATIC, options.poolMode());
        assertEquals(4, options.startChildren());
        assertEquals(4, options.maxChildren());
        assertTrue(options.isJar());
    }

    @Test
    void aSpareBoundMakesThePoolDynamicWithPhpFpmLikeDefaults() throws Exception {
        LaunchOptions options = launch("-p 9000 --max-spare 4 -- app.jar");
        assertEquals(PoolMode.DYNAMIC, options.poolMode());
        assertEquals(8, options.maxChildren());
        assertEquals(1, options.minSpare());
        assertEquals(4, options.maxSpare());
        assertEquals(2, options.startChildren(), "min + (max - min) / 2, as PHP-FPM");
        assertEquals(Duration.ofSeconds(10), options.idleTimeout());
    }

    @Test
    void dynamicPoolWithoutSpareBoundsDefaultsToOneToThree() throws Exception {
        LaunchOptions options = launch("-p 9000 --pm dynamic -- app.jar");
        assertEquals(1, options.minSpare());
        assertEquals(3, options.maxSpare());
        assertEquals(2, options.startChildren());
    }

    @Test
    void ondemandPoolStartsNoChildAndIsBoundedByMaxChildren() throws Exception {
        LaunchOptions options = launch("-p 9000 --pm ondemand --max-children 5 --idle-timeout 30s -- app.jar");
        assertEquals(PoolMode.ONDEMAND, options.poolMode());
        assertEquals(0, options.startChildren());
        assertEquals(5, options.maxChildren());
        assertEquals(Duration.ofSeconds(30), options.idleTimeout());
    }

    @Test
    void maxRequestsJitterDefaultsToATenth() throws Exception {
        LaunchOptions options = launch("-p 9000 --max-requests 1000 -- app.jar");
        assertEquals(1000, options.maxRequests());
        assertEquals(100, options.maxRequestsJitter());
    }

    @Test
    void programArgumentsAfterTheDashesAreKeptAsTheyAre() throws Exception {
        assertEquals(List.of("app.jar", "--listen", "-x"), launch("-p 9000 -- app.jar --listen -x").program());
    }

    @Test
    void deprecatedDashFRunsThroughTheShell() throws Exception {
        assertEquals(List.of("/bin/sh", "-c", "exec /usr/bin/php-cgi"), launch("-p 9000 -f /usr/bin/php-cgi")
                .program());
    }

    @Test
    void ipv6LiteralIsAccepted() throws Exception {
        assertEquals(InetAddress.getByName("::1"), launch("-a ::1 -p 9000 -- app.jar").address());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "30s   | 30000",
        "500ms | 500",
        "2m    | 120000",
        "1h    | 3600000",
        "7     | 7000",
    })
    void durationsTakeAUnitAndABareNumberIsSeconds(String value, long millis) throws Exception {
        assertEquals(Duration.ofMillis(millis), launch("-p 9000 --stop-timeout " + value + " -- app.jar")
                .stopTimeout());
    }

    @Test
    void helpAndVersionNeedNoProgram() throws Exception {
        assertInstanceOf(LaunchCommandLine.Help.class, LaunchCommandLine.parse(new String[] {"-h"}));
        assertInstanceOf(LaunchCommandLine.Help.class, LaunchCommandLine.parse(new String[] {"-?"}));
        assertInstanceOf(LaunchCommandLine.Version.class, LaunchCommandLine.parse(new String[] {"-v"}));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-p 9000                                     | no program given",
        "-n -- app.jar                               | no socket given",
        "-p 9000 -s /tmp/x.sock -- app.jar           | not both",
        "-s /tmp/x.sock -a 127.0.0.1 -- app.jar      | -a applies to TCP only",
        "-p 70000 -- app.jar                         | -p 70000 is out of range",
        "-p http -- app.jar                          | -p http is not a number",
        "-a localhost -p 9000 -- app.jar             | not a valid IP address",
        "-s /tmp/x.sock -M 0999 -- app.jar           | not a file mode",
        "-p 9000 --pm lazy -- app.jar                | --pm lazy is not a pool mode: use static, dynamic or ondemand",
        "-p 9000 --pm ondemand -F 2 -- app.jar       | -F does not apply to --pm ondemand",
        "-p 9000 --pm ondemand --min-spare 1 -- a    | --min-spare does not apply to --pm ondemand",
        "-p 9000 --pm static --max-spare 2 -- a.jar  | need --pm dynamic",
        "-p 9000 --min-spare 4 --max-spare 2 -- a.jar| --max-spare (2) must be at least --min-spare (4)",
        "-p 9000 --max-children 2 --max-spare 3 -- a | must not exceed --max-children (2)",
        "-p 9000 --min-spare 2 --start-children 1 -- a | --start-children (1) must lie between",
        "-p 9000 --stop-timeout soon -- app.jar      | --stop-timeout soon is not a duration",
        "-p 9000 --frobnicate -- app.jar             | unknown option --frobnicate",
        "-p 9000 -- -x                               | unknown option -x",
    })
    void eachMistakeIsNamedInOneLine(String line, String message) {
        String said = mistake(line.trim().replaceAll(" +", " "));
        assertTrue(said.contains(message), said);
        assertTrue(!said.contains("\n"), said);
    }
}
