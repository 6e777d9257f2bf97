package io.jfcgi.responder;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code --max-conns} slots, and what becomes of a connection waiting in the listen backlog when none is
 * free. Under a storm of connects and closes the slots fill with connections whose peers have gone but whose EOF
 * the loops have not read yet; they free within a look or two. So a full server first leaves new connections in
 * the backlog (the kernel's queue, which costs us nothing) and takes them as slots free; only when no slot has
 * freed for the wait does it refuse (503), as it did at once before. Shared by the I/O threads: lock-free.
 *
 * <pre>
 * state                 take(now)                          release()
 * free (in use &lt; max)   TAKEN, one more in use              one fewer in use
 * full, since t         WAIT while now &lt; t + wait,         one fewer in use: free, and the wait
 *                       then REFUSE (nothing taken)        starts again the next time it is full
 * </pre>
 */
final class ConnectionSlots {

    /** What {@link #take} says of the connection first in the backlog. */
    enum Verdict {
        /** A slot is its: accept and serve it. */
        TAKEN,
        /** None is free: leave it in the backlog until a slot is released, or the wait is over. */
        WAIT,
        /** None has freed for the whole wait: accept it and answer its requests 503 (a {@link RefusedConnection}). */
        REFUSE
    }

    private final int max;
    private final long waitNanos;
    private final AtomicInteger inUse = new AtomicInteger();
    /** When a take first found the slots full since the last release (System.nanoTime), or 0. */
    private final AtomicLong fullSince = new AtomicLong();

    /**
     * @param max  {@code --max-conns}
     * @param wait how long the slots may stay full before connections beyond them are refused
     */
    ConnectionSlots(int max, Duration wait) {
        this.max = max;
        this.waitNanos = wait.toNanos();
    }

    /** An I/O thread, before it accepts a connection: whether it may, and what to do if not. */
    Verdict take(long now) {
        if (inUse.incrementAndGet() <= max) {
            return Verdict.TAKEN;
        }
        inUse.decrementAndGet();
        long since = fullSince.get();
        if (since == 0) {
            fullSince.compareAndSet(0, now == 0 ? 1 : now);
            since = fullSince.get();
        }
        return since != 0 && now - since >= waitNanos ? Verdict.REFUSE : Verdict.WAIT;
    }

    /** Any thread: a connection has ended, or a slot taken was not used. */
    void release() {
        inUse.decrementAndGet();
        if (fullSince.get() != 0) {
            fullSince.set(0);
        }
    }

    /** Whether a take now would find a slot (a hint: another thread may take it first). */
    boolean anyFree() {
        return inUse.get() < max;
    }

    /** Nanoseconds until a take at {@code now} would refuse rather than wait; 0 if it would refuse already. */
    long waitLeft(long now) {
        long since = fullSince.get();
        return since == 0 ? waitNanos : Math.max(0, since + waitNanos - now);
    }
}
