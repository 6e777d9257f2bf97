package io.jfcgi.responder;

import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.ProtocolStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.bytes;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.params;
import static io.jfcgi.responder.Wire.stdinEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a peer does wrong is answered every time, but logged at most once per kind per interval: a peer cannot
 * write the log full. The clock is the test's; one test drives a live server.
 */
@Timeout(60)
class PeerWarningsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PeerWarnings warnings = new PeerWarnings(now::get);

    @Test
    void theFirstOfAKindIsSaidAtOnceAndTheRestOfTheIntervalOnlyCounted() {
        try (ServerFaults log = ServerFaults.watch()) {
            for (int i = 0; i < 50; i++) {
                warnings.warn(PeerWarnings.Fault.UNKNOWN_ROLE, "peer {} asked for role {}", "p" + i, 9);
            }
            assertEquals(List.of("peer p0 asked for role 9"), log.warningLines());
        }
    }

    @Test
    void oneKindDoesNotHoldBackAnother() {
        try (ServerFaults log = ServerFaults.watch()) {
            warnings.warn(PeerWarnings.Fault.UNKNOWN_ROLE, "unknown role");
            warnings.warn(PeerWarnings.Fault.PROTOCOL_ERROR, "protocol error");
            assertEquals(List.of("unknown role", "protocol error"), log.warningLines());
        }
    }

    @Test
    void theNextLineOfAKindAfterTheIntervalSaysHowManyWereHeldBack() {
        try (ServerFaults log = ServerFaults.watch()) {
            for (int i = 0; i < 4; i++) {
                warnings.warn(PeerWarnings.Fault.PARAMS_TIMEOUT, "request {} timed out", i);
            }
            now.addAndGet(PeerWarnings.INTERVAL.toNanos());
            warnings.warn(PeerWarnings.Fault.PARAMS_TIMEOUT, "request {} timed out", 4);
            assertEquals(List.of("request 0 timed out",
                    "request 4 timed out (3 more like it held back since the last such line)"), log.warningLines());
        }
    }

    @Test
    void theWatchdogSaysTheCountOfABurstThatHasEndedOnceTheIntervalHasPassed() {
        try (ServerFaults log = ServerFaults.watch()) {
            warnings.warn(PeerWarnings.Fault.INPUT_BEFORE_PARAMS, "early body");
            warnings.warn(PeerWarnings.Fault.INPUT_BEFORE_PARAMS, "early body");
            warnings.warn(PeerWarnings.Fault.INPUT_BEFORE_PARAMS, "early body");
            warnings.sayHeldBack();
            assertEquals(1, log.warnings(), "not before the interval has passed");
            now.addAndGet(PeerWarnings.INTERVAL.toNanos());
            warnings.sayHeldBack();
            warnings.sayHeldBack();
            assertEquals(List.of("early body",
                    "2 more request(s) answered 400: STDIN or DATA before the end of PARAMS since the last such line"),
                    log.warningLines());
        }
    }

    @Test
    void aPeerThatAsksForAnUnknownRoleAHundredTimesIsAnsweredEachTimeAndLoggedOnce() throws Exception {
        try (ServerFaults log = ServerFaults.watch();
             TestServer server = TestServer.start((request, response) -> response.write("Hello " + request.path()));
             Wire wire = server.connect()) {
            for (int i = 0; i < 100; i++) {
                wire.send(bytes(new BeginRequest(1, 9, 1)), params(1, get("/role9")), stdinEnd(1));
                assertEquals(new EndRequest(1, 0, ProtocolStatus.UNKNOWN_ROLE), wire.read());
            }
            wire.send(getRequest(1, "/next", true));
            assertEquals("Hello /next", body(wire.readUntilEnd(1), 1));
            List<String> lines = log.warningLines();
            assertEquals(1, lines.stream().filter(line -> line.contains("unknown role 9")).count(), lines.toString());
            log.check();
        }
    }
}
