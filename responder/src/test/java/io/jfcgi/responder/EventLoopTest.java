package io.jfcgi.responder;

import io.jfcgi.codec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.params;
import static io.jfcgi.responder.Wire.stdin;
import static io.jfcgi.responder.Wire.stdinEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many connections share one I/O thread, which runs the quick requests itself: nothing one connection or handler
 * does may hold up the others. Every test but the last runs with a single I/O thread, the hardest case.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EventLoopTest {

    @Test
    void aHandlerThatBlocksHoldsUpNoOtherConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        Handler handler = (request, response) -> {
            if (request.path().equals("/blocks")) {
                blocking.countDown();
                release.await(15, TimeUnit.SECONDS);
            }
            response.write("done " + request.path());
        };
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(1));
             Wire blocked = server.connect(); Wire other = server.connect()) {
            blocked.send(getRequest(1, "/blocks", true));
            assertTrue(blocking.await(10, TimeUnit.SECONDS), "the first request reaches its handler");
            other.send(getRequest(1, "/quick", true));
            assertEquals("done /quick", body(other.readUntilEnd(1), 1));
            other.send(getRequest(1, "/again", true));
            assertEquals("done /again", body(other.readUntilEnd(1), 1));
            release.countDown();
            assertEquals("done /blocks", body(blocked.readUntilEnd(1), 1));
        }
    }

    @Test
    void aConnectionWhoseHandlerOutlivedItsThreadServesItsNextRequests() throws Exception {
        Handler handler = (request, response) -> {
            if (request.path().equals("/slow")) {
                Thread.sleep(100); // far past the hand-off time: the I/O thread moves on without it
            }
            response.write("done " + request.path());
        };
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(1)); Wire wire = server.connect()) {
            for (int i = 0; i < 3; i++) {
                wire.send(getRequest(1, "/slow", true));
                assertEquals("done /slow", body(wire.readUntilEnd(1), 1));
                wire.send(getRequest(1, "/fast", true));
                assertEquals("done /fast", body(wire.readUntilEnd(1), 1));
            }
        }
    }

    @Test
    void manyConnectionsOnOneIoThreadAreAllServed() throws Exception {
        Handler handler = (request, response) -> response.write("done " + request.path());
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(1))) {
            List<Wire> wires = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    Wire wire = server.connect();
                    wires.add(wire);
                    wire.send(getRequest(1, "/" + i, true));
                }
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < wires.size(); i++) {
                        assertEquals("done /" + i, body(wires.get(i).readUntilEnd(1), 1));
                        wires.get(i).send(getRequest(1, "/" + i, true));
                    }
                }
            } finally {
                for (Wire wire : wires) {
                    wire.close();
                }
            }
        }
    }

    @Test
    void aBodyLargerThanItsBufferArrivesWholeToASlowReader() throws Exception {
        Handler handler = (request, response) -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1000];
            InputStream in = request.body();
            long total = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                sha.update(chunk, 0, n);
                total += n;
                if (total % 50_000 < 1000) {
                    Thread.sleep(1); // slower than the web server sends: the buffer fills again and again
                }
            }
            response.write(HexFormat.of().formatHex(sha.digest()) + " " + total);
        };
        byte[] upload = new byte[1 << 20];
        new Random(7).nextBytes(upload);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload));
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(1).bodyBufferBytes(8 << 10));
             Wire wire = server.connect(); Wire other = server.connect()) {
            wire.send(begin(1, Role.RESPONDER, true), params(1, get("/upload")));
            for (int off = 0; off < upload.length; off += 32 << 10) {
                wire.send(stdin(1, java.util.Arrays.copyOfRange(upload, off, off + (32 << 10))));
                if (off == 256 << 10) { // while the upload is held back, other connections are served
                    other.send(getRequest(1, "/other", true));
                    String answer = body(other.readUntilEnd(1), 1);
                    assertTrue(answer.endsWith(" 0"), answer);
                }
            }
            wire.send(stdinEnd(1));
            assertEquals(expected + " " + upload.length, body(wire.readUntilEnd(1), 1));
        }
    }

    @Test
    void aHandlerThatPausesHalfwayThroughItsBodyStillGetsAllOfIt() throws Exception {
        // It reads the socket itself while it reads; paused past 100 ms, it leaves the connection to the I/O
        // thread, which buffers on its behalf until it reads again.
        Handler handler = (request, response) -> {
            InputStream in = request.body();
            byte[] first = in.readNBytes(100_000);
            Thread.sleep(700);
            byte[] rest = in.readAllBytes();
            response.write((first.length + rest.length) + " bytes");
        };
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(1).bodyBufferBytes(16 << 10));
             Wire wire = server.connect()) {
            wire.send(begin(1, Role.RESPONDER, true), params(1, get("/upload")));
            for (int i = 0; i < 16; i++) {
                wire.send(stdin(1, new byte[16 << 10]));
            }
            wire.send(stdinEnd(1));
            assertEquals((256 << 10) + " bytes", body(wire.readUntilEnd(1), 1));
            wire.send(getRequest(1, "/next", true)); // the connection is the I/O thread's again
            assertEquals("0 bytes", body(wire.readUntilEnd(1), 1));
        }
    }

    @Test
    void aRequestWhoseBodyOverflowsItsBufferInTheFirstReadStillStarts() throws Exception {
        Handler handler = (request, response) -> response.write(request.body().readAllBytes().length + " bytes");
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(1).bodyBufferBytes(8 << 10));
             Wire wire = server.connect()) {
            // One write, so one read on the server: the buffer fills before the request has been handed out.
            wire.send(begin(1, Role.RESPONDER, true), params(1, get("/upload")), stdin(1, new byte[32 << 10]),
                    stdin(1, new byte[32 << 10]), stdinEnd(1));
            assertEquals((64 << 10) + " bytes", body(wire.readUntilEnd(1), 1));
        }
    }

    @Test
    void aResponseLargerThanTheSocketBuffersReachesAReaderThatIsSlowToStart() throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(3).nextBytes(big);
        CountDownLatch writing = new CountDownLatch(1);
        Handler handler = (request, response) -> {
            if (request.path().equals("/big")) {
                writing.countDown();
                response.body().write(big);
            } else {
                response.body().write("small".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        };
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(1));
             Wire wire = server.connect(); Wire other = server.connect()) {
            wire.send(getRequest(1, "/big", true));
            // 16 MiB against socket buffers of a few hundred KiB: the writer is stuck while nobody reads.
            assertTrue(writing.await(10, TimeUnit.SECONDS), "the big response is being written");
            other.send(getRequest(1, "/small", true));
            assertEquals("small", body(other.readUntilEnd(1), 1));
            byte[] got = body(wire.readUntilEnd(1), 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals(big.length, got.length);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big)),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got)));
        }
    }

    @Test
    void aBurstOfNewConnectionsIsSpreadOverTheIoThreads() throws Exception {
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Handler handler = (request, response) -> {
            threads.add(Thread.currentThread().getName()); // quick handlers run on the thread that read them
            response.write("ok");
        };
        try (TestServer server = TestServer.start(handler, b -> b.ioThreads(2))) {
            List<Wire> wires = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    wires.add(server.connect());
                }
                // A request runs on the I/O thread that read it only once handlers have proved quick (a moving
                // average): the first, slow with class loading, sends a few to the workers. Rounds until two I/O
                // threads have run one, at most 200.
                for (int round = 0; round < 200 && ioThreads(threads) < 2; round++) {
                    for (Wire wire : wires) {
                        wire.send(getRequest(1, "/", true));
                        assertEquals("ok", body(wire.readUntilEnd(1), 1));
                    }
                }
            } finally {
                for (Wire wire : wires) {
                    wire.close();
                }
            }
        }
        // At least two: a handler that a busy machine preempts past 2 ms moves its loop to a fresh fcgi-io thread,
        // which would make a third; all four on one loop would make one (two only after such a hand-off).
        assertTrue(ioThreads(threads) >= 2, threads.toString());
    }

    private static long ioThreads(java.util.Set<String> threadNames) {
        return threadNames.stream().filter(name -> name.startsWith("fcgi-io-")).count();
    }
}
