package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.bytes;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * What {@link ConnectionFuzzTest} found, each written down as a plain test of the behaviour it broke (the input
 * that found it stays in the fuzz corpus too).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FuzzFindingsTest {

    private static final Handler HELLO = (request, response) -> response.write("Hello " + request.path());

    /**
     * Found from seed-abort-mid-body: a request whose PARAMS ended, aborted before its handler ran, then the next
     * request (id 1 again) all in one socket read. The second took the first's place as the request to run after
     * the read, and the first, admitted, was never run, so its admission was never given back: each time, one
     * fewer request could be admitted, until every request was answered 503.
     */
    @Test
    void aRequestAbortedBeforeItRanAndTheNextInTheSameReadLeaveNoAdmissionBehind() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.workers(1).queueCapacity(1));
             Wire wire = server.connect()) {
            wire.send(begin(1, Role.RESPONDER, true), params(1, get("/aborted")), bytes(new AbortRequest(1)),
                    getRequest(1, "/next", true));
            List<Record> aborted = wire.readUntilEnd(1);
            assertInstanceOf(EndRequest.class, aborted.get(aborted.size() - 1));
            assertEquals("Hello /next", body(wire.readUntilEnd(1), 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.server.scheduler().admitted() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertEquals(0, server.server.scheduler().admitted(), "requests admitted with none in flight");
        }
    }
}
