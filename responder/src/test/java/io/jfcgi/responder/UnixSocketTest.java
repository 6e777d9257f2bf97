package io.jfcgi.responder;

import io.jfcgi.tools.FastCgiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class UnixSocketTest {

    @TempDir
    Path dir;

    private FastCgiServer server(Path socket) {
        return FastCgiServer.builder().listen("unix:" + socket).handler((request, response) -> response.write("unix"))
                .build();
    }

    @Test
    void servesOnAUnixSocketAndRemovesItsFileOnClose() throws Exception {
        Path socket = dir.resolve("app.sock");
        FastCgiServer server = server(socket);
        server.start();
        try (FastCgiClient client = FastCgiClient.connect("unix:" + socket, Duration.ofSeconds(5))) {
            assertEquals("unix", client.get("/", Map.of()).bodyText());
        } finally {
            server.close();
        }
        assertFalse(Files.exists(socket));
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path socket = dir.resolve("stale.sock");
        ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        old.bind(UnixDomainSocketAddress.of(socket));
        old.close(); // the file stays behind, with nobody listening
        assertTrue(Files.exists(socket));
        FastCgiServer server = server(socket);
        server.start();
        try (FastCgiClient client = FastCgiClient.connect("unix:" + socket, Duration.ofSeconds(5))) {
            assertEquals("unix", client.get("/", Map.of()).bodyText(), "served on the path the stale file had");
        } finally {
            server.close();
        }
        assertFalse(Files.exists(socket));
    }

    @Test
    void aSocketWithALiveListenerIsRefused() throws Exception {
        Path socket = dir.resolve("live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));
            FastCgiServer server = server(socket);
            IOException e = assertThrows(IOException.class, server::start);
            assertTrue(e.getMessage().contains("a server is already listening there"), e.getMessage());
            server.close();
            assertTrue(Files.exists(socket)); // not ours to remove
        }
    }

    // A new connection on a unix socket is read as soon as it is accepted (Connection.start): the request nginx
    // writes right after its connect is usually in by then. Each case of that first read is a behaviour here.

    @Test
    void aRequestSentWithTheConnectIsAnsweredAndTheConnectionClosed() throws Exception {
        Path socket = dir.resolve("first.sock");
        FastCgiServer server = server(socket);
        server.start();
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            client.write(ByteBuffer.wrap(Wire.getRequest(1, "/", false)));
            assertTrue(readToEof(client).contains("unix"), "answered, then closed: no FCGI_KEEP_CONN");
            awaitNoConnection(server);
        } finally {
            server.close();
        }
    }

    @Test
    void aRequestThatComesAfterTheAcceptIsAnsweredWhenItArrives() throws Exception {
        Path socket = dir.resolve("later.sock");
        FastCgiServer server = server(socket);
        server.start();
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            awaitOpenConnections(server, 1); // accepted, and its first read found nothing
            client.write(ByteBuffer.wrap(Wire.getRequest(1, "/", false)));
            assertTrue(readToEof(client).contains("unix"), "the selector said when the request came");
        } finally {
            server.close();
        }
    }

    @Test
    void aConnectionClosedBeforeItsAcceptIsLetGoAndTheNextIsServed() throws Exception {
        Path socket = dir.resolve("gone.sock");
        FastCgiServer server = server(socket);
        server.start();
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close(); // the first read finds the end
            try (FastCgiClient client = FastCgiClient.connect("unix:" + socket, Duration.ofSeconds(5))) {
                assertEquals("unix", client.get("/", Map.of()).bodyText());
            }
            awaitNoConnection(server);
        } finally {
            server.close();
        }
    }

    /** Everything the server writes until it closes the connection, as ISO-8859-1 text. */
    private static String readToEof(SocketChannel client) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        while (client.read(chunk.clear()) >= 0) {
            all.write(chunk.array(), 0, chunk.position());
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static void awaitNoConnection(FastCgiServer server) throws InterruptedException {
        awaitOpenConnections(server, 0);
    }

    private static void awaitOpenConnections(FastCgiServer server, int expected) throws InterruptedException {
        while (server.openConnections() != expected) {
            Thread.sleep(5); // bounded by the class's timeout
        }
    }
}
