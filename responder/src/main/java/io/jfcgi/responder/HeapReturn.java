package io.jfcgi.responder;

import java.util.concurrent.TimeUnit;

/**
 * When to give the heap back after a burst of buffered requests. The serial collector, which jspawn-fcgi gives its
 * JVM children, shrinks the heap only at a full collection, and a server that has gone quiet has none: the heap a
 * burst of stalled PARAMS grew stays resident for good. So once the {@link MemoryBudget} has held at least
 * {@value #BURST_BYTES} bytes and has then stayed under a quarter of that for {@link #QUIET_NANOS}, one full
 * collection is due (with {@code -XX:-ShrinkHeapInSteps} it shrinks the heap at once). Ordinary traffic never
 * holds that much, so it never pays for one. The watchdog's alone.
 */
final class HeapReturn {

    /** Bytes held at once that count as a burst: far above nginx's PARAMS, which are about 1 KiB a request. */
    static final long BURST_BYTES = 16 << 20;
    /** How long the budget must have been nearly empty after a burst. */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);

    private boolean burst;
    private long quietSince;
    private boolean quiet;

    /**
     * One look at what the budget holds now.
     *
     * @return true if a full collection is due now; the next is due only after another burst
     */
    boolean due(long now, long used) {
        if (used >= BURST_BYTES) {
            burst = true;
        }
        if (used >= BURST_BYTES / 4) {
            quiet = false;
            return false;
        }
        if (!quiet) {
            quiet = true;
            quietSince = now;
        }
        if (burst && now - quietSince >= QUIET_NANOS) {
            burst = false;
            return true;
        }
        return false;
    }
}
