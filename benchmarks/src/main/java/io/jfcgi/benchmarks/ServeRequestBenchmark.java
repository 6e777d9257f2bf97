package io.jfcgi.benchmarks;

import io.jfcgi.responder.FastCgiServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One typical nginx request served whole by a real {@link FastCgiServer} over a kept loopback connection, one at a
 * time: the responder's own cost per request, without nginx. The handler is the fixture app's {@code /hello}.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is what every thread allocated per request (the client
 * allocates nothing): young GCs are its price, and each one holds up every request in flight, which is what the
 * p99 under load feels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmn8m", "-XX:+UseSerialGC"})
public class ServeRequestBenchmark {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    private FastCgiServer server;
    private SocketChannel client;
    private ByteBuffer request;
    private final ByteBuffer response = ByteBuffer.allocateDirect(64 << 10);
    private int responseBytes;

    @Setup
    public void setUp() throws IOException {
        server = FastCgiServer.builder()
                .listen("127.0.0.1:0")
                .handler((req, resp) -> {
                    resp.setStatus(200).setContentType("text/plain").setContentLength(HELLO.length);
                    resp.body().write(HELLO);
                })
                .build();
        server.start();
        client = SocketChannel.open((InetSocketAddress) server.boundAddresses().get(0));
        request = ByteBuffer.allocateDirect(NginxRequest.bytes().length).put(NginxRequest.bytes()).flip();
        responseBytes = measureResponse();
    }

    /** The response's length, learned from the first one: every later one is the same bytes. */
    private int measureResponse() throws IOException {
        request.rewind();
        while (request.hasRemaining()) {
            client.write(request);
        }
        response.clear();
        while (!endsWithEndRequest(response)) {
            if (client.read(response) < 0) {
                throw new IOException("the server closed the connection");
            }
        }
        return response.position();
    }

    private static boolean endsWithEndRequest(ByteBuffer buffer) {
        int end = buffer.position();
        return end >= 16 && buffer.get(end - 16) == 1 && buffer.get(end - 15) == 3;
    }

    @TearDown
    public void tearDown() throws IOException {
        client.close();
        server.close();
    }

    @Benchmark
    public int hello() throws IOException {
        request.rewind();
        while (request.hasRemaining()) {
            client.write(request);
        }
        response.clear();
        while (response.position() < responseBytes) {
            if (client.read(response) < 0) {
                throw new IOException("the server closed the connection");
            }
        }
        return response.position();
    }
}
