package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                "--max-conns", "9", "--max-reqs-per-conn", "1", "--read-timeout", "1.5", "--access-log");
        assertEquals("127.0.0.1:9000", settings.listen().get(0).toString());
        assertEquals(3, settings.workers());
        assertEquals(2, settings.ioThreads());
        assertEquals(7, settings.queueCapacity());
        assertEquals(9, settings.maxConnections());
        assertEquals(1, settings.maxRequestsPerConnection());
        assertEquals(Duration.ofMillis(1500), settings.readTimeout());
        assertTrue(settings.accessLog());
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
        "--listen=nowhere|cannot listen on 'nowhere'"})
    void badFlagsSayWhatIsWrong(String arg, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply(Map.of(), arg));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
