package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.Stdout;
import io.jfcgi.tools.FastCgiClient;
import io.jfcgi.tools.FastCgiResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.jfcgi.responder.Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Clients that stop reading their responses, over real sockets: more never-reading connections than --workers,
 * each asking for a response far larger than the socket buffers, must leave the other requests served.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowReadersTest {

    private static final int WORKERS = 4;
    private static final int STALLED = 8;
    private static final int BIG = 8 << 20;

    private final AtomicInteger bigStarted = new AtomicInteger();
    private final AtomicInteger bigFailed = new AtomicInteger();
    private final List<SocketChannel> stalled = new ArrayList<>();

    /** /big?bytes=N as the fixture app writes it: 64 KiB chunks, never the whole body in memory. */
    private final Handler handler = (request, response) -> {
        if (request.path().equals("/slow")) {
            Thread.sleep(1); // slow enough that the requests after it run on workers (QuickHandlers)
        }
        if (!request.path().equals("/big")) {
            response.write("Hello " + request.path());
            return;
        }
        bigStarted.incrementAndGet();
        byte[] chunk = new byte[64 << 10];
        OutputStream out = response.body();
        try {
            for (int written = 0; written < BIG; written += chunk.length) {
                out.write(chunk);
            }
        } catch (IOException e) {
            bigFailed.incrementAndGet();
            throw e;
        }
    };

    @AfterEach
    void closeStalled() throws IOException {
        for (SocketChannel channel : stalled) {
            channel.close();
        }
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void helloIsAnsweredWhileMoreClientsThanWorkersNeverReadTheirLargeResponses(boolean virtual) throws Exception {
        assumeVirtualThreadsIfAskedFor(virtual);
        try (TestServer server = TestServer.start(handler, b -> b.workers(WORKERS).virtualThreads(virtual)
                .writeTimeout(Duration.ofSeconds(60)))) {
            stallBigRequests(server, WORKERS); // as many as there are workers: all blocked in writes
            assertEquals("Hello /hello", hello(server));
        }
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void blockedResponsesArriveWholeOnceTheirClientsStartReading(boolean virtual) throws Exception {
        assumeVirtualThreadsIfAskedFor(virtual);
        try (TestServer server = TestServer.start(handler, b -> b.workers(WORKERS).virtualThreads(virtual)
                .writeTimeout(Duration.ofSeconds(60)))) {
            stallBigRequests(server, STALLED);
            assertEquals("Hello /hello", hello(server));
            for (SocketChannel channel : stalled) {
                assertEquals(BIG, readBody(channel), "every byte of every stalled response arrives");
            }
            assertEquals(0, bigFailed.get());
            await("every handler slot back", () -> server.server.scheduler().running() == 0);
        }
    }

    /**
     * Each handler waiting in a write gives its slot back and is lent a thread; once the responses are read, the
     * lent threads go at once, not after the minute an idle worker is kept (a fuzzing run on a loaded machine
     * found 6 workers of 4 still there 20 s later).
     */
    @Test
    void threadsLentToHandlersWaitingInWritesGoOnceTheirResponsesAreRead() throws Exception {
        try (TestServer server = TestServer.start(handler, b -> b.workers(WORKERS)
                .writeTimeout(Duration.ofSeconds(60)))) {
            for (int i = 0; i < QuickHandlers.WINDOW; i++) { // so that the /big handlers run on workers
                assertEquals("Hello /slow", get(server, "/slow"));
            }
            stallBigRequests(server, STALLED);
            await("more workers than --workers while handlers wait in writes", () -> workerThreads() > WORKERS);
            for (SocketChannel channel : stalled) {
                assertEquals(BIG, readBody(channel));
            }
            await("every handler slot back", () -> server.server.scheduler().running() == 0);
            await("no more workers than --workers", () -> workerThreads() <= WORKERS);
        }
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("fcgi-worker-")).count();
    }

    @Test
    void aRequestWaitingBehindAnotherRequestsBlockedWriteOnItsConnectionGivesItsWorkerBackToo() throws Exception {
        try (TestServer server = TestServer.start(handler, b -> b.workers(1).writeTimeout(Duration.ofSeconds(60)))) {
            SocketChannel multiplexed = SocketChannel.open(); // as HAProxy: two requests at once on one connection
            stalled.add(multiplexed);
            multiplexed.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            multiplexed.connect(server.address);
            multiplexed.write(ByteBuffer.wrap(Wire.concat(getRequest(1, "/big", true), getRequest(2, "/big", true))));
            await("both big handlers started", () -> bigStarted.get() == 2); // the second in the first's slot
            assertEquals("Hello /hello", hello(server));
        }
    }

    @Test
    void clientsThatNeverReadAreCutAfterTheWriteTimeoutAndGiveEveryHandlerSlotBack() throws Exception {
        try (TestServer server = TestServer.start(handler, b -> b.workers(WORKERS)
                .writeTimeout(Duration.ofSeconds(1)))) {
            stallBigRequests(server, STALLED);
            await("every stalled handler's write to fail", () -> bigFailed.get() == STALLED);
            await("every handler slot back", () -> server.server.scheduler().running() == 0
                    && server.server.scheduler().admitted() == 0);
            assertEquals("Hello /hello", hello(server));
        }
    }

    /** Opens the never-reading connections with a small receive buffer; waits until {@code started} handlers began. */
    private void stallBigRequests(TestServer server, int started) throws Exception {
        for (int i = 0; i < STALLED; i++) {
            SocketChannel channel = SocketChannel.open();
            stalled.add(channel);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // before connect: the window is set then
            channel.connect(server.address);
            channel.write(ByteBuffer.wrap(getRequest(1, "/big", true)));
        }
        await(started + " big handlers started", () -> bigStarted.get() >= started);
    }

    private static void assumeVirtualThreadsIfAskedFor(boolean virtual) {
        assumeTrue(!virtual || VirtualThreads.available(), "virtual threads need JDK 21");
    }

    private static String hello(TestServer server) throws IOException {
        return get(server, "/hello");
    }

    private static String get(TestServer server, String path) throws IOException {
        try (FastCgiClient client = FastCgiClient.connect(server.address, Duration.ofSeconds(10))) {
            FastCgiResponse response = client.get(path, Map.of());
            return response.bodyText();
        }
    }

    /** Reads a stalled connection's records until END_REQUEST; returns the body bytes after the header block. */
    private static long readBody(SocketChannel channel) throws IOException, FastCgiProtocolException {
        RecordDecoder decoder = new RecordDecoder();
        ByteBuffer buffer = ByteBuffer.allocate(64 << 10).flip();
        long stdout = 0;
        StringBuilder head = new StringBuilder(); // the first bytes, until the blank line ends the header block
        while (true) {
            Record record;
            while ((record = decoder.decode(buffer)) != null) {
                if (record instanceof EndRequest) {
                    int blank = head.indexOf("\r\n\r\n");
                    return blank < 0 ? -1 : stdout - (blank + 4);
                }
                if (record instanceof Stdout out) {
                    ByteBuffer content = out.content();
                    stdout += content.remaining();
                    while (head.length() < 1024 && content.hasRemaining()) {
                        head.append((char) content.get());
                    }
                }
            }
            buffer.compact();
            if (channel.read(buffer) < 0) {
                throw new IOException("EOF before END_REQUEST, after " + stdout + " bytes of STDOUT");
            }
            buffer.flip();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(5);
        }
    }
}
