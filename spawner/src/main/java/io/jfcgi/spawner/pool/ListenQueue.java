package io.jfcgi.spawner.pool;

import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.TcpListenQueue;
import io.jfcgi.spawner.os.UnixListenQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * How many connections wait in the listener's accept queue, which no child has taken yet: the demand a pool has
 * not met. TCP: getsockopt(TCP_INFO) on our fd ({@link TcpListenQueue}); unix: sock_diag
 * ({@link UnixListenQueue}). -1 when unknown.
 */
final class ListenQueue {

    private final IntSupplier length;

    private ListenQueue(IntSupplier length) {
        this.length = length;
    }

    /** For the listener on {@code listenFd}: TCP when {@code tcp}, else a unix socket. */
    static ListenQueue of(Posix posix, int listenFd, boolean tcp) {
        if (tcp) {
            return new ListenQueue(new TcpListenQueue(posix, listenFd)::length);
        }
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + listenFd)).toString();
            long inode = Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
            return new ListenQueue(new UnixListenQueue(posix, inode)::length);
        } catch (IOException | RuntimeException e) {
            return new ListenQueue(() -> -1);
        }
    }

    int length() {
        return length.getAsInt();
    }
}
