package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;

import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link FastCgiServer} is configured with; immutable. Built by {@link FastCgiServer.Builder}, which
 * starts from the defaults here (the {@code DEFAULT_} constants and {@link #defaultWorkers()},
 * {@link #defaultIoThreads()}); {@code --help} shows them. Each is fit for nginx in production.
 *
 * @param listen                   addresses to bind; empty means the inherited socket on fd 0
 * @param workers                  worker threads that run handlers
 * @param queueCapacity            requests that may wait for a worker; beyond that, 503
 * @param maxConnections           concurrent connections; beyond that, new ones are closed at once
 * @param maxRequestsPerConnection concurrent requests on one connection, and what FCGI_MAX_REQS says; 1 turns
 *                                 multiplexing off
 * @param bodyBufferBytes          request body buffered per request before the connection stops reading
 * @param paramsLimits             bounds on each request's PARAMS
 * @param paramsTimeout            from BEGIN_REQUEST to the end of PARAMS
 * @param readTimeout              longest wait for the next body bytes while a handler waits for them, and
 *                                 for room in a full body buffer
 * @param writeTimeout             longest a response write may block on a web server that does not read
 * @param idleTimeout              a connection with no request in flight is closed after this long
 * @param lingerTimeout            after a close, how long unread input is drained so no RST eats the response
 * @param shutdownGrace            on close or SIGTERM, how long in-flight requests may take to finish
 * @param webServerAddresses       FCGI_WEB_SERVER_ADDRS: peers allowed on TCP; empty allows all
 * @param accessLog                log one line per request
 * @param virtualThreads           run handlers on virtual threads (JDK 21+) instead of a pool of workers
 * @param ioThreads                event loops that read the connections (and run quick requests that arrived
 *                                 whole)
 * @param oversight                the slowlog, queue-wait shedding and the JSON access log; null for none
 * @param muxQueueCapacity         requests of multiplexing connections that may wait on their connection once
 *                                 workers and queue are full; beyond that, 503
 * @param maxBufferedBytes         PARAMS and body bytes all requests together may hold; past it, 503 to a request
 *                                 in PARAMS, and a body waits in the socket
 * @param maxWriteWaiters          handlers that may wait for a peer to read their response without holding a
 *                                 worker; past that, a blocked writer keeps its worker
 */
public record ServerSettings(
        List<ListenAddress> listen,
        int workers,
        int queueCapacity,
        int maxConnections,
        int maxRequestsPerConnection,
        int bodyBufferBytes,
        ParamsLimits paramsLimits,
        Duration paramsTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        Duration idleTimeout,
        Duration lingerTimeout,
        Duration shutdownGrace,
        List<String> webServerAddresses,
        boolean accessLog,
        boolean virtualThreads,
        int ioThreads,
        Oversight oversight,
        int muxQueueCapacity,
        long maxBufferedBytes,
        int maxWriteWaiters) {

    /**
     * The default {@link #workers()}: 200, as Jetty's and Tomcat's thread pools. Quick handlers run on the I/O
     * threads; the workers are for handlers that block (a database, an HTTP call), where 16 blocked for 1 ms each
     * capped a process at 15k requests/s. Threads start only when no worker is idle and end after a minute idle, so
     * a quiet process keeps one (docs/benchmarks.md, "Across concurrency").
     */
    public static final int DEFAULT_WORKERS = 200;
    /** The most event loops by default; see {@link #defaultIoThreads()}. */
    public static final int DEFAULT_MAX_IO_THREADS = 4;
    /** The least default {@link #queueCapacity()}: 256 requests; see {@link #defaultQueueCapacity(int, int)}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    /**
     * The default {@link #maxConnections()}: 4096. Above what nginx holds at 1024 requests in flight plus its
     * keepalive pool (it was 1024, which that passed); an idle connection costs about 2.5 KiB of heap and a file
     * descriptor, no read buffer and no thread.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /**
     * The default {@link #maxRequestsPerConnection()}: 1024. It is what FCGI_MAX_REQS says, but HAProxy sends up to
     * its own {@code max-reqs} on a new connection before our answer comes, so it must not be below the
     * {@code max-reqs} in use; what one connection may cost is bounded by {@link #maxRequests()} and the mux queue.
     */
    public static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 1024;
    /** The default {@link #muxQueueCapacity()}: 1024 requests, a few MB with HAProxy's usual PARAMS. */
    public static final int DEFAULT_MUX_QUEUE_CAPACITY = 1024;
    /** The default {@link #bodyBufferBytes()}: 64 KiB. */
    public static final int DEFAULT_BODY_BUFFER_BYTES = 64 << 10;
    /** The codec's: 8 KiB per name, 512 KiB per value, 1 MiB and 4096 pairs per request. */
    public static final ParamsLimits DEFAULT_PARAMS_LIMITS = ParamsLimits.DEFAULTS;
    /** The default {@link #paramsTimeout()}: 30 s. */
    public static final Duration DEFAULT_PARAMS_TIMEOUT = Duration.ofSeconds(30);
    /** The default {@link #readTimeout()}: 60 s, as nginx's fastcgi_send_timeout. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** The default {@link #writeTimeout()}: 60 s, as nginx's fastcgi_read_timeout. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);
    /** The default {@link #idleTimeout()}: 10 min; nginx's own keepalive_timeout is 60 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** The default {@link #lingerTimeout()}: 2 s. */
    public static final Duration DEFAULT_LINGER_TIMEOUT = Duration.ofSeconds(2);
    /** The default {@link #shutdownGrace()}: 30 s. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** The default {@link #maxBufferedBytes()} is the heap's bound divided by this: a quarter of it. */
    public static final int DEFAULT_MAX_BUFFERED_HEAP_DIVISOR = 4;
    /**
     * The default {@link #maxWriteWaiters()}: 1024, as many as the default connections; each costs a thread, and
     * its handler's current write buffer, until its peer reads or the write timeout.
     */
    public static final int DEFAULT_MAX_WRITE_WAITERS = 1024;


    /**
     * Checks and copies the settings; {@link FastCgiServer.Builder} is the usual way to make them.
     *
     * @param listen                   addresses to bind; empty means the inherited socket on fd 0. Copied
     * @param workers                  worker threads that run handlers, at least 1
     * @param queueCapacity            requests that may wait for a worker, 0 or more; beyond that, 503
     * @param maxConnections           concurrent connections, at least 1
     * @param maxRequestsPerConnection concurrent requests on one connection, at least 1, and what FCGI_MAX_REQS
     *                                 says; 1 turns multiplexing off
     * @param bodyBufferBytes          request body bytes buffered per request, at least 1
     * @param paramsLimits             bounds on each request's PARAMS; not {@code null}
     * @param paramsTimeout            from BEGIN_REQUEST to the end of PARAMS; not {@code null}
     * @param readTimeout              longest wait for the next body bytes, or for room in a full body buffer;
     *                                 not {@code null}
     * @param writeTimeout             longest a response write may block; not {@code null}
     * @param idleTimeout              how long a connection with no request in flight stays open; not
     *                                 {@code null}
     * @param lingerTimeout            how long unread input is drained after a close; not {@code null}
     * @param shutdownGrace            how long in-flight requests may take to finish on close; not {@code null}
     * @param webServerAddresses       FCGI_WEB_SERVER_ADDRS entries (IP literals or CIDR ranges, checked when the
     *                                 server is built); empty allows all. Copied
     * @param accessLog                log one line per request
     * @param virtualThreads           run handlers on virtual threads; needs JDK 21+
     * @param ioThreads                event loops that read the connections, at least 1
     * @param oversight                the slowlog, queue-wait shedding and JSON access log; {@link Oversight#NONE}
     *                                 for none
     * @param muxQueueCapacity         requests of multiplexing connections that may wait on their connection once
     *                                 workers and queue are full, 0 or more
     * @param maxBufferedBytes         PARAMS and body bytes all requests together may hold in memory, at least 1
     * @param maxWriteWaiters          handlers that may wait for a peer to read without holding a worker, 0 or
     *                                 more (0: a blocked writer always keeps its worker)
     * @throws IllegalArgumentException if a number is out of its range, or virtual threads are asked for before
     *                                  JDK 21
     * @throws NullPointerException     if {@code listen} or {@code webServerAddresses} is or holds {@code null}
     */
    public ServerSettings {
        listen = List.copyOf(listen);
        webServerAddresses = List.copyOf(webServerAddresses);
        oversight = oversight == null ? Oversight.NONE : oversight;
        positive("workers", workers);
        notNegative("queueCapacity", queueCapacity);
        notNegative("muxQueueCapacity", muxQueueCapacity);
        positive("maxConnections", maxConnections);
        positive("maxRequestsPerConnection", maxRequestsPerConnection);
        positive("bodyBufferBytes", bodyBufferBytes);
        positive("ioThreads", ioThreads);
        if (maxBufferedBytes <= 0) {
            throw new IllegalArgumentException("maxBufferedBytes must be at least 1, got " + maxBufferedBytes);
        }
        notNegative("maxWriteWaiters", maxWriteWaiters);
        if (virtualThreads && !VirtualThreads.available()) {
            VirtualThreads.executor("check"); // throws the explanation
        }
    }

    /**
     * The default {@link #queueCapacity()}: room for a request on every connection the workers are not serving
     * ({@code maxConnections - workers}), at least {@value #DEFAULT_QUEUE_CAPACITY}. A web server such as nginx sends
     * one request per connection, so a smaller queue would answer 503 to requests on connections already accepted,
     * where libfcgi or php-fpm would have let them wait; waiting is bounded by {@code --max-conns}, the memory
     * budget and, when nginx stamps requests, {@code --max-queue-wait}.
     *
     * @param maxConnections the process's {@link #maxConnections()}
     * @param workers        its {@link #workers()}
     * @return the queue's capacity
     */
    public static int defaultQueueCapacity(int maxConnections, int workers) {
        return Math.max(DEFAULT_QUEUE_CAPACITY, maxConnections - workers);
    }

    /**
     * The default number of workers, {@value #DEFAULT_WORKERS} on any machine: what bounds them is how many
     * handlers may block at once, not the cores, since a blocked handler takes no CPU.
     *
     * @return {@link #DEFAULT_WORKERS}
     */
    public static int defaultWorkers() {
        return DEFAULT_WORKERS;
    }

    /**
     * The default number of event loops: one per two cores, 1 to {@value #DEFAULT_MAX_IO_THREADS}.
     *
     * @return the default for this machine, from the processors available to the JVM now
     */
    public static int defaultIoThreads() {
        return defaultIoThreads(Runtime.getRuntime().availableProcessors());
    }

    /** {@link #defaultIoThreads()} on a machine of {@code cores} processors. */
    static int defaultIoThreads(int cores) {
        return Math.max(1, Math.min(DEFAULT_MAX_IO_THREADS, cores / 2));
    }

    /**
     * The default bound on the PARAMS and body bytes requests hold together: a quarter
     * ({@value #DEFAULT_MAX_BUFFERED_HEAP_DIVISOR}) of the heap's bound, so that stalled peers cannot take more of
     * it than that, and what they hold counts before the heap runs out.
     *
     * @return the default for this JVM, from {@link Runtime#maxMemory()} (-Xmx)
     */
    public static long defaultMaxBufferedBytes() {
        return Math.max(1, Runtime.getRuntime().maxMemory() / DEFAULT_MAX_BUFFERED_HEAP_DIVISOR);
    }

    /**
     * The requests admitted at once, running or waiting for a worker. (FCGI_MAX_REQS says
     * {@link #maxRequestsPerConnection()}: what one connection takes, which is what HAProxy reads it as.)
     *
     * @return the requests this process takes at once, running or queued: workers plus queue capacity
     */
    public int maxRequests() {
        return workers + queueCapacity;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void notNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
