package io.jfcgi.responder;

import io.jfcgi.tools.FastCgiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
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
}
