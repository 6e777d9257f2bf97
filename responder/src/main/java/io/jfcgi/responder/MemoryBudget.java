package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's one bound on request bytes held in memory for requests: PARAMS as they arrive
 * ({@link BudgetAccount}, per request) and the arrays request bodies wait in ({@link ByteRing}). The per-request
 * limits bound one request; this bounds them all together, so that many connections that send big PARAMS and
 * stall cannot take the heap ({@code --max-buffered-bytes}, by default a quarter of it).
 *
 * <p>What happens at the bound is the charger's to decide: a request still in PARAMS is answered 503 with
 * Retry-After ({@link Exchange#chargeParams}); a body that does not fit stops its connection's reading as a full
 * body buffer does ({@link BodyPipe#offer}). Thread-safe and lock-free: a reservation is one compare-and-set on the
 * fast path, a release one add.
 */
final class MemoryBudget {

    /** How often at most a refusal is logged: under an attack every request may be refused. */
    private static final long WARNING_PERIOD_NANOS = 10_000_000_000L;

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    /** When a refusal was last logged (System.nanoTime, 0 for never). */
    private final AtomicLong warnedAt = new AtomicLong();

    /** @param limit the bytes that may be held at once, at least 1 */
    MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the budget must be at least 1 byte, got " + limit);
        }
        this.limit = limit;
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

    /** True at most once per ten seconds: whether a refusal now should be logged. Any thread. */
    boolean warningDue(long nanoTime) {
        long last = warnedAt.get();
        return (last == 0 || nanoTime - last > WARNING_PERIOD_NANOS)
                && warnedAt.compareAndSet(last, Math.max(1, nanoTime));
    }
}
