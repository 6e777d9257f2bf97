package io.jfcgi.responder;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.Logger;

/**
 * The warnings that what a peer sends makes the server write, at most one line per kind of fault per interval: a
 * peer that sends malformed records on every connection, or thousands of requests whose PARAMS never end, would
 * otherwise write the log full. The first of a kind is said at once and the rest counted; the next line of that
 * kind, or {@link #sayHeldBack} once the interval has passed, says how many were held back. One kind does not hold
 * back another. Each occurrence is still answered as the protocol says: this only decides what is logged.
 * Thread-safe: any I/O thread, worker or the watchdog.
 */
final class PeerWarnings {

    private static final class Log {
        static final Logger LOG = Loggers.get(PeerWarnings.class);
    }

    /** What a peer did, with the words of the line that counts those held back. */
    enum Fault {
        PROTOCOL_ERROR("connection(s) closed for a protocol error"),
        UNREAD_RESPONSE("connection(s) closed: the web server did not read its response"),
        PARAMS_TIMEOUT("request(s) answered 408: PARAMS incomplete"),
        BODY_STALLED("request(s) aborted: the request body stalled"),
        DUPLICATE_BEGIN("BEGIN_REQUEST(s) for a request still in flight, ignored"),
        UNKNOWN_ROLE("request(s) answered UNKNOWN_ROLE"),
        TOO_MANY_AT_ONCE("request(s) answered CANT_MPX_CONN past --max-reqs-per-conn"),
        MALFORMED_PARAMS("request(s) answered 400 or 431 for their PARAMS"),
        INPUT_BEFORE_PARAMS("request(s) answered 400: STDIN or DATA before the end of PARAMS");

        final String heldBackWords;

        Fault(String heldBackWords) {
            this.heldBackWords = heldBackWords;
        }
    }

    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Map<Fault, RateLimitedWarning> limits = new EnumMap<>(Fault.class);

    /** @param nanoTime the clock, {@code System::nanoTime} but in tests */
    PeerWarnings(LongSupplier nanoTime) {
        for (Fault fault : Fault.values()) {
            limits.put(fault, new RateLimitedWarning(INTERVAL, nanoTime));
        }
    }

    /**
     * One occurrence of {@code fault}: logged now as {@code format} with {@code args} (Log4j's {} placeholders),
     * with the count of those held back since the last line of its kind, or only counted.
     */
    void warn(Fault fault, String format, Object... args) {
        long heldBack = limits.get(fault).occurred();
        if (heldBack == RateLimitedWarning.NO_LINE) {
            return;
        }
        if (heldBack == 0) {
            Log.LOG.warn(format, args);
        } else {
            Object[] withCount = Arrays.copyOf(args, args.length + 1);
            withCount[args.length] = heldBack;
            Log.LOG.warn(format + " ({} more like it held back since the last such line)", withCount);
        }
    }

    /** The watchdog, now and then: one line for each kind whose held-back count has waited a whole interval. */
    void sayHeldBack() {
        for (Map.Entry<Fault, RateLimitedWarning> limit : limits.entrySet()) {
            long heldBack = limit.getValue().due();
            if (heldBack != RateLimitedWarning.NO_LINE) {
                Log.LOG.warn("{} more {} since the last such line", heldBack, limit.getKey().heldBackWords);
            }
        }
    }

}
