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
 *
 * <p>Under a storm of connects and closes, only connections really open count: a loop accepts a few at a time
 * and then reads, so that it sees its peers' EOFs and resets rather than accept on and on while the dead ones
 * pile up against the limit; and at the limit it leaves new connections in the backlog until a slot frees (the
 * {@link ConnectionSlots}), since one whose peer has just gone may not have been read yet. A refusal is one
 * warning per 10 s, with the count held back.
 */
final class Connections implements EventLoop.Acceptor {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(Connections.class);
    }

    /** How long the loops leave a listener alone after an accept failed. */
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(500);
    /** Accepts per look at a ready listener; then the loop reads its connections (and their EOFs) first. */
    private static final int ACCEPTS_PER_LOOK = 16;
    /** How long every slot may stay taken, none freeing, before connections beyond --max-conns are refused. */
    private static final Duration SLOT_WAIT = Duration.ofMillis(250);
    private static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);
    /**
     * Connections past --max-conns being answered 503 at once; past this many, a refusal is a close at once (a
     * RST), so that a storm of refusals stays cheap: each holds a socket for at most a second.
     */
    static final int MOST_REFUSING = 64;

    private final FastCgiServer server;
    private final ServerSettings settings;
    private final ScheduledExecutorService timer;
    private final WebServerAddresses allowedPeers;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /**
     * Connections accepted since the start, each counted once it is in {@link #open} (or was refused or dropped):
     * with {@link #size()}, a test knows that a connection it made was taken and, if not open, has ended.
     */
    private final AtomicLong accepted = new AtomicLong();
    /** Closed at a stop; a stop waits for the accepts under way as for the connections open. */
    private final AcceptGate acceptGate = new AcceptGate();
    /** Taken before a connection is accepted, so that --max-conns holds under a burst of accepts on several loops. */
    private final ConnectionSlots slots;
    /** The loops' listeners left alone while every slot is taken: resumed when a connection ends, or at the wait. */
    private final Set<PausedListener> pausedAtLimit = ConcurrentHashMap.newKeySet();
    private final RateLimitedWarning refusedAtLimit = new RateLimitedWarning(WARNING_INTERVAL, System::nanoTime);
    /** The connections past --max-conns whose requests are being answered 503 (at most {@link #MOST_REFUSING}). */
    private final Set<RefusedConnection> refusing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusingCount = new AtomicInteger();
    /** Told when a refused connection closes: made once. */
    private final Consumer<RefusedConnection> refusalClosed = this::refusalClosed;
    private final RateLimitedWarning refusedPeers = new RateLimitedWarning(WARNING_INTERVAL, System::nanoTime);
    private final RateLimitedWarning acceptFailures = new RateLimitedWarning(WARNING_INTERVAL, System::nanoTime);
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
        this.slots = new ConnectionSlots(settings.maxConnections(), SLOT_WAIT);
    }

    /** One loop's key of one listener, left alone while the slots are full. */
    private record PausedListener(EventLoop loop, ServerSocketChannel listener) {
    }

    /** From now on new connections go to {@code group}'s loops in turn. */
    void spreadOver(EventLoopGroup group) {
        loops = group;
    }

    int size() {
        return open.size();
    }

    /** Connections accepted since the start; see {@link #accepted}. */
    long accepted() {
        return accepted.get();
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

    /**
     * The watchdog: each connection's timeouts (a bug in one must not stop the others being checked), the
     * count of refusals a past warning held back, and the sockets of ended connections that a loop has not closed
     * yet (for want of a wake-up).
     */
    void checkTimeouts(long now) {
        EventLoopGroup group = loops;
        if (group != null) {
            group.wakeToClose();
        }
        for (RefusedConnection refused : refusing) {
            refused.checkTimeout(now);
        }
        for (Connection connection : open) {
            try {
                connection.checkTimeouts(now);
            } catch (RuntimeException e) {
                Log.LOG.error("watchdog failed on {}", connection.peer(), e);
            }
        }
        long atLimit = refusedAtLimit.due();
        if (atLimit != RateLimitedWarning.NO_LINE) {
            Log.LOG.warn("refused {} more connection(s) since the last warning (503, or closed at once past {} "
                    + "refusals at a time): already {} connections (max connections)", atLimit, MOST_REFUSING,
                    settings.maxConnections());
        }
        long peers = refusedPeers.due();
        if (peers != RateLimitedWarning.NO_LINE) {
            Log.LOG.warn("refused {} more connection(s) since the last warning: not in FCGI_WEB_SERVER_ADDRS {}",
                    peers, settings.webServerAddresses());
        }
    }

    /** The stop: the loops take no connection from now on (those under way finish, and are waited for). */
    void stopAccepting() {
        acceptGate.close();
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

    /**
     * Polls until no connection is left, nor an accept under way ({@link AcceptGate}), or the deadline passes,
     * doing {@code eachRound} first each time.
     */
    private boolean awaitNone(long deadlineNanos, LongConsumer eachRound) {
        while (!open.isEmpty() || !acceptGate.isShut()) {
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
            slots.release();
            if (!pausedAtLimit.isEmpty()) {
                pausedAtLimit.forEach(this::resume);
            }
        }
    }

    /**
     * On an I/O thread, whose loop found {@code listener} ready: takes up to {@value #ACCEPTS_PER_LOOK} waiting
     * connections and spreads them over the loops in turn. One that falls to this loop (with one loop, all of
     * them) is read at its next look (on a unix socket at once: {@link Connection#start}), with no other thread
     * woken on the way. The listener stays ready while more wait, so the loop comes back for them after one look
     * at its connections: accepting until the backlog is
     * empty would, under a storm, never read the connections already accepted, nor see them closed.
     *
     * @return false if accepting failed, or every slot is taken: the loop then leaves the listener alone (for half
     *         a second, as nginx does when it runs out of file descriptors; until a connection ends, at the limit),
     *         and the connections wait in the backlog meanwhile
     */
    @Override
    public boolean acceptAll(ServerSocketChannel listener, EventLoop loop) {
        try {
            // A new connection's request may run here (Connection.start): once a long one has handed the loop to
            // another thread, this one stops accepting, and the new runner takes the rest.
            for (int i = 0; i < ACCEPTS_PER_LOOK && loop.inLoop() && acceptGate.enter(); i++) {
                try {
                    ConnectionSlots.Verdict verdict = slots.take(System.nanoTime());
                    if (verdict == ConnectionSlots.Verdict.WAIT) {
                        if (pauseAtLimit(listener, loop)) {
                            return false;
                        }
                        continue; // a slot freed meanwhile
                    }
                    SocketChannel channel = acceptOne(listener, verdict);
                    if (channel == null) {
                        break;
                    }
                    if (verdict == ConnectionSlots.Verdict.REFUSE) {
                        refuseAtLimit(channel, loop);
                        accepted.incrementAndGet();
                        continue;
                    }
                    EventLoop target = loops.next();
                    Connection connection = openOrDrop(channel, target);
                    accepted.incrementAndGet();
                    if (connection == null) {
                        slots.release();
                        continue;
                    }
                    if (target == loop) {
                        connection.start();
                    } else {
                        target.execute(connection::start);
                    }
                } finally {
                    acceptGate.exit();
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
        if (acceptFailures.occurred() != RateLimitedWarning.NO_LINE) {
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

    /** The next connection in the backlog, or null; a slot taken for it is released if there is none. */
    private SocketChannel acceptOne(ServerSocketChannel listener, ConnectionSlots.Verdict verdict)
            throws IOException {
        SocketChannel channel = null;
        try {
            channel = listener.accept();
            return channel;
        } finally {
            if (channel == null && verdict == ConnectionSlots.Verdict.TAKEN) {
                slots.release();
            }
        }
    }

    /**
     * Every slot is taken: this loop leaves {@code listener} alone (its connections wait in the backlog) until a
     * connection ends, or the wait is over and they are refused.
     *
     * @return false if a slot freed meanwhile, and the loop goes on accepting
     */
    private boolean pauseAtLimit(ServerSocketChannel listener, EventLoop loop) {
        PausedListener paused = new PausedListener(loop, listener);
        pausedAtLimit.add(paused);
        if (slots.anyFree()) { // released between the take and the add: that release saw no paused listener
            pausedAtLimit.remove(paused);
            return false;
        }
        try {
            timer.schedule(() -> resume(paused), slots.waitLeft(System.nanoTime()) + 1, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // closing: nothing more to accept
        }
        return true;
    }

    private void resume(PausedListener paused) {
        if (pausedAtLimit.remove(paused)) {
            paused.loop().resumeAccepting(paused.listener());
        }
    }

    /** As {@link #open}; a connection that fails while being set up (reset at once) is closed, and the rest go on. */
    private Connection openOrDrop(SocketChannel channel, EventLoop loop) {
        try {
            return open(channel, loop);
        } catch (IOException e) {
            Log.LOG.debug("dropped a new connection while setting it up: {}", e.toString());
            closeQuietly(channel);
            return null;
        }
    }

    /** A connection to serve in the slot taken for it, or null if refused (not an allowed peer). */
    private Connection open(SocketChannel channel, EventLoop loop) throws IOException {
        SocketAddress remote = channel.getRemoteAddress();
        if (!isAllowed(remote)) {
            long heldBack = refusedPeers.occurred();
            if (heldBack != RateLimitedWarning.NO_LINE) {
                Log.LOG.warn("refused {}: not in FCGI_WEB_SERVER_ADDRS {}{}", Connection.describe(remote),
                        settings.webServerAddresses(),
                        alsoRefused(heldBack));
            }
            channel.close();
            return null;
        }
        channel.configureBlocking(false);
        if (remote instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        Connection connection = new Connection(server, channel, loop, remote);
        open.add(connection);
        return connection;
    }

    /**
     * Every slot has been taken for the whole wait, none freeing: the connection's requests are answered 503 with
     * Retry-After on this loop ({@link RefusedConnection}), or, with {@link #MOST_REFUSING} refusals in progress
     * already, it is closed at once.
     */
    private void refuseAtLimit(SocketChannel channel, EventLoop loop) {
        if (!isAllowed(remoteOf(channel))) {
            closeQuietly(channel); // not a web server of ours: no answer, as below the limit
            return;
        }
        boolean answering = refusingCount.incrementAndGet() <= MOST_REFUSING;
        long heldBack = refusedAtLimit.occurred();
        if (heldBack != RateLimitedWarning.NO_LINE) {
            Log.LOG.warn("refused {}: already {} connections (max connections); {}{}",
                    Connection.describe(remoteOf(channel)), settings.maxConnections(),
                    answering ? "its requests are answered 503" : "closed at once: " + MOST_REFUSING
                            + " refusals in progress", alsoRefused(heldBack));
        }
        if (!answering) {
            refusingCount.decrementAndGet();
            closeQuietly(channel);
            return;
        }
        RefusedConnection refused = new RefusedConnection(channel, loop, settings, server.readBuffers(),
                refusalClosed);
        refusing.add(refused);
        refused.register(); // this loop's thread: it reads the request at its next look
    }

    private void refusalClosed(RefusedConnection refused) {
        if (refusing.remove(refused)) {
            refusingCount.decrementAndGet();
        }
    }

    /** The stop: closes the connections being refused, which nothing else would (their selector only lets go). */
    void closeRefusals() {
        refusing.forEach(RefusedConnection::close);
    }

    private static String alsoRefused(long heldBack) {
        return heldBack == 0 ? "" : "; " + heldBack + " more refused since the last warning";
    }

    private static SocketAddress remoteOf(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // it is gone either way
        }
    }

    private boolean isAllowed(SocketAddress remote) {
        // §3.2 speaks of TCP peers; a unix socket's peer is local by construction.
        return !(remote instanceof InetSocketAddress inet) || allowedPeers.allows(inet.getAddress());
    }
}
