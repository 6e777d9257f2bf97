package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The server's open connections: accepts them on the I/O threads (only from {@code FCGI_WEB_SERVER_ADDRS}, at
 * most {@code --max-conns}), spreads them over the loops, and counts them out when they end.
 */
final class Connections implements EventLoop.Acceptor {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(Connections.class);
    }

    /** How long the loops leave a listener alone after an accept failed. */
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(500);
    private static final long ACCEPT_WARNING_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final FastCgiServer server;
    private final ServerSettings settings;
    private final ScheduledExecutorService timer;
    private final WebServerAddresses allowedPeers;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Counted before a connection is made, so that --max-conns holds under a burst of accepts on several loops. */
    private final AtomicInteger count = new AtomicInteger();
    /** When a failed accept was last logged as a warning (System.nanoTime), or 0. */
    private final AtomicLong lastAcceptWarning = new AtomicLong();
    private volatile EventLoopGroup loops;

    /**
     * @param timer schedules the retry of a listener after a failed accept
     * @throws IllegalArgumentException if FCGI_WEB_SERVER_ADDRS has an entry that is not an IP address
     */
    Connections(FastCgiServer server, ScheduledExecutorService timer) {
        this.server = server;
        this.settings = server.settings();
        this.timer = timer;
        this.allowedPeers = WebServerAddresses.parse(settings.webServerAddresses());
    }

    /** From now on new connections go to {@code group}'s loops in turn. */
    void spreadOver(EventLoopGroup group) {
        loops = group;
    }

    int size() {
        return open.size();
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    void forEach(Consumer<Connection> action) {
        open.forEach(action);
    }

    /** Milliseconds since the oldest request in flight on any connection began (0 with none). */
    long oldestRequestAgeMillis() {
        long now = System.nanoTime();
        long age = 0;
        for (Connection connection : open) {
            age = Math.max(age, connection.oldestRequestAgeNanos(now));
        }
        return TimeUnit.NANOSECONDS.toMillis(age);
    }

    /** The watchdog: each connection's timeouts; a bug in one must not stop the others being checked. */
    void checkTimeouts(long now) {
        for (Connection connection : open) {
            try {
                connection.checkTimeouts(now);
            } catch (RuntimeException e) {
                Log.LOG.error("watchdog failed on {}", connection.peer(), e);
            }
        }
    }

    /**
     * Graceful stop: closes each connection as it becomes idle (a fresh one gets {@code freshNanos} for its first
     * request), until none is left or the deadline; true if none is left.
     */
    boolean closeAsTheyIdle(long deadlineNanos, long freshNanos) {
        return awaitNone(deadlineNanos, now -> open.forEach(connection -> connection.closeIfIdleAtStop(now, freshNanos)));
    }

    /** The I/O threads end each closed connection (aborting what ran): gives them until the deadline. */
    void awaitEnded(long deadlineNanos) {
        awaitNone(deadlineNanos, now -> { });
    }

    /** Polls until no connection is left or the deadline passes, doing {@code eachRound} first each time. */
    private boolean awaitNone(long deadlineNanos, LongConsumer eachRound) {
        while (!open.isEmpty()) {
            long now = System.nanoTime();
            if (now >= deadlineNanos) {
                return false;
            }
            eachRound.accept(now);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A connection has ended (on its drive holder): it no longer counts against --max-conns. */
    void ended(Connection connection) {
        if (open.remove(connection)) {
            count.decrementAndGet();
        }
    }

    /**
     * On an I/O thread, whose loop found {@code listener} ready: takes every connection waiting and spreads them
     * over the loops in turn. One that falls to this loop (with one loop, all of them) is read at its next look,
     * with no other thread woken on the way.
     *
     * @return false if accepting failed: the loop then leaves the listener alone for half a second, as nginx does
     *         when it runs out of file descriptors, and the connections wait in the backlog meanwhile
     */
    @Override
    public boolean acceptAll(ServerSocketChannel listener, EventLoop loop) {
        try {
            SocketChannel channel;
            while (!server.isStopping() && (channel = listener.accept()) != null) {
                EventLoop target = loops.next();
                Connection connection = openOrDrop(channel, target);
                if (connection == null) {
                    continue;
                }
                if (target == loop) {
                    connection.register();
                } else {
                    target.execute(connection::register);
                }
            }
            return true;
        } catch (IOException e) {
            if (!server.isStopping() && !(e instanceof ClosedChannelException)) {
                acceptFailed(listener, loop, e);
            }
            return false;
        }
    }

    /**
     * Typically "Too many open files": the process is at its limit. Connections wait in the listen backlog while
     * the loop looks again every half second; one warning per ten seconds says what to do.
     */
    private void acceptFailed(ServerSocketChannel listener, EventLoop loop, IOException e) {
        long now = System.nanoTime();
        long last = lastAcceptWarning.get();
        if ((last == 0 || now - last > ACCEPT_WARNING_NANOS) && lastAcceptWarning.compareAndSet(last, Math.max(1, now))) {
            Log.LOG.warn("accepting a connection failed: {}; trying again every {} ms (if the process is out of file "
                    + "descriptors, raise its limit: ulimit -n, LimitNOFILE=, or lower --max-conns)", e.getMessage(),
                    ACCEPT_RETRY.toMillis());
        } else {
            Log.LOG.debug("accepting a connection failed again: {}", e.toString());
        }
        try {
            timer.schedule(() -> loop.resumeAccepting(listener), ACCEPT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // closing: nothing more to accept
        }
    }

    /** As {@link #open}; a connection that fails while being set up (reset at once) is closed, and the rest go on. */
    private Connection openOrDrop(SocketChannel channel, EventLoop loop) {
        try {
            return open(channel, loop);
        } catch (IOException e) {
            Log.LOG.debug("dropped a new connection while setting it up: {}", e.toString());
            try {
                channel.close();
            } catch (IOException ignored) {
                // it is gone either way
            }
            return null;
        }
    }

    /** A connection to serve, or null if refused (not an allowed peer, or at max connections). */
    private Connection open(SocketChannel channel, EventLoop loop) throws IOException {
        String peer = describePeer(channel);
        if (!isAllowed(channel)) {
            Log.LOG.warn("refused {}: not in FCGI_WEB_SERVER_ADDRS {}", peer, settings.webServerAddresses());
            channel.close();
            return null;
        }
        channel.configureBlocking(false); // may throw: before it is counted
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        if (count.incrementAndGet() > settings.maxConnections()) {
            count.decrementAndGet();
            Log.LOG.warn("refused {}: already {} connections (max connections)", peer, settings.maxConnections());
            channel.close();
            return null;
        }
        Connection connection = new Connection(server, channel, loop, peer);
        open.add(connection);
        return connection;
    }

    private boolean isAllowed(SocketChannel channel) throws IOException {
        SocketAddress remote = channel.getRemoteAddress();
        // §3.2 speaks of TCP peers; a unix socket's peer is local by construction.
        return !(remote instanceof InetSocketAddress inet) || allowedPeers.allows(inet.getAddress());
    }

    private static String describePeer(SocketChannel channel) {
        try {
            SocketAddress remote = channel.getRemoteAddress();
            return remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                    : "unix peer";
        } catch (IOException e) {
            return "unknown peer";
        }
    }
}
