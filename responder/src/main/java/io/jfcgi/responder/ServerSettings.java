package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;

import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link FastCgiServer} is configured with; immutable. Built by {@link FastCgiServer.Builder}, whose
 * defaults are documented there.
 *
 * @param listen                   addresses to bind; empty means the inherited socket on fd 0
 * @param workers                  worker threads that run handlers
 * @param queueCapacity            requests that may wait for a worker; beyond that, 503
 * @param maxConnections           concurrent connections; beyond that, new ones are closed at once
 * @param maxRequestsPerConnection concurrent requests on one connection; 1 turns multiplexing off
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
        int ioThreads) {

    public ServerSettings {
        listen = List.copyOf(listen);
        webServerAddresses = List.copyOf(webServerAddresses);
        positive("workers", workers);
        notNegative("queueCapacity", queueCapacity);
        positive("maxConnections", maxConnections);
        positive("maxRequestsPerConnection", maxRequestsPerConnection);
        positive("bodyBufferBytes", bodyBufferBytes);
        positive("ioThreads", ioThreads);
        if (virtualThreads && !VirtualThreads.available()) {
            VirtualThreads.executor("check"); // throws the explanation
        }
    }

    /** FCGI_MAX_REQS: requests this process takes at once, running or queued. */
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
