package io.jfcgi.servlet;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.Stdout;
import io.jfcgi.tools.FastCgiClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReadListener and WriteListener (Servlet 6.1 §5.3) through a real bridge: a body in slices, a slow client. */
class NonBlockingIoTest {

    static final int RESPONSE_BYTES = 8 << 20;
    static BridgeServer server;
    /** Released once per onDataAvailable, so that the client sends the next slice only then. */
    static final Semaphore slicesSeen = new Semaphore(0);
    static final CopyOnWriteArrayList<String> readEvents = new CopyOnWriteArrayList<>();
    static final CountDownLatch writeBackedOff = new CountDownLatch(1);
    static final AtomicInteger notReady = new AtomicInteger();
    static final CountDownLatch readErrorSeen = new CountDownLatch(1);
    static final AtomicReference<Throwable> readError = new AtomicReference<>();
    static final CountDownLatch waitingForBody = new CountDownLatch(1);

    /** Reads the body without blocking and answers, at its end, what it read and where the listener ran. */
    static class EchoReader implements ReadListener {
        private final AsyncContext async;
        private final ServletInputStream in;
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();
        private final ClassLoader expectedLoader;

        EchoReader(AsyncContext async, ServletInputStream in, ClassLoader expectedLoader) {
            this.async = async;
            this.in = in;
            this.expectedLoader = expectedLoader;
        }

        @Override
        public void onDataAvailable() throws IOException {
            readEvents.add("data on " + Thread.currentThread().getName().replaceAll("-\\d+$", "") + " loader "
                    + (Thread.currentThread().getContextClassLoader() == expectedLoader));
            byte[] buffer = new byte[100];
            while (in.isReady() && !in.isFinished()) {
                int n = in.read(buffer);
                if (n > 0) {
                    got.write(buffer, 0, n);
                }
            }
            slicesSeen.release();
        }

        @Override
        public void onAllDataRead() throws IOException {
            async.getResponse().getWriter().print("read " + got.toString(StandardCharsets.UTF_8) + " finished "
                    + in.isFinished());
            async.complete();
        }

