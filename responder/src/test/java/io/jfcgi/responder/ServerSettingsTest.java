package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The settings' ranges, checked when they are made, and the defaults that follow the machine's size. */
class ServerSettingsTest {

    private static final ServerSettings BASE = FastCgiServer.builder().handler((request, response) -> { }).build()
            .settings();

    /**
     * {@link #BASE} with one setting changed, through the canonical constructor: a number, {@code virtualThreads}
     * (0 or 1) or {@code oversight} (to null).
     */
    private static ServerSettings with(String name, long value) {
        ServerSettings b = BASE;
        int n = (int) value;
        return new ServerSettings(b.listen(), name.equals("workers") ? n : b.workers(),
                name.equals("queueCapacity") ? n : b.queueCapacity(),
                name.equals("maxConnections") ? n : b.maxConnections(),
                name.equals("maxRequestsPerConnection") ? n : b.maxRequestsPerConnection(),
                name.equals("bodyBufferBytes") ? n : b.bodyBufferBytes(), b.paramsLimits(), b.paramsTimeout(),
                b.readTimeout(), b.writeTimeout(), b.idleTimeout(), b.lingerTimeout(), b.shutdownGrace(),
                b.webServerAddresses(), b.accessLog(), name.equals("virtualThreads") ? n == 1 : b.virtualThreads(),
                name.equals("ioThreads") ? n : b.ioThreads(), name.equals("oversight") ? null : b.oversight(),
                name.equals("muxQueueCapacity") ? n : b.muxQueueCapacity(),
                name.equals("maxBufferedBytes") ? value : b.maxBufferedBytes(),
                name.equals("maxWriteWaiters") ? n : b.maxWriteWaiters());
    }

    @ParameterizedTest(name = "{0}: {1} is taken, {2} is refused")
    @CsvSource({
        "workers,                  1, 0",
        "maxConnections,           1, 0",
        "maxRequestsPerConnection, 1, 0",
        "bodyBufferBytes,          1, 0",
        "ioThreads,                1, 0",
        "maxBufferedBytes,         1, 0",
        "queueCapacity,            0, -1",
        "muxQueueCapacity,         0, -1",
        "maxWriteWaiters,          0, -1",
    })
    void eachNumberHasItsLeastValue(String name, long least, long below) {
        assertDoesNotThrow(() -> with(name, least));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> with(name, below));
        assertEquals(name + (least == 1 ? " must be at least 1, got " : " must not be negative, got ") + below,
                refused.getMessage());
    }

    @Test
    void theRequestsTakenAtOnceAreTheWorkersAndTheQueue() {
        assertEquals(BASE.workers() + 3, with("queueCapacity", 3).maxRequests());
        assertEquals(5 + BASE.queueCapacity(), with("workers", 5).maxRequests());
    }

    @Test
    void theDefaultWorkersAreTwoHundredOnAnyMachine() {
        assertEquals(200, ServerSettings.defaultWorkers());
    }

    @Test
    void byDefaultTheWorkersAndTheQueueTakeARequestOnEveryConnection() {
        assertEquals(ServerSettings.DEFAULT_MAX_CONNECTIONS, ServerSettings.defaultWorkers()
                + ServerSettings.defaultQueueCapacity(ServerSettings.DEFAULT_MAX_CONNECTIONS,
                        ServerSettings.defaultWorkers()));
    }

    @ParameterizedTest(name = "{0} cores: {1} event loops")
    @CsvSource({"1, 1", "2, 1", "3, 1", "4, 2", "8, 4", "64, 4"})
    void theDefaultEventLoopsAreOnePerTwoCoresFromOneToFour(int cores, int loops) {
        assertEquals(loops, ServerSettings.defaultIoThreads(cores));
    }

    @Test
    void theDefaultsFollowThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(ServerSettings.defaultIoThreads(cores), ServerSettings.defaultIoThreads());
    }

    @Test
    void noOversightIsNone() {
        assertSame(Oversight.NONE, with("oversight", 0).oversight());
    }

    @Test
    void virtualThreadsAreRefusedBeforeJdk21() {
        if (VirtualThreads.available()) {
            assertEquals(true, with("virtualThreads", 1).virtualThreads());
        } else {
            assertThrows(IllegalArgumentException.class, () -> with("virtualThreads", 1));
        }
    }
}
