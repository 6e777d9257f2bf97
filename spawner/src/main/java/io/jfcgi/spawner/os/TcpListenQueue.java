package io.jfcgi.spawner.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.byref.IntByReference;

/**
 * The accept queue of our own TCP listener, as php-fpm reads it: getsockopt(TCP_INFO), whose tcpi_unacked is, for
 * a listening socket, the connections waiting to be accepted (and tcpi_sacked the backlog). One call on a fd we
 * hold, cheap enough for every 100 ms, where /proc/net/tcp would list every connection of the machine.
 */
public final class TcpListenQueue {

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    /** offsetof(struct tcp_info, tcpi_unacked): 8 bytes of u8 fields, then rto, ato, snd_mss, rcv_mss. */
    private static final int TCPI_UNACKED = 24;

    private final Posix posix;
    private final int fd;

    public TcpListenQueue(Posix posix, int listenFd) {
        this.posix = posix;
        this.fd = listenFd;
    }

    /** Connections waiting to be accepted now; -1 if the kernel would not say. */
    public int length() {
        byte[] info = new byte[104];
        IntByReference length = new IntByReference(info.length);
        if (posix.libc().getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, length) != 0
                || length.intValue() < TCPI_UNACKED + 4) {
            return -1;
        }
        return ByteBuffer.wrap(info).order(ByteOrder.nativeOrder()).getInt(TCPI_UNACKED);
    }
}
