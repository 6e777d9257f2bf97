package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.bytes;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdin;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a live server does with a peer that breaks the protocol, cuts a request short, stops reading, or outlives
 * the stop: each ends that peer's request or connection with a defined answer, and the server goes on serving
 * the others.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorPathsTest {

    private static final Handler HELLO = (request, response) -> response.write("Hello " + request.path());

    @Test
    void aRecordWithAnUnknownVersionClosesThatConnectionAndOthersAreServed() throws Exception {
        try (TestServer server = TestServer.start(HELLO); Wire broken = server.connect();
             Wire other = server.connect()) {
            byte[] request = getRequest(1, "/broken", true);
            request[0] = 2; // FCGI_VERSION_1 is the only version (spec §3.3): nothing after it can be framed
            broken.send(request);
            assertTrue(broken.closedByServer(), "the connection is closed");
            other.send(getRequest(1, "/other", true));
            assertEquals("Hello /other", body(other.readUntilEnd(1), 1));
        }
    }

    @Test
    void paramsThatEndInTheMiddleOfANameValuePairAreAnswered400AndTheConnectionGoesOn() throws Exception {
        // A pair that announces a 5-byte name and a 3-byte value, then stops after two bytes of the name.
        byte[] cut = {5, 3, 'S', 'C'};
        assertAnswered400ThenTheNextRequestServed(begin(1, Role.RESPONDER, true),
                bytes(new Params(1, ByteBuffer.wrap(cut))), bytes(new Params(1, ByteBuffer.allocate(0))));
    }

    @Test
    void aBodyBeforeTheEndOfParamsIsAnswered400AndTheConnectionGoesOn() throws Exception {
        assertAnswered400ThenTheNextRequestServed(begin(1, Role.RESPONDER, true), paramsWithoutTheirEnd(1, "/early"),
                stdin(1, new byte[] {'x'}));
    }

    /** Request 1, sent as {@code parts}, gets 400; request 2 on the same connection is then served. */
    private static void assertAnswered400ThenTheNextRequestServed(byte[]... parts) throws Exception {
        try (TestServer server = TestServer.start(HELLO); Wire wire = server.connect()) {
            wire.send(parts);
            List<Record> records = wire.readUntilEnd(1);
            assertTrue(stdoutText(records, 1).startsWith("Status: 400 "), stdoutText(records, 1));
            wire.send(getRequest(2, "/next", true));
            assertEquals("Hello /next", body(wire.readUntilEnd(2), 2));
        }
    }

    @Test
    void aPeerThatClosesWithMoreBodyThanItsBufferAheadOfItsParamsLeavesNoConnectionBehind() throws Exception {
        // PARAMS never end (the default 30 s PARAMS timeout is far off); a body held for a handler that cannot
        // start would fill its 4 KiB and stop the reading, and with it the sight of the peer's close.
        try (TestServer server = TestServer.start(HELLO, b -> b.bodyBufferBytes(4 << 10))) {
            try (Wire wire = server.connect()) {
                wire.send(begin(1, Role.RESPONDER, true), paramsWithoutTheirEnd(1, "/early"));
                for (int i = 0; i < 5; i++) {
                    wire.send(stdin(1, new byte[4000]));
                }
                server.awaitOpenConnections(1);
            }
            server.awaitOpenConnections(0);
        }
    }

    /** A GET's PARAMS for {@code uri} without the empty record that ends them. */
    private static byte[] paramsWithoutTheirEnd(int id, String uri) {
        byte[] params = Wire.params(id, get(uri));
        return java.util.Arrays.copyOf(params, params.length - bytes(Params.endOfStream(id)).length);
    }

    @Test
    void aWebServerThatNeverReadsItsResponseIsCutAfterTheWriteTimeoutAndTheWorkerServesAgain() throws Exception {
        byte[] big = new byte[32 << 20]; // far more than the socket buffers hold
        AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        Handler handler = (request, response) -> {
            if (request.path().equals("/big")) {
                try {
                    response.body().write(big);
                } catch (IOException e) {
                    writeFailure.set(e);
                    throw e;
                }
            } else {
                response.write("Hello " + request.path());
            }
        };
        try (TestServer server = TestServer.start(handler, b -> b.workers(1).writeTimeout(Duration.ofMillis(500)));
             Wire stalled = server.connect(); Wire other = server.connect()) {
            stalled.send(getRequest(1, "/big", true)); // and never read, until the server has given up on it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (writeFailure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertNotNull(writeFailure.get(), "the handler's write failed instead of blocking forever");
            assertTrue(stalled.closedByServer(), "the non-reader's connection is closed");
            other.send(getRequest(1, "/hello", true));
            assertEquals("Hello /hello", body(other.readUntilEnd(1), 1));
        }
    }

    @Test
    void anAbortBehindAFullUnreadBodyBufferEndsTheRequestAndTheConnectionGoesOn() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler handler = (request, response) -> {
            if (request.path().equals("/upload")) {
                entered.countDown();
                release.await(20, TimeUnit.SECONDS); // never reads its body
                return;
            }
            response.write("Hello " + request.path());
        };
        try (TestServer server = TestServer.start(handler, b -> b.bodyBufferBytes(8 << 10));
             Wire wire = server.connect()) {
            wire.send(begin(1, Role.RESPONDER, true), Wire.params(1, get("/upload")), stdin(1, new byte[32 << 10]));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            wire.send(bytes(new AbortRequest(1)));
            try {
                List<Record> records = wire.readUntilEnd(1);
                assertInstanceOf(EndRequest.class, records.get(records.size() - 1));
            } finally {
                release.countDown();
            }
            wire.send(getRequest(2, "/next", true));
            assertEquals("Hello /next", body(wire.readUntilEnd(2), 2));
        }
    }

    @Test
    void aStopWhoseGraceExpiresCutsTheRequestThatOutlivesItAndCloseReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler handler = (request, response) -> {
            entered.countDown();
            release.await(25, TimeUnit.SECONDS);
            response.write("too late");
        };
        TestServer server = TestServer.start(handler, b -> b.shutdownGrace(Duration.ofMillis(300)));
        try (Wire wire = server.connect()) {
            wire.send(getRequest(1, "/forever", true));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            server.close(); // returns once the grace has run out, without waiting for the handler
            List<Record> rest = wire.readToEnd();
            assertTrue(rest.stream().noneMatch(EndRequest.class::isInstance), "cut, not ended: " + rest);
        } finally {
            release.countDown();
            server.close();
        }
    }
}
