package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spawn-fcgi 1.6's flags and the pool's long options, as parsed: defaults, bounds and one message per mistake. */
class LaunchCommandLineTest {

    private static LaunchOptions launch(String line) throws UsageException {
        LaunchCommandLine.Request request = LaunchCommandLine.parse(line.split(" "));
        return assertInstanceOf(LaunchCommandLine.Launch.class, request).options();
    }

    private static LaunchOptions launch(String line, Map<String, String> environment) throws UsageException {
        LaunchCommandLine.Request request = LaunchCommandLine.parse(line.split(" "), environment);
        return assertInstanceOf(LaunchCommandLine.Launch.class, request).options();
    }

    private static String mistake(String line) {
        return assertThrows(UsageException.class, () -> LaunchCommandLine.parse(line.split(" "))).getMessage();
    }

    @Test
    void theRequestWatchingOptionsGoToJvmChildrenAsVariables() throws Exception {
        LaunchOptions options = launch("-p 9000 --slowlog /var/log/slow.log --slowlog-timeout 1s --max-queue-wait "
                + "2500ms --access-log /var/log/access.json -- app.jar");
        assertEquals(Map.of("JFCGI_SLOWLOG", "/var/log/slow.log", "JFCGI_SLOWLOG_TIMEOUT", "1000ms",
                "JFCGI_MAX_QUEUE_WAIT", "2500ms", "JFCGI_ACCESS_LOG", "/var/log/access.json"),
                options.oversight().environment());
    }

    @Test
    void withoutThemChildrenGetNoVariables() throws Exception {
        LaunchOptions options = launch("-p 9000 -- app.jar");
        assertTrue(options.oversight().isEmpty());
        assertEquals(Map.of(), options.oversight().environment());
    }

    @Test
    void aRelativeLogFileIsMadeAbsoluteSinceAChildMayRunElsewhere() throws Exception {
        LaunchOptions options = launch("-p 9000 --access-log access.json -- app.jar");
        assertEquals(java.nio.file.Path.of("access.json").toAbsolutePath(), options.oversight().accessLog());
    }

