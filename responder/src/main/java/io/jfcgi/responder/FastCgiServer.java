package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;
import io.jfcgi.codec.supervision.StatusMessage;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
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
    private final RequestWatch watch;
    /** The bytes of PARAMS and bodies all requests may hold together (--max-buffered-bytes). */
    private final MemoryBudget budget;
    /** What peers do wrong, said at most once per kind per interval. */
    private final PeerWarnings peerWarnings = new PeerWarnings(System::nanoTime);
    /** When a full collection gives back the heap a burst grew; the watchdog's. */
    private final HeapReturn heapReturn = new HeapReturn();
    private final ScheduledExecutorService watchdog;
    private EventLoopGroup loops;
    /** Hand-offs already logged, by the watchdog only. */
    private int reportedHandoffs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Log4j is configured: until then it logs at its default level (ERROR), and INFO lines would be lost. */
    private final CountDownLatch loggingStarted = new CountDownLatch(1);
    /** Lent per read, so 64 is far more than read at once: 4 MiB of direct memory at most, however many connect. */
    private final ReadBufferPool readBuffers = new ReadBufferPool(Connection.READ_BUFFER, 64);
    /**
     * How long a worker that has answered a kept connection waits on it for the next request, as libfcgi's thread
     * does: nginx sends it within its client's round trip when busy; when not, the worker goes back to the pool.
     */
    static final Duration DEFAULT_WAIT_FOR_NEXT_REQUEST = Duration.ofMillis(50);
    private final long waitForNextRequestMillis;
    private volatile boolean stopping;
    private boolean started;
    private volatile Thread announce;

    private FastCgiServer(ServerSettings settings, Handler handler, long waitForNextRequestMillis) {
        this.settings = settings;
        this.handler = handler;
        this.waitForNextRequestMillis = waitForNextRequestMillis;
        this.watch = new RequestWatch(settings.oversight());
        this.scheduler = new Scheduler(settings, named("fcgi-worker-", false), watch);
        this.budget = new MemoryBudget(settings.maxBufferedBytes());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("fcgi-watchdog", true));
        this.connections = new Connections(this, watchdog);
    }

    /**
     * Starts configuring a server.
     *
     * @return a new builder, every setting at its default; {@link Builder#handler} is the one required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The whole {@code main} of an app.jar: reads the standard flags and environment (see {@code --help}), serves
     * until SIGTERM or SIGINT, finishes in-flight requests, and exits 0. A bad flag prints what was wrong and
     * exits 2; a socket that cannot be had exits 1. It never returns: it ends the JVM.
     *
     * @param args    the command line given to {@code main}: the server's flags ({@code --listen},
     *                {@code --workers}...), which override the environment's {@code JFCGI_*} settings
     * @param handler the application, run for every request
     */
    public static void run(String[] args, Handler handler) {
        AppMain.run(args, handler);
    }

    /**
     * What this server was built with.
     *
     * @return the settings, immutable
     */
    public ServerSettings settings() {
        return settings;
    }

    Handler handler() {
        return handler;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    RequestWatch watch() {
        return watch;
    }

    MemoryBudget budget() {
        return budget;
    }

    PeerWarnings peerWarnings() {
        return peerWarnings;
    }

    /**
     * For jspawn-fcgi's status channel: what the watch counts, the requests the memory budget refused, and those
     * refused for an overload.
     */
    StatusMessage.Counts counts() {
        StatusMessage.Counts watched = watch.counts();
        return new StatusMessage.Counts(watched.slow(), watched.shed(), watched.logFailures(),
                budget.refusedRequests(), scheduler.overloadRefusals());
    }

    ReadBufferPool readBuffers() {
        return readBuffers;
    }

    /**
     * Binds (or adopts the inherited socket) and starts accepting; returns at once. Calls after the first do
     * nothing. The I/O threads it starts are not daemons: they keep the JVM up until {@link #close()}.
     *
     * @throws IOException if an address cannot be bound (in use, no permission, a unix socket file a live server
     *                     holds), or no address was given and fd 0 is not a listening socket
     * @throws IllegalStateException if this server was closed: a server serves once
     */
    public synchronized void start() throws IOException {
        if (started) {
            return;
        }
        if (stopping) {
            throw new IllegalStateException("this server was closed; build a new one to serve again");
        }
        started = true;
        // The JDK opens a file of its own the first time any socket is closed (FileDispatcherImpl's set-up). Close
        // one now: a process that later runs out of file descriptors must still be able to close connections.
        SocketChannel.open().close();
        // Non-daemon I/O threads: they keep the JVM up while the server runs, since start() returns at once.
        loops = new EventLoopGroup(settings.ioThreads(), HANDOFF_NANOS, named("fcgi-io-", false),
                named("fcgi-io-monitor", true));
        watch.open(); // before binding: a slowlog or access log that cannot be written is a mistake to say at once
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
                connections::oldestRequestAgeMillis, this::counts, scheduler::latestParams);
    }

    /**
     * Starts if need be, then blocks until the server has stopped: until {@link #close()} returns, called from
     * another thread or by SIGTERM/SIGINT under {@link #run}.
     *
     * @throws IOException          if the server cannot start, as {@link #start()} says
     * @throws InterruptedException if the calling thread is interrupted while it waits; the server goes on
     */
    public void serve() throws IOException, InterruptedException {
        start();
        stopped.await();
    }

    /**
     * The addresses actually listened on, with the real port when 0 was asked for.
     *
     * @return the listening sockets' local addresses, in the order of the {@code listen} addresses (or the one
     *         inherited); empty before {@link #start()}
     * @throws IOException if a listener is closed, as it is after {@link #close()}
     */
    public List<SocketAddress> boundAddresses() throws IOException {
        return listeners.boundAddresses();
    }

    /** Connections accepted and not yet ended; for tests that need one accepted before they act. */
    int openConnections() {
        return connections.size();
    }

    /** Runs {@code task} on an I/O loop's thread between two selects: for tests that must hold a loop still. */
    void runOnLoop(Runnable task) {
        loops.next().execute(task);
    }

    /**
     * Connections accepted since the start, each counted once it is open (or was refused): for tests that must
     * know a connection they closed was taken at all, since one still in the listen backlog is not yet open.
     */
    long acceptedConnections() {
        return connections.accepted();
    }

    /**
     * Graceful stop: stop accepting, let in-flight requests finish within the grace period, close idle
     * connections, then cut what is left and log how many requests that was. Blocks for about the
     * {@linkplain Builder#shutdownGrace grace period} at most, plus a second for connections to close. Calls after
     * the first return at once;
     * unix socket files this server bound are deleted, an inherited socket is left open.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            if (!started) { // nothing bound, no thread started: only the idle executors to let go
                watchdog.shutdownNow();
                scheduler.cut();
                stopped.countDown();
                return;
            }
        }
        awaitLogging();
        Log.LOG.info("stopping: {} connection(s) open, {} request(s) running", connections.size(),
                scheduler.running());
        stopAccepting();
        scheduler.askWaitersBack(); // their connections are closed as they idle, by the loops
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
        connections.closeRefusals();
        connections.awaitEnded(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        loops.close();
        watchdog.shutdownNow();
        watch.close();
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

    /** How long a worker waits on a kept connection for its next request; 0: never. */
    long waitForNextRequestMillis() {
        return waitForNextRequestMillis;
    }

    /** A connection has ended (on its drive holder): it no longer counts against --max-conns. */
    void connectionEnded(Connection connection) {
        connections.ended(connection);
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        connections.checkTimeouts(now);
        scheduler.sayHeldBackOverloads();
        budget.sayHeldBackRefusals();
        peerWarnings.sayHeldBack();
        watch.check(connections, now);
        if (heapReturn.due(now, budget.used())) {
            System.gc(); // the serial collector shrinks the heap only here; jspawn-fcgi's children use it
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

    /** No new connections: the loops stop accepting, and each listener but the inherited one is closed. */
    private void stopAccepting() {
        connections.stopAccepting();
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
        /** Unset (negative): {@link ServerSettings#defaultQueueCapacity(int, int)} of the other settings. */
        private int queueCapacity = -1;
        private boolean queueCapacitySet;
        private int maxConnections = ServerSettings.DEFAULT_MAX_CONNECTIONS;
        private int maxRequestsPerConnection = ServerSettings.DEFAULT_MAX_REQUESTS_PER_CONNECTION;
        private int muxQueueCapacity = ServerSettings.DEFAULT_MUX_QUEUE_CAPACITY;
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
        private Oversight oversight = Oversight.NONE;
        private long maxBufferedBytes = ServerSettings.defaultMaxBufferedBytes();
        private int maxWriteWaiters = ServerSettings.DEFAULT_MAX_WRITE_WAITERS;
        private Duration waitForNextRequest = DEFAULT_WAIT_FOR_NEXT_REQUEST;

        private Builder() {
        }

        /**
         * The application, run for every request; required.
         *
         * @param value the handler; {@code null} leaves it unset, and {@link #build()} then fails
         * @return this builder
         */
        public Builder handler(Handler value) {
            handler = value;
            return this;
        }

        /**
         * Adds an address to listen on; call once per address. None means the listening socket inherited on fd 0.
         *
         * @param address {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (every interface) or
         *                {@code unix:/path}; port 0 picks a free one ({@link FastCgiServer#boundAddresses()})
         * @return this builder
         * @throws IllegalArgumentException if {@code address} is not one of those forms or its host does not
         *                                  resolve; the message says which
         */
        public Builder listen(String address) {
            listen.add(ListenAddress.parse(address));
            return this;
        }

        /**
         * The worker threads that run handlers (default: {@link ServerSettings#defaultWorkers()}); with
         * {@link #virtualThreads}, the most handlers that run at once.
         *
         * @param value at least 1, checked by {@link #build()}
         * @return this builder
         */
        public Builder workers(int value) {
            workers = value;
            return this;
        }

        /**
         * Requests that may wait for a worker before new ones get 503 (default: {@code maxConnections - workers},
         * at least {@value ServerSettings#DEFAULT_QUEUE_CAPACITY}; see
         * {@link ServerSettings#defaultQueueCapacity(int, int)}).
         *
         * @param value not negative, checked by {@link #build()}; 0 answers 503 whenever every worker is busy
         * @return this builder
         */
        public Builder queueCapacity(int value) {
            queueCapacity = value;
            queueCapacitySet = true;
            return this;
        }

        /**
         * The most concurrent connections (default {@value ServerSettings#DEFAULT_MAX_CONNECTIONS}); one more is
         * closed as soon as it is accepted.
         *
         * @param value at least 1, checked by {@link #build()}
         * @return this builder
         */
        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /**
         * Concurrent requests per connection (default {@value ServerSettings#DEFAULT_MAX_REQUESTS_PER_CONNECTION}),
         * which FCGI_MAX_REQS says; 1 turns multiplexing off.
         *
         * @param value at least 1, checked by {@link #build()}
         * @return this builder
         */
        public Builder maxRequestsPerConnection(int value) {
            maxRequestsPerConnection = value;
            return this;
        }

        /**
         * Requests of multiplexing connections (HAProxy) that may wait on their connection once the workers and the
         * queue are full (default {@value ServerSettings#DEFAULT_MUX_QUEUE_CAPACITY}); beyond that they get 503, as
         * requests of other web servers do at once.
         *
         * @param value 0 or more, checked by {@link #build()}
         * @return this builder
         */
        public Builder muxQueueCapacity(int value) {
            muxQueueCapacity = value;
            return this;
        }

        /**
         * Request body bytes buffered per request ahead of the handler (default
         * {@value ServerSettings#DEFAULT_BODY_BUFFER_BYTES}). When it is full the connection stops reading until
         * the handler reads.
         *
         * @param value bytes, at least 1, checked by {@link #build()}
         * @return this builder
         */
        public Builder bodyBufferBytes(int value) {
            bodyBufferBytes = value;
            return this;
        }

        /**
         * Bounds on each request's PARAMS, beyond which it gets 431 (default
         * {@link ServerSettings#DEFAULT_PARAMS_LIMITS}).
         *
         * @param value the limits; not {@code null}
         * @return this builder
         */
        public Builder paramsLimits(ParamsLimits value) {
            paramsLimits = value;
            return this;
        }

        /**
         * The longest from BEGIN_REQUEST to the end of PARAMS (default
         * {@link ServerSettings#DEFAULT_PARAMS_TIMEOUT}); a request that takes longer is answered 408.
         *
         * @param value the timeout; not {@code null}. Timeouts are checked twice a second, and zero expires at the
         *              first check, not never
         * @return this builder
         */
        public Builder paramsTimeout(Duration value) {
            paramsTimeout = value;
            return this;
        }

        /**
         * The longest wait for the next request body bytes while the handler waits for them, and for room in a
         * full body buffer (default {@link ServerSettings#DEFAULT_READ_TIMEOUT}); then the request is aborted.
         *
         * @param value the timeout; not {@code null}; zero expires at the first check (twice a second)
         * @return this builder
         */
        public Builder readTimeout(Duration value) {
            readTimeout = value;
            return this;
        }

        /**
         * The longest a response write may wait for a web server that does not read it (default
         * {@link ServerSettings#DEFAULT_WRITE_TIMEOUT}); then the connection is closed.
         *
         * @param value the timeout; not {@code null}; zero expires at the first check (twice a second)
         * @return this builder
         */
        public Builder writeTimeout(Duration value) {
            writeTimeout = value;
            return this;
        }

        /**
         * How long a connection with no request in flight stays open (default
         * {@link ServerSettings#DEFAULT_IDLE_TIMEOUT}).
         *
         * @param value the timeout; not {@code null}; zero closes idle connections at the first check (twice a
         *              second)
         * @return this builder
         */
        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        /**
         * After a close, how long unread input is drained, so that no TCP reset eats the response (default
         * {@link ServerSettings#DEFAULT_LINGER_TIMEOUT}).
         *
         * @param value the timeout; not {@code null}; zero drains until the first check (twice a second)
         * @return this builder
         */
        public Builder lingerTimeout(Duration value) {
            lingerTimeout = value;
            return this;
        }

        /**
         * How long in-flight requests may finish on close or SIGTERM (default
         * {@link ServerSettings#DEFAULT_SHUTDOWN_GRACE}); requests still running then are cut.
         *
         * @param value the grace period; not {@code null}; zero cuts whatever runs at once
         * @return this builder
         */
        public Builder shutdownGrace(Duration value) {
            shutdownGrace = value;
            return this;
        }

        /**
         * Adds a TCP peer to accept, as FCGI_WEB_SERVER_ADDRS lists them; call once per entry. With none, every
         * peer is accepted; unix socket peers always are.
         *
         * @param address an IPv4 or IPv6 literal ({@code 10.0.0.5}, {@code ::1}) or a CIDR range
         *                ({@code 10.0.0.0/24}); never a host name. Checked by {@link #build()}
         * @return this builder
         */
        public Builder webServerAddress(String address) {
            webServerAddresses.add(address);
            return this;
        }

        /**
         * Logs one line per request at INFO (default off): peer, method, URI, status, body bytes and milliseconds.
         *
         * @param value {@code true} to log
         * @return this builder
         */
        public Builder accessLog(boolean value) {
            accessLog = value;
            return this;
        }

        /**
         * Runs handlers on virtual threads, one per request, at most {@link #workers} at once (default off; needs
         * JDK 21+). For handlers that block on I/O to other services, where many more may wait than cores run.
         *
         * @param value {@code true} for virtual threads; {@link #build()} fails with it on a JDK before 21
         * @return this builder
         */
        public Builder virtualThreads(boolean value) {
            virtualThreads = value;
            return this;
        }

        /**
         * How many handlers may wait for a web server to read their response without holding a worker (default
         * {@link ServerSettings#DEFAULT_MAX_WRITE_WAITERS}): while it waits, such a handler runs nothing, so it
         * gives its worker back and takes one again before it goes on. Past this many, a blocked writer keeps its
         * worker; the write timeout ends a connection that never reads either way.
         *
         * @param value 0 or more (0: a blocked writer always keeps its worker), checked by {@link #build()}
         * @return this builder
         */
        public Builder maxWriteWaiters(int value) {
            maxWriteWaiters = value;
            return this;
        }

        /**
         * How long a worker that has answered a kept connection waits on it for the next request (default 50 ms;
         * zero: never). Not a user's setting: tests make it long, so that only an ask-back or a close ends it.
         */
        Builder waitForNextRequest(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("waitForNextRequest must not be negative: " + value);
            }
            waitForNextRequest = value;
            return this;
        }

        /**
         * Event loops that read the connections (default: {@link ServerSettings#defaultIoThreads()}). Each runs the
         * quick requests that arrive whole itself, so that under load one wake-up serves several connections.
         *
         * @param value at least 1, checked by {@link #build()}
         * @return this builder
         */
        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        /**
         * The bytes of PARAMS and request bodies that all requests together may hold in memory (default:
         * {@link ServerSettings#defaultMaxBufferedBytes()}, a quarter of the heap). Past it a request still receiving
         * its PARAMS is answered 503 with Retry-After, and a body that would need more waits in the socket (the
         * connection is not read) until its handler reads.
         *
         * @param value bytes, at least 1, checked by {@link #build()}
         * @return this builder
         */
        public Builder maxBufferedBytes(long value) {
            maxBufferedBytes = value;
            return this;
        }

        /**
         * Writes an entry with the running thread's stack for each request still running after the slowlog timeout
         * (php-fpm's slowlog, taken inside the JVM).
         *
         * @param file the slowlog, appended to; several processes may share it (one write per entry)
         * @return this builder
         */
        public Builder slowlog(Path file) {
            oversight = oversight.withSlowlog(file);
            return this;
        }

        /**
         * How long a request runs before its slowlog entry (default {@link Oversight#DEFAULT_SLOWLOG_TIMEOUT}).
         *
         * @param value more than zero
         * @return this builder
         */
        public Builder slowlogTimeout(Duration value) {
            oversight = oversight.withSlowlogTimeout(value);
            return this;
        }

        /**
         * Answers 503 with Retry-After to a request that waited longer than this between the web server's
         * {@code REQUEST_START} stamp and its handler's start (default zero: no limit).
         *
         * @param value the longest wait; zero: no limit
         * @return this builder
         */
        public Builder maxQueueWait(Duration value) {
            oversight = oversight.withMaxQueueWait(value);
            return this;
        }

        /**
         * Appends one JSON object per request (time, method, URI, status, bytes, duration, queue wait, pid).
         *
         * @param file the access log; reopened when logrotate moves it
         * @return this builder
         */
        public Builder accessLogFile(Path file) {
            oversight = oversight.withAccessLog(file);
            return this;
        }

        /**
         * Makes the server, not yet started.
         *
         * @return the server; {@link FastCgiServer#start()} or {@link FastCgiServer#serve()} runs it
         * @throws IllegalStateException    if no handler was set
         * @throws IllegalArgumentException if a setting is out of range, a web server address is not an IP
         *                                  literal or CIDR range, or virtual threads are asked for before JDK 21
         */
        public FastCgiServer build() {
            if (handler == null) {
                throw new IllegalStateException("a handler is required: builder().handler((request, response) -> ...)");
            }
            int queue = queueCapacitySet ? queueCapacity
                    : ServerSettings.defaultQueueCapacity(maxConnections, workers);
            return new FastCgiServer(new ServerSettings(listen, workers, queue, maxConnections,
                    maxRequestsPerConnection, bodyBufferBytes, paramsLimits, paramsTimeout, readTimeout, writeTimeout,
                    idleTimeout, lingerTimeout, shutdownGrace, webServerAddresses, accessLog, virtualThreads, ioThreads,
                    oversight, muxQueueCapacity, maxBufferedBytes, maxWriteWaiters),
                    handler, waitForNextRequest.toMillis());
        }
    }
}
