package io.jfcgi.spawner.status;

import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.ParamsLimits;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The launcher's own FastCGI listener for the status page and ping ({@code --status-listen}): one daemon thread and
 * one selector, so that it answers while every child is busy or frozen and never touches the supervisor's thread
 * (it reads the pool through {@link StatusRoutes}' snapshot supplier). Bounded: at most
 * {@link Limits#maxConnections} at once (a newer one is closed at once when no idle one can make room), PARAMS and
 * STDIN capped, and every request must be read and answered within {@link Limits#requestTimeout} and every
 * connection used within {@link Limits#idleTimeout}, so that a stalled peer holds nothing for long.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(StatusServer.class);
    private static final int READ_BUFFER_BYTES = 16 << 10;
    private static final long SWEEP_MILLIS = 250;
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    /** The bounds of the listener. */
    public record Limits(int maxConnections, ParamsLimits params, long maxBodyBytes, Duration requestTimeout,
            Duration idleTimeout) {

        public static final Limits DEFAULTS = new Limits(16, new ParamsLimits(16 << 10, 256, 1 << 10, 8 << 10),
                64 << 10, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    /** A connection and its socket: the listener thread's only. */
    private static final class Peer {
        final SocketChannel channel;
        final StatusConnection connection;
        final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
        long deadlineNanos;
        /** Between requests: the next byte that comes starts the request's deadline. */
        boolean awaitingRequest = true;

        Peer(SocketChannel channel, StatusConnection connection, long deadlineNanos) {
            this.channel = channel;
            this.connection = connection;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final StatusListen listen;
    private final Limits limits;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Path socketFile;
    private Thread thread;
    private volatile boolean closing;
    private long lastWarningNanos = System.nanoTime() - WARN_EVERY_NANOS;

    private StatusServer(StatusListen listen, Limits limits, ServerSocketChannel server, Selector selector,
            Path socketFile) {
        this.listen = listen;
        this.limits = limits;
        this.server = server;
        this.selector = selector;
        this.socketFile = socketFile;
    }

    /**
     * Binds the listener (not serving yet). A unix socket file that is left from a dead launcher is replaced; a live
     * one is an error. {@code mode}, {@code uid} and {@code gid} (-1: unchanged) apply to a unix socket file.
     */
    public static StatusServer bind(StatusListen listen, Limits limits, int mode, int uid, int gid)
            throws IOException {
        Path file = listen.address() instanceof UnixDomainSocketAddress unix ? unix.getPath() : null;
        ServerSocketChannel server = file != null ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open();
        try {
            if (file != null) {
                removeStale(file);
            }
            server.bind(listen.address(), 64);
            if (file != null) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(
                        permissions(mode)));
                if (uid != -1) {
                    Files.setAttribute(file, "unix:uid", uid);
                }
                if (gid != -1) {
                    Files.setAttribute(file, "unix:gid", gid);
                }
            }
            server.configureBlocking(false);
            Selector selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new StatusServer(listen, limits, server, selector, file);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen for status on " + listen.describe() + ": " + e.getMessage(), e);
        }
    }

    private static void removeStale(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
            throw new IOException("another process serves on " + file);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("another process")) {
                throw e;
            }
            Files.delete(file); // nobody accepts there: left by a launcher that died
        }
    }

    private static String permissions(int mode) {
        StringBuilder out = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            out.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return out.toString();
    }

    /** The address bound (with the real port when 0 was asked for). */
    public java.net.SocketAddress boundAddress() throws IOException {
        return server.getLocalAddress();
    }

    /** The bound address as the logs show it: the port the kernel picked when 0 was asked for. */
    private String bound() {
        try {
            return StatusListen.describe(server.getLocalAddress());
        } catch (IOException e) {
            return listen.describe();
        }
    }

    /** Starts answering with {@code routes}, on a daemon thread of its own. */
    public synchronized void serve(StatusRoutes routes) {
        thread = new Thread(() -> loop(routes), "status-listener");
        thread.setDaemon(true);
        thread.start();
        LOG.info("status on {}: {} and {} (?json, ?xml, ?html, ?openmetrics, &full)", bound(),
                listen.statusPath(), listen.pingPath());
    }

    private void loop(StatusRoutes routes) {
        try {
            while (!closing) {
                selector.select(SWEEP_MILLIS);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept(routes, now);
                    } else {
                        serve((Peer) key.attachment(), key, now);
                    }
                }
                selector.selectedKeys().clear();
                sweep(now);
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                LOG.error("the status listener on {} failed and stops: {}", bound(), e.toString());
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
        }
    }

    private void accept(StatusRoutes routes, long now) throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            if (selector.keys().size() - 1 >= limits.maxConnections() && !closeAnIdleOne()) {
                warn("status listener: {} connections open, the most it takes; closed a new one",
                        limits.maxConnections());
                channel.close();
                continue;
            }
            channel.configureBlocking(false);
            Peer peer = new Peer(channel, new StatusConnection(limits, routes), now + limits.idleTimeout().toNanos());
            channel.register(selector, SelectionKey.OP_READ, peer);
        }
    }

    /** Makes room by closing a connection that waits between requests; false when every one is mid-request. */
    private boolean closeAnIdleOne() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Peer peer && peer.connection.isIdle()) {
                closeQuietly(key);
                return true;
            }
        }
        return false;
    }

    private void serve(Peer peer, SelectionKey key, long now) {
        try {
            if (key.isWritable() || !peer.connection.output().isEmpty()) {
                flush(peer, key, now);
            }
            if (key.isValid() && key.isReadable() && peer.connection.output().isEmpty()) {
                read(peer, key, now);
            }
        } catch (FastCgiProtocolException e) {
            warn("status listener: closed a connection that broke the FastCGI protocol: {}", e.getMessage());
            closeQuietly(key);
        } catch (IOException e) {
            closeQuietly(key);
        }
    }

    private void read(Peer peer, SelectionKey key, long now) throws IOException, FastCgiProtocolException {
        int n = peer.channel.read(peer.in);
        if (n < 0) {
            peer.connection.endOfInput();
            closeQuietly(key);
            return;
        }
        if (peer.awaitingRequest && n > 0) {
            peer.awaitingRequest = false;
            peer.deadlineNanos = now + limits.requestTimeout().toNanos(); // a request has begun to come
        }
        decode(peer, key, now);
    }

    private void decode(Peer peer, SelectionKey key, long now) throws IOException, FastCgiProtocolException {
        peer.in.flip();
        peer.connection.received(peer.in);
        peer.in.compact();
        if (!peer.connection.output().isEmpty()) {
            flush(peer, key, now);
        }
    }

    /** Writes what it can; once all is out, the request is done and the rest of the input is decoded. */
    private void flush(Peer peer, SelectionKey key, long now) throws IOException, FastCgiProtocolException {
        Deque<ByteBuffer> output = peer.connection.output();
        while (!output.isEmpty()) {
            peer.channel.write(output.peek());
            if (output.peek().hasRemaining()) {
                key.interestOps(SelectionKey.OP_WRITE); // no reading meanwhile: the peer's own back-pressure
                return;
            }
            output.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
        peer.connection.flushed();
        if (peer.connection.phase() == StatusExchange.Phase.CLOSING) {
            closeQuietly(key);
        } else if (peer.connection.phase() == StatusExchange.Phase.IDLE) {
            peer.awaitingRequest = true;
            peer.deadlineNanos = now + limits.idleTimeout().toNanos();
            // Even with nothing left to read: the decoder stopped at the request's last record and finishes it now,
            // so that it stands at a record boundary (an EOF there is a clean close, and the connection idle).
            decode(peer, key, now);
        }
    }

    /** Closes connections past their deadline: a request that stalled, or a connection left unused. */
    private void sweep(long now) {
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            if (key.attachment() instanceof Peer peer && now - peer.deadlineNanos > 0) {
                if (!peer.awaitingRequest) {
                    warn("status listener: closed a connection whose request was not read and answered within {}",
                            limits.requestTimeout());
                }
                closeQuietly(key);
            }
        }
    }

    private void warn(String message, Object detail) {
        long now = System.nanoTime();
        if (now - lastWarningNanos >= WARN_EVERY_NANOS) { // a misbehaving peer must not flood the log
            lastWarningNanos = now;
            LOG.warn(message, detail);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    /** Stops the thread, closes every connection and the listener, and removes the socket file it made. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            server.close();
            selector.close();
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
        } catch (IOException e) {
            // Closing anyway.
        }
    }
}
