package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FastCGI responder server: listens, accepts the web server's connections, and runs the {@link Handler} for
 * each request on a bounded pool of workers.
 *
 * <pre>{@code
 * FastCgiServer.builder().handler((req, res) -> res.write("Hello")).listen("127.0.0.1:9000").build().serve();
 * }</pre>
 *
 * Where it listens: the {@code listen} addresses if any; else the listening socket inherited on fd 0, as
 * spawn-fcgi, jspawn-fcgi, lighttpd and systemd ({@code StandardInput=socket}) hand it over ({@link Listeners}).
 * Its settings and their defaults: {@link ServerSettings}; an app.jar's whole {@code main}: {@link #run}.
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

    private final ServerSettings settings;
    private final Handler handler;
    private final Listeners listeners = new Listeners();
    private final Connections connections;
    private final Scheduler scheduler;
    private final ScheduledExecutorService watchdog;
    private EventLoopGroup loops;
    /** Hand-offs already logged, by the watchdog only. */
    private int reportedHandoffs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Log4j is configured: until then it logs at its default level (ERROR), and INFO lines would be lost. */
    private final CountDownLatch loggingStarted = new CountDownLatch(1);
    /** Enough for nginx's kept connections (keepalive 32 per worker is usual) to come and go without allocation. */
    private final ReadBufferPool readBuffers = new ReadBufferPool(Connection.READ_BUFFER, 64);
    private volatile boolean stopping;
    private boolean started;
    private volatile Thread announce;

    private FastCgiServer(ServerSettings settings, Handler handler) {
        this.settings = settings;
        this.handler = handler;
        this.scheduler = new Scheduler(settings, named("fcgi-worker-", false));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("fcgi-watchdog", true));
        this.connections = new Connections(this, watchdog);
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
        AppMain.run(args, handler);
    }

    public ServerSettings settings() {
        return settings;
    }

    Handler handler() {
        return handler;
    }

    Scheduler scheduler() {
        return scheduler;
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
        listeners.open(settings.listen());
        for (ServerSocketChannel listener : listeners.channels()) {
            listener.configureBlocking(false);
            loops.listen(listener, connections);
        }
        connections.spreadOver(loops);
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
        SupervisorChannel.startIfSupervised(System.getenv(), this, scheduler::admitted, scheduler::completed,
                connections::oldestRequestAgeMillis, scheduler::latestParams);
    }

    /** Starts if need be, then blocks until the server has stopped. */
    public void serve() throws IOException, InterruptedException {
        start();
        stopped.await();
    }

    /** The addresses actually listened on (with the real port when 0 was asked for). */
    public List<SocketAddress> boundAddresses() throws IOException {
        return listeners.boundAddresses();
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
                scheduler.running());
        stopAccepting();
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        // Requests already received are served, so the pool runs until each connection has ended its last one
        // (it closes itself then) and idle kept ones have been closed.
        boolean finished = connections.closeAsTheyIdle(deadline, Math.min(FRESH_CONNECTION_NANOS,
                settings.paramsTimeout().toNanos()));
        try {
            // Only when the connections are done: stopAndAwait takes every handler slot when none runs, and a cut
            // then would count the slots it holds as requests cut.
            finished = finished && scheduler.stopAndAwait(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            int cut = scheduler.cut();
            Log.LOG.warn("stopped with {} request(s) cut after the grace period of {}", cut, settings.shutdownGrace());
        }
        connections.forEach(Connection::close);
        connections.awaitEnded(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        loops.close();
        watchdog.shutdownNow();
        deleteSocketFiles();
        Log.LOG.info("stopped");
        stopped.countDown();
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

    /** A connection has ended (on its drive holder): it no longer counts against --max-conns. */
    void connectionEnded(Connection connection) {
        connections.ended(connection);
    }

    private void checkTimeouts() {
        connections.checkTimeouts(System.nanoTime());
        // A handler that blocks is normal (a database call): one line the first time, then the count now and then.
        int handoffs = loops.handoffs();
        if (handoffs > reportedHandoffs && (reportedHandoffs == 0 || handoffs >= 2 * reportedHandoffs)) {
            Log.LOG.info("{} time(s) a handler ran longer than {} ms on an I/O thread, which was replaced so that other "
                    + "connections go on; requests run on the workers while handlers are slow", handoffs,
                    TimeUnit.NANOSECONDS.toMillis(HANDOFF_NANOS));
            reportedHandoffs = handoffs;
        }
    }

    /** No new connections: the loops stop accepting, and each listener but the inherited one is closed. */
    private void stopAccepting() {
        if (loops != null) {
            loops.stopListening();
        }
        listeners.close();
    }

    private void deleteSocketFiles() {
        listeners.deleteSocketFiles();
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

    /** Configures a server; every setting starts from its default in {@link ServerSettings}. */
    public static final class Builder {
        private Handler handler;
        private final List<ListenAddress> listen = new ArrayList<>();
        private int workers = ServerSettings.defaultWorkers();
        private int queueCapacity = ServerSettings.DEFAULT_QUEUE_CAPACITY;
        private int maxConnections = ServerSettings.DEFAULT_MAX_CONNECTIONS;
        private int maxRequestsPerConnection = ServerSettings.DEFAULT_MAX_REQUESTS_PER_CONNECTION;
        private int bodyBufferBytes = ServerSettings.DEFAULT_BODY_BUFFER_BYTES;
        private ParamsLimits paramsLimits = ServerSettings.DEFAULT_PARAMS_LIMITS;
        private Duration paramsTimeout = ServerSettings.DEFAULT_PARAMS_TIMEOUT;
        private Duration readTimeout = ServerSettings.DEFAULT_READ_TIMEOUT;
        private Duration writeTimeout = ServerSettings.DEFAULT_WRITE_TIMEOUT;
        private Duration idleTimeout = ServerSettings.DEFAULT_IDLE_TIMEOUT;
        private Duration lingerTimeout = ServerSettings.DEFAULT_LINGER_TIMEOUT;
        private Duration shutdownGrace = ServerSettings.DEFAULT_SHUTDOWN_GRACE;
        private final List<String> webServerAddresses = new ArrayList<>();
        private boolean accessLog;
        private boolean virtualThreads;
        private int ioThreads = ServerSettings.defaultIoThreads();

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

        /** Worker threads (default: {@link ServerSettings#defaultWorkers()}). */
        public Builder workers(int value) {
            workers = value;
            return this;
        }

        /**
         * Requests that may wait for a worker before new ones get 503 (default
         * {@value ServerSettings#DEFAULT_QUEUE_CAPACITY}).
         */
        public Builder queueCapacity(int value) {
            queueCapacity = value;
            return this;
        }

        /** Concurrent connections (default {@value ServerSettings#DEFAULT_MAX_CONNECTIONS}). */
        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /**
         * Concurrent requests per connection (default {@value ServerSettings#DEFAULT_MAX_REQUESTS_PER_CONNECTION}); 1
         * turns multiplexing off.
         */
        public Builder maxRequestsPerConnection(int value) {
            maxRequestsPerConnection = value;
            return this;
        }

        /**
         * Request body bytes buffered per request ahead of the handler (default
         * {@value ServerSettings#DEFAULT_BODY_BUFFER_BYTES}).
         */
        public Builder bodyBufferBytes(int value) {
            bodyBufferBytes = value;
            return this;
        }

        /**
         * Bounds on each request's PARAMS, beyond which it gets 431 (default
         * {@link ServerSettings#DEFAULT_PARAMS_LIMITS}).
         */
        public Builder paramsLimits(ParamsLimits value) {
            paramsLimits = value;
            return this;
        }

        /** BEGIN_REQUEST to the end of PARAMS (default {@link ServerSettings#DEFAULT_PARAMS_TIMEOUT}). */
        public Builder paramsTimeout(Duration value) {
            paramsTimeout = value;
            return this;
        }

        /** A stalled request body (default {@link ServerSettings#DEFAULT_READ_TIMEOUT}). */
        public Builder readTimeout(Duration value) {
            readTimeout = value;
            return this;
        }

        /** A web server that does not read its response (default {@link ServerSettings#DEFAULT_WRITE_TIMEOUT}). */
        public Builder writeTimeout(Duration value) {
            writeTimeout = value;
            return this;
        }

        /** A connection with nothing in flight (default {@link ServerSettings#DEFAULT_IDLE_TIMEOUT}). */
        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        /** After a close, how long unread input is drained (default {@link ServerSettings#DEFAULT_LINGER_TIMEOUT}). */
        public Builder lingerTimeout(Duration value) {
            lingerTimeout = value;
            return this;
        }

        /**
         * How long in-flight requests may finish on close or SIGTERM (default
         * {@link ServerSettings#DEFAULT_SHUTDOWN_GRACE}).
         */
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
         * Event loops that read the connections (default: {@link ServerSettings#defaultIoThreads()}). Each runs the
         * quick requests that arrive whole itself, so that under load one wake-up serves several connections.
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
