package io.jfcgi.spawner.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ListenSocket#activated}: what a socket passed by systemd must be, checked on real sockets of this test
 * process (no child processes). Loopback only.
 */
class ActivatedSocketTest {

    private static final int SOCK_DGRAM = 2;
    private final Posix posix = Posix.get();
    private final List<AddressRange> allowed = List.of(AddressRange.parse("192.0.2.1"));

    @TempDir
    Path dir;

    @Test
    void aListeningTcpSocketIsAdoptedAndDescribedByItsAddress() throws IOException {
        int fd = listeningTcp(List.of());
        try (ListenSocket socket = ListenSocket.activated(posix, fd, "fd 3 from systemd", List.of())) {
            assertEquals(InetAddress.getByName("127.0.0.1"), socket.tcpAddress().getAddress());
            assertTrue(socket.toString().matches("127\\.0\\.0\\.1:\\d+, fd 3 from systemd"), socket.toString());
            assertNull(socket.unixPath(), "systemd's socket file is systemd's");
        }
    }

    @Test
    void aListeningUnixSocketIsAdoptedWithItsPath() throws IOException {
        Path path = dir.resolve("s.sock");
        try (ListenSocket bound = ListenSocket.unix(posix, path, 16, 0600, -1, -1);
                ListenSocket socket = ListenSocket.activated(posix, duplicate(bound), "fd 3 from systemd", List.of())) {
            assertEquals("unix:" + path + ", fd 3 from systemd", socket.toString());
            assertNull(socket.tcpAddress());
        }
    }

    @Test
    void theSameLockedFilterFromAnEarlierStartIsKept() throws IOException {
        int fd = listeningTcp(allowed); // as a socket unit holds it across a restart of the service
        try (ListenSocket socket = ListenSocket.activated(posix, fd, "fd 3 from systemd", allowed)) {
            assertTrue(socket.tcpAddress() != null);
        }
    }

    @Test
    void anotherLockedFilterIsRefusedWithTheWayOut() throws IOException {
        int fd = listeningTcp(allowed);
        String said = assertThrows(IOException.class, () -> ListenSocket.activated(posix, fd, "fd 3 from systemd",
                List.of(AddressRange.parse("198.51.100.0/24")))).getMessage();
        posix.closeQuietly(fd);
        assertTrue(said.contains("carries another --allow filter") && said.contains("restart the socket unit"), said);
    }

    @Test
    void allowOnAUnixSocketIsRefused() throws IOException {
        try (ListenSocket bound = ListenSocket.unix(posix, dir.resolve("a.sock"), 16, 0600, -1, -1)) {
            int fd = duplicate(bound);
            String said = assertThrows(IOException.class,
                    () -> ListenSocket.activated(posix, fd, "fd 3 from systemd", allowed)).getMessage();
            posix.closeQuietly(fd);
            assertTrue(said.startsWith("--allow applies to TCP only"), said);
        }
    }

    private int duplicate(ListenSocket socket) {
        return posix.libc().fcntl(socket.fd(), Posix.F_DUPFD_CLOEXEC, 10);
    }

    @Test
    void whatIsNotAListeningStreamSocketIsNamedInOneLine() throws IOException {
        int datagram = posix.libc().socket(Posix.AF_INET, SOCK_DGRAM | Posix.SOCK_CLOEXEC, 0);
        int unlistened = posix.libc().socket(Posix.AF_INET, Posix.SOCK_STREAM | Posix.SOCK_CLOEXEC, 0);
        int file = posix.libc().open("/dev/null", Posix.O_RDWR | Posix.O_CLOEXEC, 0);
        int closed = 999_999; // no process has that many open
        try {
            assertEquals(List.of("fd 3 is not a stream socket", "fd 3 is not listening", "fd 3 is not a socket",
                    "fd 3 is not open"), List.of(refusal(datagram), refusal(unlistened), refusal(file),
                            refusal(closed)));
        } finally {
            List.of(datagram, unlistened, file).forEach(posix::closeQuietly);
        }
    }

    /** The start of the message, up to its first reason. */
    private String refusal(int fd) {
        String said = assertThrows(IOException.class, () -> ListenSocket.activated(posix, fd, "fd 3", List.of()))
                .getMessage();
        assertTrue(!said.contains("\n"), said);
        return said.split(" \\(|:")[0];
    }

    /** A loopback listener bound as the launcher binds one, whose fd the test hands over as systemd would. */
    private int listeningTcp(List<AddressRange> admitted) throws IOException {
        ListenSocket socket = ListenSocket.tcp(posix, InetAddress.getByName("127.0.0.1"), 0, 16, admitted);
        return socket.fd();
    }
}
