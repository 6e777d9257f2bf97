package io.jfcgi.spawner.pool;

import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.UnixListenQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many connections wait in the listener's accept queue, which no child has taken yet: the demand a pool has
 * not met. TCP: the rx_queue of its LISTEN row in /proc/net/tcp and tcp6, the figure php-fpm reads through
 * TCP_INFO (research note §3, §9). Unix: sock_diag ({@link UnixListenQueue}). -1 when unknown.
 */
final class ListenQueue {

    private static final String LISTEN = "0A";

    private final int tcpPort;
    private final UnixListenQueue unix;

    private ListenQueue(int tcpPort, UnixListenQueue unix) {
        this.tcpPort = tcpPort;
        this.unix = unix;
    }

    /** For the listener on {@code listenFd}: TCP port {@code tcpPort}, or a unix socket when that is 0. */
    static ListenQueue of(Posix posix, int listenFd, int tcpPort) {
        if (tcpPort != 0) {
            return new ListenQueue(tcpPort, null);
        }
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + listenFd)).toString();
            long inode = Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
            return new ListenQueue(0, new UnixListenQueue(posix, inode));
        } catch (IOException | RuntimeException e) {
            return new ListenQueue(0, null);
        }
    }

    int length() {
        return unix != null ? unix.length() : tcpPort != 0 ? tcp(tcpPort) : -1;
    }

    private static int tcp(int port) {
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String row : Files.readAllLines(Path.of(table))) {
                    String[] f = row.trim().split("\\s+");
                    if (f.length > 4 && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                        return Integer.parseInt(f[4].substring(f[4].indexOf(':') + 1), 16);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // No such table (no IPv6) or an unexpected row: try the next.
            }
        }
        return -1;
    }
}
