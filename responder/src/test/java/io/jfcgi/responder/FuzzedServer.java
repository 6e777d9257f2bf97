package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.ParamsLimits;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Stdout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The real server a fuzz target feeds, on a loopback port, kept across inputs: limits small enough that short
 * inputs reach them (the body buffer, PARAMS limits, requests per connection, workers and queue), the
 * {@link FuzzHandler} behind it. Between inputs it says whether the server is quiet again and still answers a
 * well-formed request exactly as it should.
 */
final class FuzzedServer implements AutoCloseable {

    static final int WORKERS = 4;
    /** What GET /probe must get back, to the byte: the headers, the body, the empty STDOUT and END_REQUEST. */
    private static final byte[] PROBE_ANSWER = Wire.concat(
            Wire.bytes(new Stdout(1, ByteBuffer.wrap(("Status: 200 OK\r\nContent-Length: "
                    + FuzzHandler.PROBE_BODY.length() + "\r\nContent-Type: application/octet-stream\r\n\r\n"
                    + FuzzHandler.PROBE_BODY)
                    .getBytes(StandardCharsets.ISO_8859_1)))),
            Wire.bytes(Stdout.endOfStream(1)),
            Wire.bytes(new EndRequest(1, 0, ProtocolStatus.REQUEST_COMPLETE)));
    private static final byte[] PROBE = Wire.getRequest(1, "/probe", false);

    private final FastCgiServer server;
    private final InetSocketAddress address;
    /** Connections made to the server (inputs and probes): what it must have accepted before it can be quiet. */
    private long connectionsMade;

    private FuzzedServer(FastCgiServer server) throws IOException {
        this.server = server;
        server.start();
        this.address = (InetSocketAddress) server.boundAddresses().get(0);
    }

    static FuzzedServer start() throws IOException {
        return new FuzzedServer(FastCgiServer.builder().handler(new FuzzHandler()).listen("127.0.0.1:0")
                .workers(WORKERS).queueCapacity(2).maxRequestsPerConnection(8).bodyBufferBytes(4 << 10)
                .paramsLimits(new ParamsLimits(4 << 10, 32, 256, 1024)).shutdownGrace(Duration.ofSeconds(5))
                .build());
    }

    InetSocketAddress address() {
        return address;
    }

    /** Plays {@code input} as the web server on a new connection. */
    FuzzPeer.Answer exchange(FuzzInput input) throws IOException {
        connectionsMade++;
        return FuzzPeer.exchange(address, input);
    }

    /**
     * Waits (up to 10 s) until the server has accepted every connection made to it and holds no connection and no
     * request: everything the last input began has ended, now that its peer has closed. A peer that gave up
     * waiting for an answer may have closed a connection still in the listen backlog (a loaded machine may not
     * run the accepting loop for 100 ms): its bytes are still read and its requests run once it is accepted.
     *
     * @throws AssertionError saying what is left
     */
    void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.acceptedConnections() < connectionsMade || server.openConnections() != 0
                || server.scheduler().admitted() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("10 s after its peer closed, the server has accepted "
                        + server.acceptedConnections() + " of the " + connectionsMade + " connections made to it, "
                        + "and still holds " + server.openConnections() + " connection(s) and "
                        + server.scheduler().admitted() + " admitted request(s)");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Sends GET /probe on a new connection, without FCGI_KEEP_CONN.
     *
     * @throws AssertionError unless the answer is exactly the expected one and the server then closes
     */
    void probe() throws IOException {
        connectionsMade++;
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(PROBE);
            byte[] answer = socket.getInputStream().readAllBytes();
            if (!Arrays.equals(PROBE_ANSWER, answer)) {
                throw new AssertionError("GET /probe answered " + AnswerInvariants.records(answer) + ": "
                        + printable(answer) + "\ninstead of " + printable(PROBE_ANSWER));
            }
        }
    }

    /** The bytes as text, with control characters other than CR and LF escaped. */
    private static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            text.append(c >= ' ' && c < 0x7f || c == '\r' || c == '\n' ? String.valueOf(c)
                    : String.format("\\u%04x", (int) c));
        }
        return text.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
