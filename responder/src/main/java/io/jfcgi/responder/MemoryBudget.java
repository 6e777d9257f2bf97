package io.jfcgi.responder;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.Logger;

/**
 * The process's one bound on request bytes held in memory for requests: PARAMS as they arrive
 * ({@link BudgetAccount}, per request) and the arrays request bodies wait in ({@link ByteRing}). The per-request
 * limits bound one request; this bounds them all together, so that many connections that send big PARAMS and
 * stall cannot take the heap ({@code --max-buffered-bytes}, by default a quarter of it).
 *
 * <p>What happens at the bound is the charger's to decide: a request still in PARAMS is answered 503 with
 * Retry-After ({@link Exchange#chargeParams}); a body that does not fit stops its connection's reading as a full
 * body buffer does ({@link BodyPipe#offer}). The requests answered 503 are counted for jspawn-fcgi's status
 * ({@link #refusedRequests}) and warned about at most once per {@link #WARNING_INTERVAL}. Thread-safe and lock-free
 * but for that warning: a reservation is one compare-and-set on the fast path, a release one add.
 */
final class MemoryBudget {

    /** How often at most a refused request is logged: under an attack every request may be refused. */
    static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    private static final class Log {
        static final Logger LOG = Loggers.get(MemoryBudget.class);
    }

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong refusedRequests = new AtomicLong();
    private final RateLimitedWarning refusalWarning;

    /** @param limit the bytes that may be held at once, at least 1 */
    MemoryBudget(long limit) {
        this(limit, System::nanoTime);
    }

    /**
     * @param limit    the bytes that may be held at once, at least 1
     * @param nanoTime the clock of the refusal warning, {@code System::nanoTime} but in tests
     */
    MemoryBudget(long limit, LongSupplier nanoTime) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the budget must be at least 1 byte, got " + limit);
        }
        this.limit = limit;
        this.refusalWarning = new RateLimitedWarning(WARNING_INTERVAL, nanoTime);
    }

    /** Any thread: takes {@code bytes} if they fit under the limit; else takes nothing and counts a refusal. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (bytes > limit - now) {
                refusals.incrementAndGet();
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /**
     * Any thread: takes {@code bytes} even past the limit, for the few bytes without which a request admitted
     * already could not move at all (the first piece of its body); the limit still refuses everything else.
     */
    void reserve(long bytes) {
        used.addAndGet(bytes);
    }

    /** Any thread: gives back bytes taken by {@link #tryReserve} or {@link #reserve}. */
    void release(long bytes) {
        long left = used.addAndGet(-bytes);
        assert left >= 0 : "released more than was reserved: " + left;
    }

    long limit() {
        return limit;
    }

    /** Bytes held now. */
    long used() {
        return used.get();
    }

    /** Reservations refused since the start: requests answered 503, and body pieces that waited. */
    long refusals() {
        return refusals.get();
    }

    /**
     * Any thread: request {@code id} from {@code peer} is answered 503 because a reservation for its PARAMS was
     * refused. Counted; a warning says so at once, then at most once per {@link #WARNING_INTERVAL} with the count
     * of those held back meanwhile.
     */
    void refusedRequest(int id, String peer) {
        long total = refusedRequests.incrementAndGet();
        long heldBack = refusalWarning.occurred();
        if (heldBack != RateLimitedWarning.NO_LINE) {
            Log.LOG.warn("requests hold {} bytes of PARAMS and bodies, the limit of --max-buffered-bytes {}: request "
                    + "{} from {} answered 503 ({} refused so far{})", used(), limit, id, peer, total,
                    heldBack == 0 ? "" : "; " + heldBack + " since the last warning");
        }
    }

    /** The watchdog, now and then: says the count of refused requests a warning held back once a burst is over. */
    void sayHeldBackRefusals() {
        long heldBack = refusalWarning.due();
        if (heldBack != RateLimitedWarning.NO_LINE) {
            Log.LOG.warn("--max-buffered-bytes {}: answered 503 to {} more request(s) since the last warning "
                    + "({} refused so far)", limit, heldBack, refusedRequests.get());
        }
    }

    /** Requests answered 503 since the start because their PARAMS did not fit: for jspawn-fcgi's status. */
    long refusedRequests() {
        return refusedRequests.get();
    }
}
