package io.jfcgi.spawner.os;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;

/**
 * The listening socket the launcher binds once and keeps for its whole life, so that respawns and reloads never
 * refuse a connection: the kernel's backlog holds them while no child accepts. Its fd goes to every child as fd 0.
 */
public final class ListenSocket implements AutoCloseable {

    /** sun_path holds 108 bytes on Linux, the terminating NUL included. */
    static final int MAX_UNIX_PATH_BYTES = 107;
    static final int SO_ATTACH_FILTER = 26;
    static final int SO_LOCK_FILTER = 44;
    static final int SO_TYPE = 3;
    static final int SO_ACCEPTCONN = 30;
    static final int SO_DOMAIN = 39;
    /** getsockopt's name for reading the attached classic filter back (SO_ATTACH_FILTER's number). */
    static final int SO_GET_FILTER = SO_ATTACH_FILTER;
    private static final int EBADF = 9;
    private static final int EPERM = 1;
    private static final int ENOTSOCK = 88;
    private static final int F_GETFD = 1;

    private final Posix posix;
    private final int fd;
    private final String description;
    private final Path unixPath;
    private final InetSocketAddress tcpAddress;
    private boolean closed;
    /** Whether {@link #close} removes the unix socket file: not while another launcher serves on it. */
    private boolean ownsFile;

    private ListenSocket(Posix posix, int fd, String description, Path unixPath, InetSocketAddress tcpAddress,
            boolean ownsFile) {
        this.posix = posix;
        this.fd = fd;
        this.description = description;
        this.unixPath = unixPath;
        this.tcpAddress = tcpAddress;
        this.ownsFile = ownsFile;
    }

