package io.jfcgi.responder;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What an operator watches requests with, all off by default (docs/operations.md, "Slowlog, shedding and the access
 * log"): a slowlog entry with the handler's stack for a request still running after {@code slowlogTimeout}, a 503
 * for a request that waited longer than {@code maxQueueWait} (by the web server's {@code REQUEST_START}), and a
 * JSON access log line per request.
 *
 * @param slowlog        the slowlog file; null for none
 * @param slowlogTimeout how long a request runs before its slowlog entry
 * @param maxQueueWait   longest wait between the web server's stamp and the handler's start; zero for no limit
 * @param accessLog      the JSON access log file; null for none
 */
public record Oversight(Path slowlog, Duration slowlogTimeout, Duration maxQueueWait, Path accessLog) {

    /** php-fpm's slowlog needs its timeout set; ours takes this one when only the file is given. */
    public static final Duration DEFAULT_SLOWLOG_TIMEOUT = Duration.ofSeconds(5);
    /** Nothing watched. */
    public static final Oversight NONE = new Oversight(null, DEFAULT_SLOWLOG_TIMEOUT, Duration.ZERO, null);

    /**
     * Checks the durations.
     *
     * @param slowlog        the slowlog file; null for none
     * @param slowlogTimeout how long a request runs before its slowlog entry; more than zero
     * @param maxQueueWait   longest wait between the web server's stamp and the handler's start; zero for no limit
     * @param accessLog      the JSON access log file; null for none
     * @throws IllegalArgumentException if {@code slowlogTimeout} is not positive or {@code maxQueueWait} negative
     */
    public Oversight {
        if (slowlogTimeout == null || slowlogTimeout.isNegative() || slowlogTimeout.isZero()) {
            throw new IllegalArgumentException("the slowlog timeout must be positive, got " + slowlogTimeout);
        }
        if (maxQueueWait == null || maxQueueWait.isNegative()) {
            throw new IllegalArgumentException("the longest queue wait must not be negative, got " + maxQueueWait);
        }
    }

    Oversight withSlowlog(Path value) {
        return new Oversight(value, slowlogTimeout, maxQueueWait, accessLog);
    }

    Oversight withSlowlogTimeout(Duration value) {
        return new Oversight(slowlog, value, maxQueueWait, accessLog);
    }

    Oversight withMaxQueueWait(Duration value) {
        return new Oversight(slowlog, slowlogTimeout, value, accessLog);
    }

    Oversight withAccessLog(Path value) {
        return new Oversight(slowlog, slowlogTimeout, maxQueueWait, value);
    }
}