        @Override
        public void onError(Throwable t) {
            readError.set(t);
            readErrorSeen.countDown();
            async.complete();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new BridgeServer(ServletApp.builder()
                .servlet("/read", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        AsyncContext async = req.startAsync();
                        async.setTimeout(0);
                        ServletInputStream in = req.getInputStream();
                        in.setReadListener(new EchoReader(async, in, req.getServletContext().getClassLoader()));
                    }
                })
                .servlet("/read-fails", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        AsyncContext async = req.startAsync();
                        async.setTimeout(0);
                        ServletInputStream in = req.getInputStream();
                        in.setReadListener(new EchoReader(async, in, null) {
                            @Override
                            public void onDataAvailable() throws IOException {
                                while (in.isReady()) {
                                    in.read();
                                }
                                waitingForBody.countDown();
                            }
                        });
                    }
                })
                .servlet("/listener-throws", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        AsyncContext async = req.startAsync();
                        ServletInputStream in = req.getInputStream();
                        in.setReadListener(new ReadListener() {
                            @Override
                            public void onDataAvailable() {
                                throw new IllegalStateException("the application's bug");
                            }

                            @Override
                            public void onAllDataRead() {
                            }

                            @Override
                            public void onError(Throwable t) {
                                try {
                                    async.getResponse().getWriter().print("onError: " + t.getMessage());
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                                async.complete();
                            }
                        });
                    }
                })
                .servlet("/write", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        AsyncContext async = req.startAsync();
                        async.setTimeout(0);
                        ServletOutputStream out = resp.getOutputStream();
                        byte[] piece = new byte[64 << 10];
                        java.util.Arrays.fill(piece, (byte) 'x');
                        out.setWriteListener(new WriteListener() {
                            private int sent;

                            @Override
                            public void onWritePossible() throws IOException {
                                while (out.isReady()) {
                                    if (sent == RESPONSE_BYTES) {
                                        async.complete();
                                        return;
                                    }
                                    out.write(piece);
                                    sent += piece.length;
                                }
                                notReady.incrementAndGet();
                                writeBackedOff.countDown();
                            }

                            @Override
                            public void onError(Throwable t) {
                                async.complete();
                            }
                        });
                    }
                })
                .servlet("/not-async", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        String read = attempt(() -> req.getInputStream().setReadListener(new EchoReader(null, null,
                                null)));
                        String write = attempt(() -> resp.getOutputStream().setWriteListener(new WriteListener() {
                            @Override
                            public void onWritePossible() {
                            }

                            @Override
                            public void onError(Throwable t) {
                            }
                        }));
                        resp.getOutputStream().print(read + " / " + write);
                    }
                }));
    }

    interface Attempt {
        void run() throws IOException;
    }

    static String attempt(Attempt attempt) throws IOException {
        try {
            attempt.run();
            return "allowed";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyInSlicesReachesOnDataAvailableSliceBySliceThenOnAllDataRead() throws Exception {
        String[] slices = {"first,", "second,", "third"};
        try (FastCgiClient client = FastCgiClient.connect(server.address(), Duration.ofSeconds(10))) {
            client.write(head("POST", "/read", 18));
            for (String slice : slices) {
                byte[] bytes = slice.getBytes(StandardCharsets.UTF_8);
                client.write(RecordEncoder.encode(new Stdin(1, ByteBuffer.wrap(bytes))));
                assertTrue(slicesSeen.tryAcquire(10, TimeUnit.SECONDS), "no onDataAvailable for " + slice);
            }
            client.write(RecordEncoder.encode(Stdin.endOfStream(1)));
            assertEquals("read first,second,third finished true", bodyOf(readResponse(client)));
        }
        assertEquals(3, readEvents.size(), readEvents.toString());
        assertTrue(readEvents.stream().allMatch("data on servlet-async loader true"::equals), readEvents.toString());
    }

    @Test
    void anAbortWhileTheListenerWaitsForBytesReachesReadListenerOnError() throws Exception {
        try (FastCgiClient client = FastCgiClient.connect(server.address(), Duration.ofSeconds(10))) {
            client.write(head("POST", "/read-fails", 10));
            client.write(RecordEncoder.encode(new Stdin(1, ByteBuffer.wrap(new byte[] {'a', 'b'}))));
            assertTrue(waitingForBody.await(10, TimeUnit.SECONDS));
            client.write(RecordEncoder.encode(new AbortRequest(1)));
            assertTrue(readErrorSeen.await(10, TimeUnit.SECONDS), "onError was not called");
            assertInstanceOf(IOException.class, readError.get());
        }
    }

    @Test
    void anExceptionFromOnDataAvailableReachesOnError() throws Exception {
        assertEquals("onError: the application's bug",
                server.send("POST", "/listener-throws", Map.of(), "body").bodyText());
    }

    @Test
    void aClientThatReadsSlowlyGetsTheWholeBodyWrittenUnderAWriteListener() throws Exception {
        try (FastCgiClient client = FastCgiClient.connect(server.address(), Duration.ofSeconds(30))) {
            client.write(head("GET", "/write", -1));
            client.write(RecordEncoder.encode(Stdin.endOfStream(1)));
            // nothing read yet: the socket fills, and the listener must be told to stop rather than be blocked
            assertTrue(writeBackedOff.await(10, TimeUnit.SECONDS), "isReady() never said false");
            byte[] stdout = readResponse(client);
            assertEquals(RESPONSE_BYTES, stdout.length - bodyStart(stdout));
        }
        assertTrue(notReady.get() >= 1);
    }

    @Test
    void listenersNeedAsyncMode() throws Exception {
        assertEquals("setReadListener needs async mode: call startAsync() first / setWriteListener needs async mode:"
                + " call startAsync() first", server.send("POST", "/not-async", Map.of(), "x").bodyText());
    }

    /** BEGIN_REQUEST and PARAMS for a request on id 1; its body follows. */
    private static ByteBuffer head(String method, String uri, int contentLength) {
        Map<String, String> params = FastCgiClient.requestParams(method, uri, Map.of("CONTENT_LENGTH",
                contentLength < 0 ? "" : Integer.toString(contentLength)));
        ByteArrayOutputStream pairs = new ByteArrayOutputStream();
        params.forEach((name, value) -> {
            NameValuePair pair = NameValuePair.of(name, value);
            ByteBuffer encoded = ByteBuffer.allocate(Math.toIntExact(pair.encodedLength()));
            pair.writeTo(encoded);
            pairs.write(encoded.array(), 0, encoded.position());
        });
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (Record record : new Record[] {new BeginRequest(1, Role.RESPONDER, false),
                new Params(1, ByteBuffer.wrap(pairs.toByteArray())), Params.endOfStream(1)}) {
            ByteBuffer encoded = RecordEncoder.encode(record);
            head.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
        }
        return ByteBuffer.wrap(head.toByteArray());
    }

    /** The STDOUT of request 1 until its END_REQUEST. */
    private static byte[] readResponse(FastCgiClient client) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        for (Record record; (record = client.readRecord()) != null; ) {
            if (record instanceof Stdout out) {
                ByteBuffer content = out.content();
                byte[] bytes = new byte[content.remaining()];
                content.get(bytes);
                stdout.writeBytes(bytes);
            } else if (record instanceof EndRequest) {
                return stdout.toByteArray();
            }
        }
        throw new IOException("no END_REQUEST");
    }

    private static int bodyStart(byte[] stdout) {
        String text = new String(stdout, 0, Math.min(stdout.length, 4096), StandardCharsets.ISO_8859_1);
        return text.indexOf("\r\n\r\n") + 4;
    }

    private static String bodyOf(byte[] stdout) {
        return new String(stdout, bodyStart(stdout), stdout.length - bodyStart(stdout), StandardCharsets.UTF_8);
    }
}
