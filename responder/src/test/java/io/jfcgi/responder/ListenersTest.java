package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenersTest {

    @TempDir
    Path dir;

    @Test
    void withoutASocketOnFdZeroSaysHowToGiveOne() {
        IOException e = assertThrows(IOException.class, () -> new Listeners().adopt(null, Map.of()));
        assertTrue(e.getMessage().startsWith("no address to listen on and no listening socket on fd 0: pass --listen"),
                e.getMessage());
    }

    @Test
    void systemdSocketsOnFdThreeAreExplained() {
        IOException e = assertThrows(IOException.class, () -> new Listeners().adopt(null, Map.of("LISTEN_FDS", "2")));
        assertTrue(e.getMessage().startsWith("systemd passed 2 socket(s) from fd 3 (LISTEN_FDS)"), e.getMessage());
        assertTrue(e.getMessage().contains("StandardInput=socket"), e.getMessage());
    }

    @Test
    void theInheritedSocketIsNeverClosed() throws IOException {
        try (ServerSocketChannel inherited = ServerSocketChannel.open()) {
            inherited.bind(new InetSocketAddress("127.0.0.1", 0));
            Listeners listeners = new Listeners();
            listeners.adopt(inherited, Map.of());
            assertEquals(List.of(inherited), listeners.channels());
            listeners.close();
            assertTrue(inherited.isOpen());
        }
    }

    @Test
    void boundSocketsAreClosedAndTheirFilesDeleted() throws IOException {
        Path socket = dir.resolve("app.sock");
        Listeners listeners = new Listeners();
        listeners.open(List.of(ListenAddress.parse("127.0.0.1:0"), ListenAddress.parse("unix:" + socket)));
        List<ServerSocketChannel> channels = listeners.channels();
        assertEquals(2, channels.size());
        assertNotEquals(0, ((InetSocketAddress) listeners.boundAddresses().get(0)).getPort());
        listeners.close();
        listeners.deleteSocketFiles();
        assertFalse(channels.get(0).isOpen());
        assertFalse(channels.get(1).isOpen());
        assertFalse(Files.exists(socket));
    }
}
