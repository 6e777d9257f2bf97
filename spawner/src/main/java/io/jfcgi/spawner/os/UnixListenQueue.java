package io.jfcgi.spawner.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The accept queue of a listening unix socket, which neither /proc nor any socket option shows: one sock_diag
 * netlink dump of the listening unix sockets (linux/unix_diag.h, UDIAG_SHOW_RQLEN), keeping the row whose inode is
 * ours. For a listener, the kernel's "rqueue" is the connections waiting to be accepted and "wqueue" the backlog.
 * What `ss -xl` prints as Recv-Q; PHP-FPM reports 0 here for unix sockets.
 */
public final class UnixListenQueue {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final short SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_DUMP = 0x300;
    private static final short NLMSG_ERROR = 2;
    private static final short NLMSG_DONE = 3;
    private static final int TCP_LISTEN = 10;
    private static final int UDIAG_SHOW_RQLEN = 0x10;
    private static final short UNIX_DIAG_RQLEN = 4;
    private static final int SO_RCVTIMEO = 20;

    private final Posix posix;
    private final long inode;

    /** For the unix listener whose socket inode is {@code inode} (the N of "socket:[N]" in /proc/self/fd). */
    public UnixListenQueue(Posix posix, long inode) {
        this.posix = posix;
        this.inode = inode;
    }

    /** Connections waiting to be accepted now; -1 if the kernel would not say. */
    public int length() {
        LibC libc = posix.libc();
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | Posix.SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (fd < 0) {
            return -1;
        }
        try {
            // struct timeval {1 s, 0}: a kernel that never answers must not stall the supervisor's tick.
            libc.setsockopt(fd, Posix.SOL_SOCKET, SO_RCVTIMEO, new int[] {1, 0, 0, 0}, 16);
            byte[] request = request();
            if (libc.send(fd, request, request.length, 0) != request.length) {
                return -1;
            }
            return readReplies(libc, fd);
        } finally {
            libc.close(fd);
        }
    }

    /** struct nlmsghdr + struct unix_diag_req: dump every listening unix socket, with its queue lengths. */
    private static byte[] request() {
        ByteBuffer b = ByteBuffer.allocate(16 + 24).order(ByteOrder.nativeOrder());
        b.putInt(40).putShort(SOCK_DIAG_BY_FAMILY).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(1).putInt(0);
        b.put((byte) Posix.AF_UNIX).put((byte) 0).putShort((short) 0);
        b.putInt(1 << TCP_LISTEN).putInt(0).putInt(UDIAG_SHOW_RQLEN).putInt(-1).putInt(-1);
        return b.array();
    }

    private int readReplies(LibC libc, int fd) {
        byte[] buffer = new byte[32 << 10];
        int found = -1;
        while (true) {
            long n = libc.recv(fd, buffer, buffer.length, 0);
            if (n <= 0) {
                return found;
            }
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, (int) n).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 16) {
                int start = b.position();
                int length = b.getInt(start);
                short type = b.getShort(start + 4);
                if (length < 16 || start + length > b.limit()) {
                    return found;
                }
                if (type == NLMSG_DONE || type == NLMSG_ERROR) {
                    return found;
                }
                int queue = queueOf(b, start + 16, start + length);
                if (queue >= 0) {
                    found = queue;
                }
                b.position(start + align(length));
            }
        }
    }

    /** struct unix_diag_msg, then its attributes; the RQLEN one of the row with our inode, else -1. */
    private int queueOf(ByteBuffer b, int message, int end) {
        if (end - message < 16 || Integer.toUnsignedLong(b.getInt(message + 4)) != inode) {
            return -1;
        }
        int attribute = message + 16;
        while (attribute + 4 <= end) {
            int length = b.getShort(attribute) & 0xffff;
            short type = b.getShort(attribute + 2);
            if (length < 4) {
                return -1;
            }
            if (type == UNIX_DIAG_RQLEN && length >= 12) {
                return b.getInt(attribute + 4);
            }
            attribute += align(length);
        }
        return -1;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