    @Test
    void spawnFcgiDefaultsAreOneStaticChildOnLoopbackOnlyAsADaemon() throws Exception {
        LaunchOptions options = launch("-p 9000 -- php-cgi");
        assertEquals(InetAddress.getByName("127.0.0.1"), options.address(), "closed by default, unlike spawn-fcgi");
        assertEquals(false, options.isExposed());
        assertEquals(List.of(), options.admittedClients());
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
    void portZeroAsksForAFreeTcpPort() throws Exception {
        LaunchOptions options = launch("-p 0 -- app.jar");
        assertEquals(0, options.port());
        assertNull(options.socketPath());
        assertNull(options.activation(), "-p names the socket: not systemd's");
    }

    @Test
    void dashFAloneIsAStaticPoolOfThatSize() throws Exception {
        LaunchOptions options = launch("-n -a 127.0.0.1 -p 9002 -F 4 -- app.jar");
        assertEquals(PoolMode.STATIC, options.poolMode());
        assertEquals(4, options.startChildren());
        assertEquals(4, options.maxChildren());
        assertTrue(options.isJvmResponder());
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

    @ParameterizedTest
    @CsvSource({"-v", "--version", "-n -v -- app.jar", "--version -p 9000"})
    void versionAsSpawnFcgiSpellsItAndAsTheLongFlag(String args) throws Exception {
        assertInstanceOf(LaunchCommandLine.Version.class, LaunchCommandLine.parse(args.split(" ")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-p 9000                                     | no program given",
        "-n -- app.jar                               | no socket given",
        "-p 9000 -s /tmp/x.sock -- app.jar           | not both",
        "-p 0 -s /tmp/x.sock -- app.jar              | not both",
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
        "-p 9000 --heartbeat-timeout 1 -- app.jar    | --heartbeat-timeout 1 is under 2s",
        "-p 9000 --slowlog-timeout 1s -- app.jar     | --slowlog-timeout needs --slowlog FILE",
        "-p 9000 --slowlog s --slowlog-timeout 0 -- a.jar | --slowlog-timeout must be more than 0",
        "-p 9000 --max-queue-wait soon -- app.jar    | --max-queue-wait soon is not a duration",
    })
    void eachMistakeIsNamedInOneLine(String line, String message) {
        String said = mistake(line.trim().replaceAll(" +", " "));
        assertTrue(said.contains(message), said);
        assertTrue(!said.contains("\n"), said);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-p 9000 --frobnicate -- app.jar",
        "-p 9000 -- -x",
        "-p 9000 -F",                                        // an option without its value
    })
    void aMistakeInTheOptionsThemselvesComesWithTheUsageSynopsis(String line) {
        UsageException e = assertThrows(UsageException.class, () -> LaunchCommandLine.parse(line.split(" ")));
        assertEquals(LaunchCommandLine.help().lines().findFirst().orElseThrow(), e.synopsis());
        assertTrue(e.synopsis().contains(LaunchCommandLine.USAGE_LINE), e.synopsis());
    }

    @Test
    void aMistakeInAValueComesWithoutTheSynopsis() {
        assertNull(assertThrows(UsageException.class, () -> LaunchCommandLine.parse("-p http -- a.jar".split(" ")))
                .synopsis());
    }

    @ParameterizedTest(name = "--heartbeat-timeout {0} -> {1}")
    @CsvSource(delimiter = '|', value = {"'' | PT30S", "2 | PT2S", "45s | PT45S", "0 | PT0S"})
    void heartbeatTimeoutIsThirtySecondsByDefaultAndZeroSwitchesItOff(String value, Duration expected)
            throws Exception {
        String flag = value.isEmpty() ? "" : "--heartbeat-timeout " + value + " ";
        assertEquals(expected, launch("-p 9000 " + flag + "-- app.jar").heartbeatTimeout());
    }

    @ParameterizedTest(name = "-a {0} exposed: {1}")
    @CsvSource({"0.0.0.0, true", "::, true", "192.0.2.10, true", "127.0.0.1, false", "::1, false"})
    void anExplicitAddressOtherThanLoopbackOpensThePool(String address, boolean exposed) throws Exception {
        LaunchOptions options = launch("-a " + address + " -p 9000 -- app.jar");
        assertEquals(InetAddress.getByName(address), options.address());
        assertEquals(exposed, options.isExposed());
    }

    @Test
    void allowTakesAddressesAndRangesAndAlwaysAdmitsLoopback() throws Exception {
        LaunchOptions options = launch("-a 0.0.0.0 -p 9000 --allow 10.200.0.2,fd00::/64 --allow 192.0.2.0/24 -- "
                + "app.jar");
        assertEquals("10.200.0.2,fd00::/64,192.0.2.0/24,127.0.0.1,::1",
                options.clientsDescription());
    }

    @Test
    void loopbackAlreadyInTheListIsNotAddedTwice() throws Exception {
        LaunchOptions options = launch("-a 0.0.0.0 -p 9000 --allow 127.0.0.0/8,::1,10.0.0.1 -- app.jar");
        assertEquals("127.0.0.0/8,::1,10.0.0.1", options.clientsDescription());
    }

    @Test
    void fcgiWebServerAddrsInTheEnvironmentIsTheDefaultOfAllow() throws Exception {
        Map<String, String> environment = Map.of("FCGI_WEB_SERVER_ADDRS", "10.200.0.2, 10.200.0.3");
        assertEquals("10.200.0.2,10.200.0.3,127.0.0.1,::1",
                launch("-a 0.0.0.0 -p 9000 -- php-cgi", environment).clientsDescription());
        assertEquals("10.9.9.9,127.0.0.1,::1",
                launch("-a 0.0.0.0 -p 9000 --allow 10.9.9.9 -- php-cgi", environment).clientsDescription(),
                "--allow wins over the environment");
    }

    @Test
    void withoutAllowTheStatusSaysWhoCanConnect() throws Exception {
        assertEquals("any host (no --allow)", launch("-a 0.0.0.0 -p 9000 -- app.jar").clientsDescription());
        assertEquals("this host only (loopback)", launch("-p 9000 -- app.jar").clientsDescription());
        assertTrue(launch("-s /tmp/x.sock -- app.jar").clientsDescription().contains("mode 660"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -p 9000 --allow 10.0.0.5/24 -- app.jar     | --allow: '10.0.0.5/24' has host bits set: did you mean 10.0.0.0/24?
            -p 9000 --allow web1 -- app.jar            | --allow: 'web1' is not an IP address or a CIDR range
            -p 9000 --allow 10.0.0.1,,10.0.0.2 -- a.jar| --allow: '' is not an IP address or a CIDR range
            -s /tmp/a.sock --allow 10.0.0.1 -- app.jar | --allow applies to TCP only
            """)
    void aBadAllowListIsOneLine(String line, String message) {
        String error = mistake(line.trim());
        assertTrue(error.startsWith(message), error);
    }

    @Test
    void aBadFcgiWebServerAddrsNamesTheVariable() {
        String error = assertThrows(UsageException.class, () -> LaunchCommandLine.parse(
                "-p 9000 -- php-cgi".split(" "), Map.of("FCGI_WEB_SERVER_ADDRS", "10.0.0.1;10.0.0.2"))).getMessage();
        assertTrue(error.startsWith("FCGI_WEB_SERVER_ADDRS (the default of --allow): '10.0.0.1;10.0.0.2'"), error);
    }

    @Test
    void classDataSharingIsOffUnlessAskedFor() throws Exception {
        // Off by default: making the archive runs the app once more, with a GET / of its own (ArchiveTraining).
        assertEquals(ChildClassDataSharing.Choice.OFF, launch("-p 9000 -- app.jar").classDataSharing());
    }

    @Test
    void cdsTurnsItOnInTheDefaultDirectory() throws Exception {
        assertEquals(ChildClassDataSharing.Choice.DEFAULT, launch("-p 9000 --cds -- app.jar").classDataSharing());
    }

    @Test
    void cdsDirNamesTheArchivesDirectoryAndTurnsItOn() throws Exception {
        assertEquals(ChildClassDataSharing.Choice.in(java.nio.file.Path.of("/var/cache/app")),
                launch("-p 9000 --cds-dir /var/cache/app -- app.jar").classDataSharing());
    }

    @ParameterizedTest(name = "-M {0} -> {1}")
    @CsvSource({"0, 0", "0660, 432", "0777, 511"})
    void socketModesAreOctalFrom0To0777(String mode, int expected) throws Exception {
        assertEquals(expected, launch("-s /tmp/app.sock -M " + mode + " -- app.jar").socketMode());
    }

    @ParameterizedTest(name = "-M {0}")
    @CsvSource({"1000", "0778", "rw"})
    void aSocketModeThatIsNotAFileModeIsAMistake(String mode) {
        assertTrue(mistake("-s /tmp/app.sock -M " + mode + " -- app.jar").contains("is not a file mode"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--max-children 4 --min-spare 4 --max-spare 4                     | 4, 4, 4, 4",
        "--max-children 4 --min-spare 2 --max-spare 4 --start-children 2  | 2, 2, 4, 4",
        "--max-children 4 --min-spare 2 --max-spare 3 --start-children 4  | 4, 2, 3, 4",
        "--max-children 10000 --min-spare 1 --max-spare 1                 | 1, 1, 1, 10000",
    })
    void poolBoundsThatMeetAreAccepted(String bounds, String expected) throws Exception {
        LaunchOptions options = launch("-p 9000 " + bounds + " -- app.jar");
        assertEquals(expected, options.startChildren() + ", " + options.minSpare() + ", " + options.maxSpare() + ", "
                + options.maxChildren());
    }
}
