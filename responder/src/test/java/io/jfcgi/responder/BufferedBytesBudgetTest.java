package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.bytes;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdin;
import static io.jfcgi.responder.Wire.stdinEnd;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --max-buffered-bytes over real sockets: peers that send big PARAMS and stall hold at most the budget, a request
 * past it is answered 503 + Retry-After (not left hanging), and every end gives the bytes back.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BufferedBytesBudgetTest {

    private static final Handler HELLO = (request, response) -> response.write("hello");
    /** What each stalled peer sends of its PARAMS: one pair, no end of the stream. */
    private static final int STALLED_BYTES = 256 << 10;
    private static final int STALLED_PEERS = 4;
    /** A budget the stalled peers fill exactly. */
    private static final long FULL = (long) STALLED_PEERS * STALLED_BYTES;

    /** One pair whose encoding is exactly {@code total} bytes, as PARAMS records without their empty last one. */
    private static byte[] paramsWithoutEnd(int id, int total) {
        NameValuePair pair = NameValuePair.of("X", "v".repeat(total - 1 - 1 - 4));
        ByteBuffer content = ByteBuffer.allocate(total);
        pair.writeTo(content);
        assertEquals(total, content.position());
        return bytes(new Params(id, content.flip()));
    }

    @Test
    void stalledParamsFillTheBudgetAndTheNextRequestIsAnswered503WithRetryAfter() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxBufferedBytes(FULL))) {
            List<Wire> stalled = stall(server, STALLED_PEERS);
            try (Wire next = server.connect()) {
                next.send(getRequest(1, "/next", true));
                String response = stdoutText(next.readUntilEnd(1), 1);
                assertTrue(response.startsWith("Status: 503 Service Unavailable\r\n"), response);
                assertTrue(response.contains("Retry-After: 1\r\n"), response);
            } finally {
                closeAll(stalled);
            }
        }
    }

    @Test
    void onceTheStalledPeersCloseTheirBytesComeBackAndRequestsAreServedAgain() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxBufferedBytes(FULL))) {
            closeAll(stall(server, STALLED_PEERS));
            awaitUsed(server, used -> used == 0);
            try (Wire next = server.connect()) {
                next.send(getRequest(1, "/next", true));
                assertEquals("hello", body(next.readUntilEnd(1), 1));
            }
        }
    }

    @Test
    void aRequestRefusedMidParamsGivesBackWhatItHeld() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxBufferedBytes(STALLED_BYTES + 1000));
             Wire first = server.connect(); Wire second = server.connect()) {
            first.send(begin(1, Role.RESPONDER, true), paramsWithoutEnd(1, STALLED_BYTES));
            awaitUsed(server, used -> used == STALLED_BYTES);
            second.send(begin(1, Role.RESPONDER, true), paramsWithoutEnd(1, 4000));
            assertTrue(stdoutText(second.readUntilEnd(1), 1).startsWith("Status: 503 "));
            awaitUsed(server, used -> used == STALLED_BYTES);
            assertEquals(1, server.server.budget().refusals());
        }
    }

    @Test
    void aRequestRefusedForTheBudgetIsCountedForTheLaunchersStatus() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxBufferedBytes(STALLED_BYTES + 1000));
             Wire first = server.connect(); Wire second = server.connect()) {
            assertEquals(0, server.server.counts().budgetRefusals());
            first.send(begin(1, Role.RESPONDER, true), paramsWithoutEnd(1, STALLED_BYTES));
            awaitUsed(server, used -> used == STALLED_BYTES);
            second.send(begin(1, Role.RESPONDER, true), paramsWithoutEnd(1, 4000));
            assertTrue(stdoutText(second.readUntilEnd(1), 1).startsWith("Status: 503 "));
            assertEquals(1, server.server.counts().budgetRefusals());
        }
    }

    @Test
    void anUploadLargerThanTheBudgetIsStillReadWhole() throws Exception {
        Handler count = (request, response) -> response.write("read " + request.body().readAllBytes().length);
        byte[] upload = new byte[1 << 20];
        try (TestServer server = TestServer.start(count, b -> b.maxBufferedBytes(8 << 10));
             Wire wire = server.connect()) {
            wire.send(begin(1, Role.RESPONDER, true), Wire.params(1, get("/upload")));
            for (int at = 0; at < upload.length; at += 32 << 10) {
                wire.send(stdin(1, Arrays.copyOfRange(upload, at, at + (32 << 10))));
            }
            wire.send(stdinEnd(1));
            assertEquals("read " + upload.length, body(wire.readUntilEnd(1), 1));
            awaitUsed(server, used -> used == 0);
        }
    }

    @Test
    void aBodyAbortedByTheWebServerGivesItsBytesBack() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        try (TestServer server = TestServer.start(stallingReader(reading));
             Wire wire = server.connect()) {
            wire.send(begin(1, Role.RESPONDER, true), Wire.params(1, get("/upload")), stdin(1, new byte[30_000]));
            assertTrue(reading.await(10, TimeUnit.SECONDS));
            awaitUsed(server, used -> used >= 30_000);
            wire.send(bytes(new AbortRequest(1)));
            wire.readUntilEnd(1);
            awaitUsed(server, used -> used == 0);
        }
    }

    @Test
    void aBodyCutByAConnectionResetGivesItsBytesBack() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        try (TestServer server = TestServer.start(stallingReader(reading))) {
            Socket socket = new Socket();
            socket.connect(server.address, 2000);
            socket.getOutputStream().write(Wire.concat(begin(1, Role.RESPONDER, true), Wire.params(1, get("/upload")),
                    stdin(1, new byte[30_000])));
            assertTrue(reading.await(10, TimeUnit.SECONDS));
            awaitUsed(server, used -> used >= 30_000);
            socket.setSoLinger(true, 0);
            socket.close(); // RST
            awaitUsed(server, used -> used == 0);
        }
    }

    /** Reads one byte of its body, then waits (until interrupted by the abort) with the rest held in its buffer. */
    private static Handler stallingReader(CountDownLatch reading) {
        return (request, response) -> {
            request.body().read();
            reading.countDown();
            Thread.sleep(TimeUnit.SECONDS.toMillis(20));
        };
    }

    /** Connections that each send BEGIN and {@link #STALLED_BYTES} of PARAMS, and then nothing; the budget full. */
    private static List<Wire> stall(TestServer server, int peers) throws Exception {
        List<Wire> wires = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            Wire wire = server.connect();
            wires.add(wire);
            wire.send(begin(1, Role.RESPONDER, true), paramsWithoutEnd(1, STALLED_BYTES));
        }
        awaitUsed(server, used -> used == (long) peers * STALLED_BYTES);
        return wires;
    }

    private static void closeAll(List<Wire> wires) throws IOException {
        for (Wire wire : wires) {
            wire.close();
        }
    }

    private static void awaitUsed(TestServer server, LongPredicate condition) throws InterruptedException {
        MemoryBudget budget = server.server.budget();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(budget.used())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the budget holds " + budget.used() + " bytes after 10 s");
            }
            Thread.sleep(5);
        }
    }
}
