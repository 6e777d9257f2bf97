package io.jfcgi.responder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's table of TCP sockets ({@code /proc/net/tcp} and {@code tcp6}), for tests that must see what no Java
 * API shows of the server's side of a connection: bytes it has not read, and the socket itself by its inode. The
 * JDK's sockets are IPv6 ones, so a loopback IPv4 connection is listed in tcp6 (as a mapped address).
 */
final class TcpTable {

    /** One socket: bytes received and not yet read, and its inode (0 once no descriptor holds it). */
    record Row(long receiveQueue, long inode) {
    }

    private TcpTable() {
    }

    /** The socket whose own port is {@code localPort} and whose peer's is {@code remotePort}, if listed. */
    static Optional<Row> find(int localPort, int remotePort) throws IOException {
        String local = String.format(":%04X ", localPort);
        String remote = String.format(":%04X ", remotePort);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Path.of(table))) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && (f[1] + " ").endsWith(local) && (f[2] + " ").endsWith(remote)) {
                    return Optional.of(new Row(Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16),
                            Long.parseLong(f[9])));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a descriptor of this process still refers to the socket with this inode. */
    static boolean heldHere(long inode) throws IOException {
        String link = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(link)) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went between the listing and the read
                }
            }
        }
        return false;
    }
}
