package io.jfcgi.responder;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * At most one warning line per interval for something that may happen thousands of times a second (a connection
 * storm refused at {@code --max-conns}): the first occurrence is said at once, later ones are counted, and the
 * next line says how many were held back. It only decides; the caller writes the line. Thread-safe.
 */
final class RateLimitedWarning {

    /** {@link #occurred} and {@link #due} when no line is due now. */
    static final long NO_LINE = -1;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    /** When the last line was due (on {@link #nanoTime}'s scale); meaningful once {@link #said}. */
    private long lastLine;
    private boolean said;
    /** Occurrences since the last line, not said. */
    private long heldBack;

    /**
     * @param interval the least time between two lines
     * @param nanoTime the clock, {@code System::nanoTime} but in tests
     */
    RateLimitedWarning(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * One more occurrence.
     *
     * @return {@link #NO_LINE} if it is only counted; otherwise the caller writes a line now, which also says
     *         this many earlier occurrences that were held back (0 or more)
     */
    synchronized long occurred() {
        long now = nanoTime.getAsLong();
        if (said && now - lastLine < intervalNanos) {
            heldBack++;
            return NO_LINE;
        }
        return line(now);
    }

    /**
     * Occurrences held back for a whole interval since the last line, so that the count of a burst that has
     * ended is still said: called now and then (the watchdog).
     *
     * @return {@link #NO_LINE} if nothing is held back or the interval has not passed; otherwise the caller
     *         writes a line now saying this many (at least 1)
     */
    synchronized long due() {
        long now = nanoTime.getAsLong();
        if (heldBack == 0 || now - lastLine < intervalNanos) {
            return NO_LINE;
        }
        return line(now);
    }

    private long line(long now) {
        long count = heldBack;
        heldBack = 0;
        lastLine = now;
        said = true;
        return count;
    }
}
