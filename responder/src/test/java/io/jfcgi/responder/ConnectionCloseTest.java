package io.jfcgi.responder;

import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.params;
import static io.jfcgi.responder.Wire.stdin;
import static io.jfcgi.responder.Wire.stdinEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * How a connection without FCGI_KEEP_CONN ends (§3.5: the application closes it after the request): at once when
 * the request's input was all read, as libfcgi does; with a lingering close when the web server may still send
 * input, so that no RST costs it the response. The linger is long here, so that only a close at once ends the
 * connection before the web server closes its side.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConnectionCloseTest {

    private static final int LARGE = 1 << 20;

    /** Writes a response larger than the socket buffers, without reading the request's body. */
    private static final Handler LARGE_RESPONSE = (request, response) -> {
        response.setContentType("application/octet-stream");
        response.body().write(new byte[LARGE]);
    };

    private static TestServer start(Handler handler) throws Exception {
        return TestServer.start(handler, b -> b.ioThreads(1).lingerTimeout(Duration.ofSeconds(30)));
    }

    @Test
    void aRequestWithoutKeepConnGetsItsWholeResponseAndThenEof() throws Exception {
        try (TestServer server = start(LARGE_RESPONSE); Wire wire = server.connect()) {
            wire.send(getRequest(1, "/large", false));
            List<Record> records = wire.readUntilEnd(1);
            assertEquals(LARGE, body(records, 1).length());
            assertNull(wire.read(), "EOF after END_REQUEST, not a reset");
        }
    }

    @Test
    void aConnectionWhoseRequestReadAllItsInputEndsWithoutWaitingForTheWebServer() throws Exception {
        try (TestServer server = start((request, response) -> response.write("hello"));
             Wire wire = server.connect()) {
            wire.send(getRequest(1, "/hello", false));
            assertEquals("hello", body(wire.readUntilEnd(1), 1));
            assertNull(wire.read());
            server.awaitOpenConnections(0); // our side still open: the server did not linger
        }
    }

    @Test
    void aBodyStillArrivingAtTheEndOfTheResponseCostsTheWebServerNoneOfIt() throws Exception {
        // A close with unread input sends a RST, which drops what the server has not sent yet: a small receive
        // buffer keeps much of the response unsent, and a body sent on and on keeps input unread.
        try (TestServer server = start(LARGE_RESPONSE); Wire wire = new Wire(server.address, 4096)) {
            wire.send(begin(1, Role.RESPONDER, false), params(1, post(64 << 20)));
            Thread sender = new Thread(() -> sendBody(wire, 64 << 20));
            sender.start();
            try {
                List<Record> records = wire.readUntilEnd(1);
                assertEquals(LARGE, body(records, 1).length());
                assertNull(wire.read(), "EOF after END_REQUEST, not a reset");
            } finally {
                wire.close();
                sender.join(10_000);
            }
        }
    }

    /** Sends {@code bytes} of body in 16 KiB records, until they are sent or the connection fails. */
    private static void sendBody(Wire wire, int bytes) {
        byte[] chunk = stdin(1, new byte[16 << 10]);
        try {
            for (int sent = 0; sent < bytes; sent += 16 << 10) {
                wire.send(chunk);
            }
        } catch (IOException e) {
            // the test closed the connection: nothing more to send
        }
    }

    @Test
    void aConnectionWithInputStillToComeLingersUntilTheWebServerCloses() throws Exception {
        try (TestServer server = start((request, response) -> response.write("early"))) {
            try (Wire wire = server.connect()) {
                wire.send(begin(1, Role.RESPONDER, false), params(1, post(1 << 16)), stdin(1, new byte[1024]));
                assertEquals("early", body(wire.readUntilEnd(1), 1));
                assertNull(wire.read(), "our output is shut down");
                assertEquals(1, server.server.openConnections(), "the rest of the body is still drained");
            }
            server.awaitOpenConnections(0);
        }
    }

    @Test
    void aConnectionEndedOffTheLoopReleasesItsSocketThoughTheWebServerKeepsItsSideOpen() throws Exception {
        Handler reader = (request, response) -> response.write("read " + request.body().readAllBytes().length);
        try (TestServer server = start(reader); Wire wire = server.connect()) {
            server.awaitOpenConnections(1);
            // The server's side by its inode: counting this process's sockets would also count those that other
            // tests' servers close late.
            long serverSide = TcpTable.find(server.address.getPort(), wire.localPort()).orElseThrow().inode();
            // The body ends in a second read: the handler runs on a worker, which ends the connection.
            wire.send(begin(1, Role.RESPONDER, false), params(1, post(3)), stdin(1, new byte[3]));
            wire.send(stdinEnd(1));
            assertEquals("read 3", body(wire.readUntilEnd(1), 1));
            assertNull(wire.read());
            awaitReleased(serverSide); // with nothing happening on its I/O thread
        }
    }

    private static void awaitReleased(long inode) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (TcpTable.heldHere(inode)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s for the server to release its socket " + inode + "; "
                        + OpenResources.now());
            }
            Thread.sleep(5);
        }
    }

    private static Map<String, String> post(int contentLength) {
        Map<String, String> params = get("/upload");
        params.put("REQUEST_METHOD", "POST");
        params.put("CONTENT_LENGTH", Integer.toString(contentLength));
        return params;
    }
}
