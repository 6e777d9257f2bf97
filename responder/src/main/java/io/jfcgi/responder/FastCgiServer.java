package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A FastCGI responder server: listens, accepts the web server's connections, and runs the {@link Handler} for
 * each request on a bounded pool of workers.
 *
 * <pre>{@code
 * FastCgiServer.builder().handler((req, res) -> res.write("Hello")).listen("127.0.0.1:9000").build().serve();
 * }</pre>
 *
 * Where it listens: the {@code listen} addresses if any; else the listening socket inherited on fd 0, as
 * spawn-fcgi, jspawn-fcgi, lighttpd and systemd ({@code StandardInput=socket}) hand it over.
 */
public final class FastCgiServer implements AutoCloseable {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(FastCgiServer.class);
    }

    /** How long a stop waits for the first request on a connection that was just opened. */
    private static final long FRESH_CONNECTION_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A handler on an I/O thread for longer than this gets the loop moved to a fresh thread. */
    private static final long HANDOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long the loops leave a listener alone after an accept failed. */
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(500);
    private static final long ACCEPT_WARNING_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Requests run on the I/O thread while handlers take less than this on average; else on the workers. */
    private static final long INLINE_HANDLER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final ServerSettings settings;
    private final Handler handler;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    /** One per handler running, on a pool thread or inline on a connection's thread: at most --workers. */
    private final Semaphore running;
    /** Requests running or waiting to run: at most --workers plus --queue. */
    private final AtomicInteger admitted = new AtomicInteger();
    /** Requests run to their end, for jspawn-fcgi's status channel. */
    private final AtomicLong completed = new AtomicLong();
    private final ScheduledExecutorService watchdog;
    private EventLoopGroup loops;
    /** Hand-offs already logged, by the watchdog only. */
    private int reportedHandoffs;
    /**
     * A moving average of how long handlers take (nanoseconds). Quick ones run on the I/O thread that read their
     * request; slow ones on the workers, so they hold up no other connection. Updated without a lock: a
     * heuristic that may lose an update, never a count.
     */
    private volatile long handlerNanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Log4j is configured: until then it logs at its default level (ERROR), and INFO lines would be lost. */
    private final CountDownLatch loggingStarted = new CountDownLatch(1);
    private final AtomicInteger connectionCount = new AtomicInteger();
    /** When a failed accept was last logged as a warning (System.nanoTime), or 0. */
    private final AtomicLong lastAcceptWarning = new AtomicLong();
    /** Enough for nginx's kept connections (keepalive 32 per worker is usual) to come and go without allocation. */
    private final ReadBufferPool readBuffers = new ReadBufferPool(Connection.READ_BUFFER, 64);
    private final WebServerAddresses allowedPeers;
    private ServerSocketChannel inherited;
    private volatile boolean stopping;
    private boolean started;
    private volatile Thread announce;

    private FastCgiServer(ServerSettings settings, Handler handler) {
        this.settings = settings;
        this.handler = handler;
        this.allowedPeers = WebServerAddresses.parse(settings.webServerAddresses());
        // Unbounded here because admit() bounds what enters it.
        this.workers = settings.virtualThreads() ? VirtualThreads.executor("fcgi-vworker-") : platformWorkers(settings);
        this.running = new Semaphore(settings.workers());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("fcgi-watchdog", true));
    }

    /**
     * --workers threads at most, made as requests need them, and gone after a minute without one: while quick
     * handlers run on the I/O threads, idle workers would only add stacks for every young GC to walk.
     */
    private static ExecutorService platformWorkers(ServerSettings settings) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("fcgi-worker-", false), new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The whole {@code main} of an app.jar: reads the standard flags and environment (see {@code --help}), serves
     * until SIGTERM or SIGINT, finishes in-flight requests, and exits 0. A bad flag prints what was wrong and
     * exits 2; a socket that cannot be had exits 1.
     */
    public static void run(String[] args, Handler handler) {
        Builder builder = builder().handler(handler);
        FastCgiServer server = null;
        try {
            List<String> rest = CommandLine.apply(args, System.getenv(), builder);
            if (rest.contains("--help") || rest.contains("-h")) {
                System.out.println(CommandLine.USAGE);
                System.exit(0);
            }
            if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + rest.get(0) + "\n" + CommandLine.USAGE);
            }
            server = builder.build(); // settings that do not go together are bad flags too
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        Signals.stopOnTerm(server);
        try {
            server.serve();
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage()); // one line, no stack trace: a setup problem
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    public ServerSettings settings() {
        return settings;
    }

    Handler handler() {
        return handler;
    }

    ReadBufferPool readBuffers() {
        return readBuffers;
    }

    /** Binds (or adopts the inherited socket) and starts accepting; returns at once. */
    public synchronized void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        // The JDK opens a file of its own the first time any socket is closed (FileDispatcherImpl's set-up). Close
        // one now: a process that later runs out of file descriptors must still be able to close connections.
        SocketChannel.open().close();
        // Non-daemon I/O threads: they keep the JVM up while the server runs, since start() returns at once.
        loops = new EventLoopGroup(settings.ioThreads(), HANDOFF_NANOS, named("fcgi-io-", false),
                named("fcgi-io-monitor", true));
        if (settings.listen().isEmpty()) {
            adoptInherited();
        } else {
            for (ListenAddress address : settings.listen()) {
                bind(address);
            }
        }
        for (ServerSocketChannel listener : listeners) {
            listener.configureBlocking(false);
            loops.listen(listener, this::acceptAll);
        }
        loops.start();
        watchdog.scheduleWithFixedDelay(this::checkTimeouts, 500, 500, TimeUnit.MILLISECONDS);
        // Logged from another thread: Log4j takes longer to start than the JVM and this server together.
        List<SocketAddress> bound = boundAddresses();
        announce = new Thread(() -> {
            Log.LOG.info("serving FastCGI on {} with {} workers, queue {}, max {} connections, {} requests per "
                    + "connection", bound, settings.workers(), settings.queueCapacity(), settings.maxConnections(),
                    settings.maxRequestsPerConnection());
            loggingStarted.countDown();
        }, "fcgi-announce");
        announce.setDaemon(true);
        announce.start();
        SupervisorChannel.startIfSupervised(System.getenv(), this, admitted::get, completed::get,
                this::oldestRequestAgeMillis);
    }

    /** Milliseconds since the oldest request in flight began (0 with none): what --request-timeout watches. */
    long oldestRequestAgeMillis() {
        long now = System.nanoTime();
        long age = 0;
        for (Connection connection : connections) {
            age = Math.max(age, connection.oldestRequestAgeNanos(now));
        }
        return TimeUnit.NANOSECONDS.toMillis(age);
    }

    /** Starts if need be, then blocks until the server has stopped. */
    public void serve() throws IOException, InterruptedException {
        start();
        stopped.await();
    }

    /** The addresses actually listened on (with the real port when 0 was asked for). */
    public List<SocketAddress> boundAddresses() throws IOException {
        List<SocketAddress> addresses = new ArrayList<>();
        for (ServerSocketChannel listener : listeners) {
            addresses.add(listener.getLocalAddress());
        }
        return addresses;
    }

    /**
     * Graceful stop: stop accepting, let in-flight requests finish within the grace period, close idle
     * connections, then cut what is left and log how many requests that was.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        awaitLogging();
        Log.LOG.info("stopping: {} connection(s) open, {} request(s) running", connections.size(),
                settings.workers() - running.availablePermits());
        stopAccepting();
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        // Requests already received are served, so the pool runs until each connection has ended its last one
        // (it closes itself then) and idle kept ones have been closed.
        boolean finished = awaitConnectionsClosed(deadline);
        workers.shutdown();
        try {
            finished = finished
                    && workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    && running.tryAcquire(settings.workers(), Math.max(0, deadline - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            int cut = workers.shutdownNow().size() + settings.workers() - running.availablePermits();
            Log.LOG.warn("stopped with {} request(s) cut after the grace period of {}", cut, settings.shutdownGrace());
        }
        connections.forEach(Connection::closeChannel);
        awaitConnectionsEnded();
        loops.close();
        watchdog.shutdownNow();
        deleteSocketFiles();
        Log.LOG.info("stopped");
        stopped.countDown();
    }

    /** Closes idle connections as they become idle, until none is left or the deadline; true if none is left. */
    private boolean awaitConnectionsClosed(long deadline) {
        long fresh = Math.min(FRESH_CONNECTION_NANOS, settings.paramsTimeout().toNanos());
        return awaitNoConnections(deadline,
                now -> connections.forEach(connection -> connection.closeIfIdle(now, fresh)));
    }

    /** The I/O threads end each closed connection (aborting what ran); give them a moment before they stop. */
    private void awaitConnectionsEnded() {
        awaitNoConnections(System.nanoTime() + TimeUnit.SECONDS.toNanos(1), now -> { });
    }

    /** Polls until no connection is left or the deadline passes, doing {@code eachRound} first each time. */
    private boolean awaitNoConnections(long deadline, LongConsumer eachRound) {
        while (!connections.isEmpty()) {
            long now = System.nanoTime();
            if (now >= deadline) {
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

    /** Waits (briefly) for Log4j to be configured, so that the lines about stopping are not lost. */
    void awaitLogging() {
        try {
            if (announce != null && !loggingStarted.await(5, TimeUnit.SECONDS)) {
                System.err.println("jfcgi: logging did not start within 5 s; stop messages may be lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * Admits a request, or refuses it when --workers are running and --queue are waiting already: the caller
     * then answers 503. An admitted request must be run, inline or on the pool, exactly once.
     */
    boolean admit(Exchange exchange) {
        if (admitted.incrementAndGet() > settings.maxRequests()) {
            admitted.decrementAndGet();
            Log.LOG.warn("overloaded: {} running and {} waiting; answered 503 to request {} {}", settings.workers(),
                    settings.queueCapacity(), exchange.id, exchange.request().requestUri());
            return false;
        }
        return true;
    }

    /** Runs an admitted request on the calling thread if a handler slot is free; false otherwise. */
    boolean runInline(Exchange exchange) {
        if (!running.tryAcquire()) {
            return false;
        }
        runHoldingSlot(exchange);
        return true;
    }

    /** Runs an admitted request on a pool thread as soon as a handler slot is free. */
    void dispatch(Exchange exchange) {
        try {
            workers.execute(() -> {
                running.acquireUninterruptibly();
                runHoldingSlot(exchange);
            });
        } catch (RejectedExecutionException e) { // only once stopping
            admitted.decrementAndGet();
            exchange.reject(503, "1");
        }
    }

    /** Handlers have lately been quick enough to run on an I/O thread. */
    boolean handlersAreQuick() {
        return handlerNanos < INLINE_HANDLER_NANOS;
    }

    /** Runs an admitted request whose handler slot is held, then gives back the slot and the admission. */
    private void runHoldingSlot(Exchange exchange) {
        long start = System.nanoTime();
        try {
            exchange.run();
        } finally {
            long average = handlerNanos;
            handlerNanos = average + (System.nanoTime() - start - average) / 8;
            running.release();
            completed.incrementAndGet();
            admitted.decrementAndGet();
        }
    }

    void connectionClosed(Connection connection) {
        if (connections.remove(connection)) {
            connectionCount.decrementAndGet();
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
    private boolean acceptAll(ServerSocketChannel listener, EventLoop loop) {
        try {
            SocketChannel channel;
            while (!stopping && (channel = listener.accept()) != null) {
                EventLoop target = loops.next();
                Connection connection = admitOrDrop(channel, target);
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
            if (!stopping && !(e instanceof ClosedChannelException)) {
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
            watchdog.schedule(() -> loop.resumeAccepting(listener), ACCEPT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // closing: nothing more to accept
        }
    }

    /** As {@link #admit}; a connection that fails while being set up (reset at once) is closed, and the rest go on. */
    private Connection admitOrDrop(SocketChannel channel, EventLoop loop) {
        try {
            return admit(channel, loop);
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
    private Connection admit(SocketChannel channel, EventLoop loop) throws IOException {
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
        if (connectionCount.incrementAndGet() > settings.maxConnections()) {
            connectionCount.decrementAndGet();
            Log.LOG.warn("refused {}: already {} connections (max connections)", peer, settings.maxConnections());
            channel.close();
            return null;
        }
        Connection connection = new Connection(this, channel, loop, peer);
        connections.add(connection);
        return connection;
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (Connection connection : connections) {
            try {
                connection.checkTimeouts(now);
            } catch (RuntimeException e) {
                Log.LOG.error("watchdog failed on {}", connection.peer(), e);
            }
        }
        // A handler that blocks is normal (a database call): one line the first time, then the count now and then.
        int handoffs = loops.handoffs();
        if (handoffs > reportedHandoffs && (reportedHandoffs == 0 || handoffs >= 2 * reportedHandoffs)) {
            Log.LOG.info("{} time(s) a handler ran longer than {} ms on an I/O thread, which was replaced so that other "
                    + "connections go on; requests run on the workers while handlers are slow", handoffs,
                    TimeUnit.NANOSECONDS.toMillis(HANDOFF_NANOS));
            reportedHandoffs = handoffs;
        }
    }

    private void adoptInherited() throws IOException {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel)) {
            String systemdFds = System.getenv("LISTEN_FDS");
            if (systemdFds != null && !systemdFds.isBlank()) {
                // The JDK adopts only fd 0; systemd's LISTEN_FDS sockets start at fd 3.
                throw new IOException("systemd passed " + systemdFds.trim() + " socket(s) from fd 3 (LISTEN_FDS), "
                        + "which Java cannot adopt: add StandardInput=socket to the service unit so that the socket "
                        + "is fd 0 (one ListenStream=, Accept=no), or pass --listen");
            }
            throw new IOException("no address to listen on and no listening socket on fd 0: pass --listen "
                    + "HOST:PORT or --listen unix:/path, or start under jspawn-fcgi or spawn-fcgi");
        }
        // Kept open for the whole life of the process: the JDK points fds 0-2 at /dev/null when it is closed.
        this.inherited = (ServerSocketChannel) inherited;
        listeners.add(this.inherited);
    }

    private void bind(ListenAddress address) throws IOException {
        SocketAddress socketAddress = address.socketAddress();
        ServerSocketChannel channel;
        if (socketAddress instanceof UnixDomainSocketAddress unix) {
            Path path = unix.getPath();
            if (Files.exists(path)) {
                refuseLiveSocket(address, unix);
                Files.delete(path); // stale: nothing listens on it
            }
            channel = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            channel.bind(unix, 1024);
            socketFiles.add(path);
        } else {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                channel.bind(socketAddress, 1024);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot listen on " + address + ": " + e.getMessage()
                        + " (is another server on that port?)", e);
            }
        }
        listeners.add(channel);
    }

    private static void refuseLiveSocket(ListenAddress address, UnixDomainSocketAddress unix) throws IOException {
        try (SocketChannel probe = SocketChannel.open(unix)) {
            throw new IOException("cannot listen on " + address + ": a server is already listening there");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("already listening")) {
                throw e;
            }
        }
    }

    /** No new connections: the loops stop accepting, and each listener but the inherited one is closed. */
    private void stopAccepting() {
        if (loops != null) {
            loops.stopListening();
        }
        for (ServerSocketChannel listener : listeners) {
            if (listener != inherited) {
                try {
                    listener.close();
                } catch (IOException e) {
                    Log.LOG.debug("closing {}: {}", listener, e.toString());
                }
            }
        }
    }

    private void deleteSocketFiles() {
        for (Path path : socketFiles) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                Log.LOG.warn("could not remove the socket file {}: {}", path, e.toString());
            }
        }
    }

    private boolean isAllowed(SocketChannel channel) throws IOException {
        if (allowedPeers.isEmpty()) {
            return true;
        }
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

    private static ThreadFactory named(String prefix, boolean daemon) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix.endsWith(" ") ? prefix.trim()
                    : prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
            thread.setDaemon(daemon);
            return thread;
        };
    }

    /** Configures a server; every setting has a default fit for nginx in production. */
    public static final class Builder {
        private Handler handler;
        private final List<ListenAddress> listen = new ArrayList<>();
        private int workers = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
        private int queueCapacity = 256;
        private int maxConnections = 1024;
        private int maxRequestsPerConnection = 64;
        private int bodyBufferBytes = 64 << 10;
        private ParamsLimits paramsLimits = ParamsLimits.DEFAULTS;
        private Duration paramsTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration lingerTimeout = Duration.ofSeconds(2);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private final List<String> webServerAddresses = new ArrayList<>();
        private boolean accessLog;
        private boolean virtualThreads;
        private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));

        private Builder() {
        }

        public Builder handler(Handler value) {
            handler = value;
            return this;
        }

        /** Adds an address: HOST:PORT, [IPv6]:PORT, :PORT or unix:/path. None means the socket on fd 0. */
        public Builder listen(String address) {
            listen.add(ListenAddress.parse(address));
            return this;
        }

        /** Worker threads (default: 4 per core, at least 16). */
        public Builder workers(int value) {
            workers = value;
            return this;
        }

        /** Requests that may wait for a worker before new ones get 503 (default 256). */
        public Builder queueCapacity(int value) {
            queueCapacity = value;
            return this;
        }

        /** Concurrent connections (default 1024). */
        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /** Concurrent requests per connection (default 64); 1 turns multiplexing off. */
        public Builder maxRequestsPerConnection(int value) {
            maxRequestsPerConnection = value;
            return this;
        }

        /** Request body bytes buffered per request ahead of the handler (default 64 KiB). */
        public Builder bodyBufferBytes(int value) {
            bodyBufferBytes = value;
            return this;
        }

        public Builder paramsLimits(ParamsLimits value) {
            paramsLimits = value;
            return this;
        }

        /** BEGIN_REQUEST to the end of PARAMS (default 30 s). */
        public Builder paramsTimeout(Duration value) {
            paramsTimeout = value;
            return this;
        }

        /** A stalled request body (default 60 s). */
        public Builder readTimeout(Duration value) {
            readTimeout = value;
            return this;
        }

        /** A web server that does not read its response (default 60 s). */
        public Builder writeTimeout(Duration value) {
            writeTimeout = value;
            return this;
        }

        /** A connection with nothing in flight (default 10 min; nginx's keepalive_timeout is 60 s). */
        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder lingerTimeout(Duration value) {
            lingerTimeout = value;
            return this;
        }

        /** How long in-flight requests may finish on close or SIGTERM (default 30 s). */
        public Builder shutdownGrace(Duration value) {
            shutdownGrace = value;
            return this;
        }

        /** FCGI_WEB_SERVER_ADDRS: the only TCP peers accepted (IPv4 or IPv6). */
        public Builder webServerAddress(String address) {
            webServerAddresses.add(address);
            return this;
        }

        public Builder accessLog(boolean value) {
            accessLog = value;
            return this;
        }

        /**
         * Runs handlers on virtual threads, one per request, at most {@link #workers} at once (default off; needs
         * JDK 21+). For handlers that block on I/O to other services, where many more may wait than cores run.
         */
        public Builder virtualThreads(boolean value) {
            virtualThreads = value;
            return this;
        }

        /**
         * Event loops that read the connections (default: one per two cores, 1 to 4). Each runs the quick requests
         * that arrive whole itself, so that under load one wake-up serves several connections.
         */
        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public FastCgiServer build() {
            if (handler == null) {
                throw new IllegalStateException("a handler is required: builder().handler((request, response) -> ...)");
            }
            return new FastCgiServer(new ServerSettings(listen, workers, queueCapacity, maxConnections,
                    maxRequestsPerConnection, bodyBufferBytes, paramsLimits, paramsTimeout, readTimeout, writeTimeout,
                    idleTimeout, lingerTimeout, shutdownGrace, webServerAddresses, accessLog, virtualThreads, ioThreads),
                    handler);
        }
    }
}
