package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.jfcgi.responder.ServerSettings.DEFAULT_PARAMS_LIMITS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    private static ServerSettings apply(Map<String, String> env, String... args) {
        FastCgiServer.Builder builder = FastCgiServer.builder().handler((request, response) -> { });
        CommandLine.apply(args, env, builder);
        return builder.build().settings();
    }

    @Test
    void flagsSetTheSettings() {
        ServerSettings settings = apply(Map.of(), "--listen", "127.0.0.1:9000", "--workers=3", "--io-threads", "2", "--queue", "7",
                "--max-conns", "9", "--max-reqs-per-conn", "1", "--mux-queue", "5", "--read-timeout", "1.5",
                "--access-log");
        assertEquals("127.0.0.1:9000", settings.listen().get(0).toString());
        assertEquals(3, settings.workers());
        assertEquals(2, settings.ioThreads());
        assertEquals(7, settings.queueCapacity());
        assertEquals(9, settings.maxConnections());
        assertEquals(1, settings.maxRequestsPerConnection());
        assertEquals(5, settings.muxQueueCapacity());
        assertEquals(Duration.ofMillis(1500), settings.readTimeout());
        assertTrue(settings.accessLog());
    }

    @Test
    void theRequestWatchingFlagsSetTheOversight() {
        ServerSettings settings = apply(Map.of(), "--slowlog", "/tmp/slow.log", "--slowlog-timeout", "1s",
                "--max-queue-wait=2.5", "--access-log=/tmp/access.json");
        assertEquals(new Oversight(Path.of("/tmp/slow.log"), Duration.ofSeconds(1), Duration.ofMillis(2500),
                Path.of("/tmp/access.json")), settings.oversight());
        assertFalse(settings.accessLog(), "--access-log=FILE is the JSON log, not the log line");
    }

    @Test
    void withoutThemNothingIsWatched() {
        assertEquals(Oversight.NONE, apply(Map.of()).oversight());
    }

    @Test
    void theEnvironmentStandsInForTheRequestWatchingFlagsAndTheFlagsWin() {
        Map<String, String> env = Map.of("JFCGI_SLOWLOG", "/env/slow.log", "JFCGI_SLOWLOG_TIMEOUT", "1500ms",
                "JFCGI_MAX_QUEUE_WAIT", "3s", "JFCGI_ACCESS_LOG", "/env/access.json");
        assertEquals(new Oversight(Path.of("/env/slow.log"), Duration.ofMillis(1500), Duration.ofSeconds(3),
                Path.of("/env/access.json")), apply(env).oversight());
        assertEquals(new Oversight(Path.of("/flag/slow.log"), Duration.ofMillis(1500), Duration.ofMinutes(1),
                Path.of("/env/access.json")), apply(env, "--slowlog", "/flag/slow.log", "--max-queue-wait", "1m")
                .oversight());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "3|3000", "1.5|1500", "1s|1000", "0.5s|500", "250ms|250", "2m|120000", "0|0", "0ms|0", "0s|0",
        "31536000s|31536000000", "31536000|31536000000", // a year is the longest
    })
    void durationsTakeSecondsOrAUnit(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), CommandLine.duration("--max-queue-wait", text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--max-queue-wait=soon|--max-queue-wait needs a duration such as 1s, 500ms, 2m or 1.5 (seconds), got 'soon'",
        "--max-queue-wait=-1s|--max-queue-wait needs a duration",
        "--slowlog-timeout=5h|--slowlog-timeout needs a duration",
        "--slowlog-timeout=0|--slowlog-timeout must be more than 0",
        "--max-queue-wait=31536001s|--max-queue-wait needs a duration",
        "--max-queue-wait=31536001|--max-queue-wait needs a number of seconds",
    })
    void badDurationsAreNamed(String arg, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply(Map.of(), arg));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void aBadDurationFromTheEnvironmentNamesTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> apply(Map.of("JFCGI_MAX_QUEUE_WAIT", "soon")));
        assertTrue(e.getMessage().startsWith("JFCGI_MAX_QUEUE_WAIT needs a duration"), e.getMessage());
    }

    @Test
    void theEnvironmentSuppliesWebServerAddressesAndADefaultListen() {
        ServerSettings settings = apply(Map.of("FCGI_WEB_SERVER_ADDRS", "127.0.0.1, ::1", "JFCGI_LISTEN", ":9100"));
        assertEquals(List.of("127.0.0.1", "::1"), settings.webServerAddresses());
        assertEquals(":9100", settings.listen().get(0).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|unknown option --bogus",
        "--workers|--workers needs a value",
        "--workers=0|--workers needs a whole number of at least 1, got '0'",
        "--queue=-1|--queue needs a whole number of at least 0",
        "--io-threads=0|--io-threads needs a whole number of at least 1, got '0'",
        "--io-threads=many|--io-threads needs a whole number of at least 1, got 'many'",
        "--read-timeout=soon|--read-timeout needs a number of seconds, got 'soon'",
        "--listen=nowhere|cannot listen on 'nowhere'",
        "--max-param-name=0|--max-param-name needs a whole number of at least 1, got '0'",
        "--max-param-name=-5|--max-param-name needs a whole number of at least 1, got '-5'",
        "--max-param-name=long|--max-param-name needs a whole number of at least 1, got 'long'",
        "--max-param-value=0|--max-param-value needs a whole number of at least 1, got '0'",
        "--max-param-value=-1|--max-param-value needs a whole number of at least 1, got '-1'",
        "--max-param-value=1M|--max-param-value needs a whole number of at least 1, got '1M'",
        "--max-params-bytes=0|--max-params-bytes needs a whole number of at least 1, got '0'",
        "--max-params-bytes=-1|--max-params-bytes needs a whole number of at least 1, got '-1'",
        "--max-params-bytes=lots|--max-params-bytes needs a whole number of at least 1, got 'lots'",
        "--max-params=0|--max-params needs a whole number of at least 1, got '0'",
        "--max-params=-2|--max-params needs a whole number of at least 1, got '-2'",
        "--max-params=all|--max-params needs a whole number of at least 1, got 'all'",
        "--max-params|--max-params needs a value",
        "--max-buffered-bytes=0|--max-buffered-bytes needs a whole number of at least 1, got '0'",
        "--max-buffered-bytes=64M|--max-buffered-bytes needs a whole number of at least 1, got '64M'",
        "--workers=3000000000|--workers needs a whole number of at least 1, got '3000000000'"})
    void badFlagsSayWhatIsWrong(String arg, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply(Map.of(), arg));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theParamsLimitFlagsSetTheLimits() {
        ServerSettings settings = apply(Map.of(), "--max-param-name", "100", "--max-param-value=2000",
                "--max-params-bytes", "4000", "--max-params=50");
        assertEquals(new ParamsLimits(4000, 50, 100, 2000), settings.paramsLimits());
    }

    @Test
    void withoutParamsLimitFlagsTheLimitsAreTheDefaults() {
        assertEquals(DEFAULT_PARAMS_LIMITS, apply(Map.of()).paramsLimits());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--max-param-value=5000|--max-params-bytes=4000|--max-param-value 5000 is more than --max-params-bytes 4000",
        "--max-param-name=5000|--max-params-bytes=4000|--max-param-name 5000 is more than --max-params-bytes 4000",
        "--max-param-value=2000000|--max-params=10|--max-param-value 2000000 is more than --max-params-bytes 1048576"})
    void aNameOrValueLimitAboveTheWholeParamsLimitIsRefused(String perPair, String other, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> apply(Map.of(), perPair, other));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void loweringOnlyTheWholeParamsLimitIsAllowed() {
        ServerSettings settings = apply(Map.of(), "--max-params-bytes", "4096");
        assertEquals(DEFAULT_PARAMS_LIMITS.withMaxStreamBytes(4096), settings.paramsLimits());
    }

    @Test
    void withoutFlagsTheSettingsAreTheDefaults() {
        ServerSettings settings = apply(Map.of());
        assertEquals(List.of(), settings.listen());
        assertEquals(ServerSettings.defaultWorkers(), settings.workers());
        assertEquals(ServerSettings.defaultIoThreads(), settings.ioThreads());
        assertEquals(ServerSettings.defaultQueueCapacity(ServerSettings.DEFAULT_MAX_CONNECTIONS,
                ServerSettings.defaultWorkers()), settings.queueCapacity());
        assertEquals(ServerSettings.DEFAULT_MAX_CONNECTIONS, settings.maxConnections());
        assertEquals(ServerSettings.DEFAULT_MAX_REQUESTS_PER_CONNECTION, settings.maxRequestsPerConnection());
        assertEquals(ServerSettings.DEFAULT_BODY_BUFFER_BYTES, settings.bodyBufferBytes());
        assertEquals(ServerSettings.DEFAULT_READ_TIMEOUT, settings.readTimeout());
        assertEquals(ServerSettings.DEFAULT_WRITE_TIMEOUT, settings.writeTimeout());
        assertEquals(ServerSettings.DEFAULT_MAX_WRITE_WAITERS, settings.maxWriteWaiters());
        assertEquals(ServerSettings.DEFAULT_IDLE_TIMEOUT, settings.idleTimeout());
        assertEquals(ServerSettings.DEFAULT_SHUTDOWN_GRACE, settings.shutdownGrace());
        assertEquals(ServerSettings.defaultMaxBufferedBytes(), settings.maxBufferedBytes());
    }

    @Test
    void byDefaultEveryConnectionTheWorkersAreNotServingMayQueueARequest() {
        ServerSettings settings = apply(Map.of(), "--max-conns", "2000", "--workers", "40");
        assertEquals(1960, settings.queueCapacity());
    }

    @Test
    void theDefaultQueueIsNeverBelowItsLeast() {
        ServerSettings settings = apply(Map.of(), "--max-conns", "64", "--workers", "16");
        assertEquals(ServerSettings.DEFAULT_QUEUE_CAPACITY, settings.queueCapacity());
    }

    @Test
    void aQueueGivenIsKeptWhateverTheConnections() {
        ServerSettings settings = apply(Map.of(), "--max-conns", "4096", "--queue", "10");
        assertEquals(10, settings.queueCapacity());
    }

    @Test
    void theBufferedBytesBudgetMayPassTwoGibibytes() {
        assertEquals(3_000_000_000L, apply(Map.of(), "--max-buffered-bytes", "3000000000").maxBufferedBytes());
    }

    @Test
    void theDefaultBufferedBytesBudgetIsAQuarterOfTheHeap() {
        assertEquals(Runtime.getRuntime().maxMemory() / 4, ServerSettings.defaultMaxBufferedBytes());
    }

    /** Each flag that takes a value, with its default as --help must say it, from ServerSettings. */
    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("--listen", "none: the listening socket inherited on fd 0"),
                Arguments.of("--workers", ServerSettings.DEFAULT_WORKERS),
                Arguments.of("--io-threads", "one per two cores, 1 to " + ServerSettings.DEFAULT_MAX_IO_THREADS),
                Arguments.of("--queue", "--max-conns minus --workers, at least "
                        + ServerSettings.DEFAULT_QUEUE_CAPACITY),
                Arguments.of("--max-conns", ServerSettings.DEFAULT_MAX_CONNECTIONS),
                Arguments.of("--max-reqs-per-conn", ServerSettings.DEFAULT_MAX_REQUESTS_PER_CONNECTION),
                Arguments.of("--mux-queue", ServerSettings.DEFAULT_MUX_QUEUE_CAPACITY),
                Arguments.of("--body-buffer", ServerSettings.DEFAULT_BODY_BUFFER_BYTES),
                Arguments.of("--max-buffered-bytes", "a quarter of the heap"),
                Arguments.of("--max-param-name", DEFAULT_PARAMS_LIMITS.maxNameLength()),
                Arguments.of("--max-param-value", DEFAULT_PARAMS_LIMITS.maxValueLength()),
                Arguments.of("--max-params-bytes", DEFAULT_PARAMS_LIMITS.maxStreamBytes()),
                Arguments.of("--max-params", DEFAULT_PARAMS_LIMITS.maxPairs()),
                Arguments.of("--read-timeout", ServerSettings.DEFAULT_READ_TIMEOUT.toSeconds()),
                Arguments.of("--write-timeout", ServerSettings.DEFAULT_WRITE_TIMEOUT.toSeconds()),
                Arguments.of("--max-write-waiters", ServerSettings.DEFAULT_MAX_WRITE_WAITERS),
                Arguments.of("--idle-timeout", ServerSettings.DEFAULT_IDLE_TIMEOUT.toSeconds()),
                Arguments.of("--shutdown-grace", ServerSettings.DEFAULT_SHUTDOWN_GRACE.toSeconds()),
                Arguments.of("--slowlog", "none"),
                Arguments.of("--slowlog-timeout", Oversight.DEFAULT_SLOWLOG_TIMEOUT.toSeconds() + "s"),
                Arguments.of("--max-queue-wait", "off"));
    }

    /** The usage's entries by flag: its line and the line that continues it, if any. */
    private static Map<String, String> usageEntries() {
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^  (--[a-z-]+)(.*(?:\\n {20,}.*)?)", Pattern.MULTILINE).matcher(CommandLine.usage());
        while (m.find()) {
            entries.put(m.group(1), m.group(2));
        }
        return entries;
    }

    @ParameterizedTest
    @MethodSource("defaults")
    void theUsageSaysEachDefault(String flag, Object byDefault) {
        String entry = usageEntries().get(flag);
        assertTrue(entry != null && entry.replaceAll("\\s+", " ").contains("(default " + byDefault + ")"),
                flag + ": " + entry);
    }

    @Test
    void everyFlagWithAValueHasItsDefaultChecked() {
        List<String> withValues = usageEntries().entrySet().stream()
                .filter(e -> e.getValue().matches("(?s) [A-Z]+ .*")).map(Map.Entry::getKey).collect(Collectors.toList());
        assertEquals(defaults().map(a -> (String) a.get()[0]).collect(Collectors.toList()), withValues);
    }

    @Test
    void everyFlagTheUsageListsIsAccepted() {
        for (Map.Entry<String, String> entry : usageEntries().entrySet()) {
            String flag = entry.getKey();
            if (flag.equals("--virtual-threads")) { // needs JDK 21
                continue;
            }
            if (flag.equals("--help") || flag.equals("--version")) { // answered by AppMain, so handed back
                assertEquals(List.of(flag), CommandLine.apply(new String[] {flag}, Map.of(),
                        FastCgiServer.builder().handler((request, response) -> { })), flag);
                continue;
            }
            String[] args = entry.getValue().matches("(?s) [A-Z]+ .*")
                    ? new String[] {flag, flag.equals("--listen") ? "127.0.0.1:0" : "1"} : new String[] {flag};
            assertEquals(List.of(), CommandLine.apply(args, Map.of(),
                    FastCgiServer.builder().handler((request, response) -> { })), flag);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"PT30S, 30", "PT0S, 0", "PT2.5S, 2.5", "PT0.001S, 0.001", "PT10M, 600"})
    void aDefaultDurationIsShownInSeconds(Duration duration, String shown) {
        assertEquals(shown, CommandLine.seconds(duration));
    }

    @Test
    void aNumberMayBeTheLargestOfItsType() {
        assertEquals(Long.MAX_VALUE, apply(Map.of(), "--max-buffered-bytes", "9223372036854775807").maxBufferedBytes());
        assertEquals(Integer.MAX_VALUE, apply(Map.of(), "--max-params", "2147483647").paramsLimits().maxPairs());
    }

    @Test
    void aNameOrValueLimitEqualToTheWholeParamsLimitIsAllowed() {
        ServerSettings settings = apply(Map.of(), "--max-param-value=4000", "--max-params-bytes=4000");
        assertEquals(4000, settings.paramsLimits().maxValueLength());
    }

    @Test
    void ofTwoEqualPerPairLimitsAboveTheWholeTheFirstIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply(Map.of(),
                "--max-param-name=5000", "--max-param-value=5000", "--max-params-bytes=4000"));
        assertTrue(e.getMessage().startsWith("--max-param-name 5000 is more than"), e.getMessage());
    }

    @Test
    void helpWithAValueIsHandedBackAsTheFlagAlone() {
        assertEquals(List.of("--help", "app-arg"), CommandLine.apply(new String[] {"--help=now", "app-arg"}, Map.of(),
                FastCgiServer.builder().handler((request, response) -> { })));
    }

    @Test
    void aDefaultStaysOnItsFlagsLineWithin110ColumnsAndGoesOnALineOfItsOwnBeyond() {
        String[] lines = CommandLine.usage().split("\n");
        assertEquals("options:", lines[0]);
        int own = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(" ".repeat(28) + "(default ")) {
                own++;
                assertTrue(lines[i - 1].length() + 1 + line.strip().length() > 110, lines[i - 1] + "\n" + line);
            } else {
                assertTrue(line.startsWith("  --"), line);
                assertTrue(!line.contains("(default ") || line.length() <= 110, line);
            }
        }
        assertTrue(own > 0, "some default is on a line of its own");
        assertEquals("  --help                    this text", lines[lines.length - 1]);
    }
}
