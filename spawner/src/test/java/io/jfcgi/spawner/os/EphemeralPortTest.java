package io.jfcgi.spawner.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code -p 0}: the socket takes a free port once, and names it, so that nothing picks a port and races for it. */
class EphemeralPortTest {

    private final Posix posix = Posix.get();

    @Test
    void portZeroBindsAFreePortAndNamesIt() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ListenSocket socket = ListenSocket.tcp(posix, loopback, 0, 16, List.of())) {
            int port = socket.tcpAddress().getPort();
            assertTrue(port > 0, "the kernel's port, not 0: " + port);
            assertEquals("127.0.0.1:" + port, socket.toString());
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(loopback, port), 5000); // it listens there
            }
        }
    }

    @Test
    void anInheritedSocketIsNamedByTheAddressItIsBoundTo() throws IOException {
        InetAddress loopback = InetAddress.getByName("::1");
        try (ListenSocket socket = ListenSocket.tcp(posix, loopback, 0, 16, List.of())) {
            int fd = posix.libc().fcntl(socket.fd(), Posix.F_DUPFD_CLOEXEC, 10);
            try (ListenSocket inherited = ListenSocket.inherited(posix, fd, "[::1]:0", null)) {
                assertEquals("[0:0:0:0:0:0:0:1]:" + socket.tcpAddress().getPort(), inherited.toString());
                assertEquals(socket.toString(), inherited.toString());
            }
        }
    }
}