    /**
     * Binds {@code address:port} with SO_REUSEADDR (as spawn-fcgi does) and listens with {@code backlog}; port 0
     * takes a free port, which {@link #toString} and {@link #tcpAddress} then name. When
     * {@code admitted} is not empty, a {@link PeerFilter} is attached (and locked) before bind, so that no
     * connection from another source is ever established on it, not even one that raced the start.
     */
    public static ListenSocket tcp(Posix posix, InetAddress address, int port, int backlog,
            List<AddressRange> admitted) throws IOException {
        String description = describe(address, port);
        int family = address instanceof Inet4Address ? Posix.AF_INET : Posix.AF_INET6;
        int fd = posix.check(posix.libc().socket(family, Posix.SOCK_STREAM | Posix.SOCK_CLOEXEC, 0), "socket");
        try {
            posix.check(posix.libc().setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_REUSEADDR, new int[] {1}, 4),
                    "setsockopt(SO_REUSEADDR)");
            if (!admitted.isEmpty()) {
                attachFilter(posix, fd, PeerFilter.encode(PeerFilter.program(admitted)));
            }
            byte[] sockaddr = socketAddress(address, port);
            if (posix.libc().bind(fd, sockaddr, sockaddr.length) == -1) {
                throw bindFailure(posix, description, port);
            }
            posix.check(posix.libc().listen(fd, backlog), "listen on " + description);
            // Port 0 is the kernel's choice: the logs, status and scripts need the port it chose.
            InetSocketAddress bound = port != 0 ? new InetSocketAddress(address, port)
                    : inetAddress(boundAddress(posix, fd, description));
            return new ListenSocket(posix, posix.relocate(fd), describe(bound.getAddress(), bound.getPort()), null,
                    bound, false);
        } catch (IOException e) {
            posix.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Binds a unix socket at {@code path} with {@code mode} applied through the umask around bind(2), so the file
     * never exists with a wider mode, then chowns it (when {@code uid} or {@code gid} is not -1). A path where a
     * live listener answers is refused; a stale socket file is replaced; anything else at the path is refused.
     */
    public static ListenSocket unix(Posix posix, Path path, int backlog, int mode, int uid, int gid)
            throws IOException {
        byte[] pathBytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (pathBytes.length > MAX_UNIX_PATH_BYTES) {
            throw new IOException("the unix socket path " + path + " is " + pathBytes.length
                    + " bytes; Linux allows " + MAX_UNIX_PATH_BYTES + ": choose a shorter path");
        }
        removeStale(path);
        String description = "unix:" + path;
        int fd = posix.check(posix.libc().socket(Posix.AF_UNIX, Posix.SOCK_STREAM | Posix.SOCK_CLOEXEC, 0),
                "socket");
        boolean bound = false;
        try {
            byte[] sockaddr = unixAddress(pathBytes);
            int previous = posix.libc().umask(0777 & ~mode);
            int result;
            try {
                result = posix.libc().bind(fd, sockaddr, sockaddr.length);
            } finally {
                posix.libc().umask(previous);
            }
            if (result == -1) {
                int errno = posix.errno();
                throw new IOException("cannot create the unix socket " + path + ": " + posix.describe(errno)
                        + (errno == 13 ? "; the launcher's user needs write access to " + path.getParent() : ""));
            }
            bound = true;
            if (uid != -1 || gid != -1) {
                posix.check(posix.libc().chown(path.toString(), uid, gid), "chown " + path);
            }
            posix.check(posix.libc().listen(fd, backlog), "listen on " + description);
            return new ListenSocket(posix, posix.relocate(fd), description, path, null, true);
        } catch (IOException e) {
            posix.closeQuietly(fd);
            if (bound) {
                Files.deleteIfExists(path);
            }
            throw e;
        }
    }

    /**
     * Adopts the listening socket systemd passed on {@code fd} (socket activation): it must be a listening stream
     * socket (not a datagram socket, not a connection of Accept=yes). It is moved off fd 3, as the sockets we bind
     * are, so that children's fds 3 and 4 are free. With {@code admitted} (TCP only) the {@link PeerFilter} is
     * attached and locked as on a socket we bind; a socket that systemd kept across a restart carries the locked
     * filter of the previous start already, which is kept when it is the same. Its file, if any, is systemd's: it
     * is not removed at exit.
     */
    public static ListenSocket activated(Posix posix, int fd, String origin, List<AddressRange> admitted)
            throws IOException {
        int type = intOption(posix, fd, SO_TYPE, origin);
        if (type != Posix.SOCK_STREAM) {
            throw new IOException(origin + " is not a stream socket (type " + type + "): give the socket unit a "
                    + "ListenStream=, not ListenDatagram= or ListenSequentialPacket=");
        }
        if (intOption(posix, fd, SO_ACCEPTCONN, origin) != 1) {
            throw new IOException(origin + " is not listening (a connection of Accept=yes?): set Accept=no in the "
                    + "socket unit, so that the pool accepts");
        }
        int family = intOption(posix, fd, SO_DOMAIN, origin);
        byte[] bound = boundAddress(posix, fd, origin);
        InetSocketAddress tcp = family == Posix.AF_UNIX ? null : inetAddress(bound);
        String where = tcp != null ? describe(tcp.getAddress(), tcp.getPort()) : "unix:" + unixName(bound);
        if (!admitted.isEmpty()) {
            if (tcp == null) {
                throw new IOException("--allow applies to TCP only, and " + origin + " is a unix socket (" + where
                        + "); its file mode (SocketMode= in the socket unit) says who may connect");
            }
            attachOrKeepFilter(posix, fd, PeerFilter.encode(PeerFilter.program(admitted)), origin);
        }
        return new ListenSocket(posix, posix.relocate(fd), where + ", " + origin, null, tcp, false);
    }

    /**
     * Adopts the listening socket a launcher's predecessor handed over as {@code fd} (SIGUSR2): already bound,
     * listening, filtered and chowned; a unix socket keeps its file, which is neither checked nor bound again, so
     * connections queued on it in the meantime are served. Moved to a close-on-exec fd like a socket of our own.
     * The file stays the predecessor's until {@link #claimFile}: a successor that fails must not remove it.
     */
    public static ListenSocket inherited(Posix posix, int fd, String description, Path unixPath) throws IOException {
        posix.check(posix.libc().fcntl(fd, F_GETFD, 0), "the inherited listening socket (fd " + fd + ")");
        InetSocketAddress tcp = unixPath != null ? null : inetAddress(boundAddress(posix, fd, description));
        // As bound: with -p 0 the command line does not say the port.
        return new ListenSocket(posix, posix.relocate(fd), tcp != null ? describe(tcp.getAddress(), tcp.getPort())
                : description, unixPath, tcp, false);
    }

    /** getsockname: the raw sockaddr the socket on {@code fd} is bound to. */
    private static byte[] boundAddress(Posix posix, int fd, String origin) throws IOException {
        byte[] sockaddr = new byte[128];
        IntByReference length = new IntByReference(sockaddr.length);
        posix.check(posix.libc().getsockname(fd, sockaddr, length), "getsockname on " + origin);
        return Arrays.copyOf(sockaddr, Math.min(length.intValue(), sockaddr.length));
    }

    /** {@code host:port}, with an IPv6 host in brackets, as nginx's fastcgi_pass writes it. */
    public static String describe(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    /** The fd to hand to children as their fd 0. Close-on-exec in the launcher itself. */
    public int fd() {
        return fd;
    }

    /** The address bound, for TCP; null for a unix socket. */
    public InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    /** The socket file, for a unix socket we bound; null for TCP and for a socket systemd passed. */
    public Path unixPath() {
        return unixPath;
    }

    @Override
    public String toString() {
        return description;
    }

    /** A successor serves on this socket now: {@link #close} leaves its file, which is the successor's. */
    public synchronized void handOver() {
        ownsFile = false;
    }

    /** A successor's, once it has taken over from its predecessor: {@link #close} removes the file again. */
    public synchronized void claimFile() {
        ownsFile = unixPath != null;
    }

    /** Closes the socket and removes its file (unless handed over): only on the launcher's clean exit. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        posix.closeQuietly(fd);
        if (unixPath != null && ownsFile) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException e) {
                // Left behind; the next start finds it stale and replaces it.
            }
        }
    }

    /**
     * SO_ATTACH_FILTER with a {@code struct sock_fprog} (u16 length, then a pointer to the instructions), then
     * SO_LOCK_FILTER so that a child cannot detach or replace it on the shared socket.
     */
    private static void attachFilter(Posix posix, int fd, byte[] program) throws IOException {
        Runtime runtime = Runtime.getRuntime(posix.libc());
        Pointer instructions = Memory.allocateDirect(runtime, program.length);
        instructions.put(0, program, 0, program.length);
        Pointer fprog = Memory.allocateDirect(runtime, 2 * runtime.addressSize());
        fprog.putShort(0, (short) (program.length / 8));
        fprog.putAddress(runtime.addressSize(), instructions.address());
        posix.check(posix.libc().setsockopt(fd, Posix.SOL_SOCKET, SO_ATTACH_FILTER, fprog,
                2 * runtime.addressSize()), "setsockopt(SO_ATTACH_FILTER)");
        posix.check(posix.libc().setsockopt(fd, Posix.SOL_SOCKET, SO_LOCK_FILTER, new int[] {1}, 4),
                "setsockopt(SO_LOCK_FILTER)");
    }

    private static int intOption(Posix posix, int fd, int name, String origin) throws IOException {
        byte[] value = new byte[4];
        IntByReference length = new IntByReference(4);
        if (posix.libc().getsockopt(fd, Posix.SOL_SOCKET, name, value, length) == -1) {
            int errno = posix.errno();
            throw new IOException(switch (errno) {
                case EBADF -> origin + " is not open: the socket unit passed none";
                case ENOTSOCK -> origin + " is not a socket";
                default -> "cannot inspect " + origin + ": " + posix.describe(errno);
            });
        }
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    /** Our filter, or the same filter locked there by an earlier start of the service on the same socket. */
    private static void attachOrKeepFilter(Posix posix, int fd, byte[] program, String origin) throws IOException {
        try {
            attachFilter(posix, fd, program);
        } catch (Posix.NativeException e) {
            if (e.errno() != EPERM) {
                throw e;
            }
            byte[] attached = new byte[program.length];
            IntByReference blocks = new IntByReference(program.length / 8);
            if (posix.libc().getsockopt(fd, Posix.SOL_SOCKET, SO_GET_FILTER, attached, blocks) == -1
                    || blocks.intValue() != program.length / 8 || !Arrays.equals(attached, program)) {
                throw new IOException(origin + " carries another --allow filter, locked by an earlier start: "
                        + "restart the socket unit too (systemctl restart jspawn-fcgi@NAME.socket) to change --allow");
            }
        }
    }

    private static InetSocketAddress inetAddress(byte[] sockaddr) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(sockaddr).order(ByteOrder.BIG_ENDIAN);
        int port = buffer.getShort(2) & 0xffff;
        byte[] address = ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder()).getShort(0) == Posix.AF_INET
                ? Arrays.copyOfRange(sockaddr, 4, 8) : Arrays.copyOfRange(sockaddr, 8, 24);
        return new InetSocketAddress(InetAddress.getByAddress(address), port);
    }

    /** sun_path: a file, or {@code @name} for the abstract namespace (a leading NUL). */
    private static String unixName(byte[] sockaddr) {
        if (sockaddr.length <= 2) {
            return "(unnamed)";
        }
        if (sockaddr[2] == 0) {
            return "@" + new String(sockaddr, 3, sockaddr.length - 3, StandardCharsets.UTF_8);
        }
        int end = 2;
        while (end < sockaddr.length && sockaddr[end] != 0) {
            end++;
        }
        return new String(sockaddr, 2, end - 2, StandardCharsets.UTF_8);
    }

    private static IOException bindFailure(Posix posix, String description, int port) {
        int errno = posix.errno();
        String reason = posix.describe(errno);
        return switch (errno) {
            case 98 -> new IOException(description + " is already in use by another process: stop it, or choose "
                    + "another port with -p");
            case 13 -> new IOException("binding " + description + " was refused (" + reason + "): port " + port
                    + " needs root or CAP_NET_BIND_SERVICE; choose a port above 1023");
            case 99 -> new IOException("cannot bind " + description + " (" + reason + "): the address given with -a "
                    + "is not one of this machine's");
            default -> new IOException("cannot bind " + description + ": " + reason);
        };
    }

    private static void removeStale(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!attributes.isOther()) {
            throw new IOException(path + " exists and is not a socket; remove it or choose another path with -s");
        }
        if (answers(path)) {
            throw new IOException("the unix socket " + path + " is in use by a live listener: stop that process, "
                    + "or choose another path with -s");
        }
        // Nobody answers: a stale file left by a process that died. Replace it, as spawn-fcgi does.
        Files.deleteIfExists(path);
    }

    private static boolean answers(Path path) {
        try (UnixSocketChannel probe = UnixSocketChannel.open(new UnixSocketAddress(path.toFile()))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] socketAddress(InetAddress address, int port) {
        ByteBuffer buffer;
        if (address instanceof Inet4Address) {
            buffer = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            buffer.putShort((short) Posix.AF_INET);
            buffer.order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(address.getAddress());
        } else {
            buffer = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
            buffer.putShort((short) Posix.AF_INET6);
            buffer.order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(0).put(address.getAddress());
            buffer.order(ByteOrder.nativeOrder()).putInt(((Inet6Address) address).getScopeId());
        }
        return buffer.array();
    }

    static byte[] unixAddress(byte[] path) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + path.length + 1).order(ByteOrder.nativeOrder());
        buffer.putShort((short) Posix.AF_UNIX).put(path).put((byte) 0);
        return buffer.array();
    }
}
