package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Whether handlers have lately been quick enough to run on the I/O thread that read their request: a handler that
 * runs there holds up the loop's other connections meanwhile, so one that takes long must go to the workers.
 *
 * <p>The rule: <b>handlers are quick unless at least half of the last {@value #WINDOW} runs took
 * {@link #QUICK_NANOS} or more of wall-clock time</b> (the median of the window). Wall time, because a handler that
 * blocks (sleeps, waits on a database) costs no CPU yet holds the loop all the same: {@code /sleep?ms=1} takes
 * over 1 ms on every run and so always goes to the workers. The median, not a mean, because under load a thread
 * is now and then descheduled in the middle of a 20 µs handler for a time slice or two (milliseconds): one such
 * run pushed the moving average this replaces over the bound for the next several requests (a 3 ms run, six of
 * them), and sent quick handlers to the workers (a wake-up and a hand-off each), where more of them were descheduled. A run cut by the
 * scheduler is one run in a few; a handler that blocks does so on most runs. (Thread CPU time would tell the two
 * apart, but {@code getCurrentThreadCpuTime} is a system call: about 3 µs here, as much as a quick request's
 * whole share of the I/O thread.) A mix where fewer than half block runs inline, the blocking ones too: the
 * loop's monitor moves the loop off a handler that passes 2 ms.
 *
 * <p>Recorded by every thread that runs a handler, without a lock: two runs that end at once may write the same
 * slot, which loses a sample, never a count. Each sample is written and read whole (opaque access).
 */
final class QuickHandlers {

    /** How many of the latest runs the rule looks at. */
    static final int WINDOW = 16;
    /** A run that takes this long or longer counts as slow. */
    static final long QUICK_NANOS = 200_000;

    private final AtomicLongArray recent = new AtomicLongArray(WINDOW);
    /** Where the next run's time goes (wraps; a race between two recorders only loses a sample). */
    private int next;
    /** The rule's verdict after the latest run: read by the I/O thread for every request that arrives whole. */
    private volatile boolean quick = true;

    /** Any thread, once a handler has returned: how long it ran, in nanoseconds. */
    void record(long wallNanos) {
        int at = next;
        next = at + 1;
        recent.setOpaque(at & (WINDOW - 1), wallNanos);
        int slow = 0;
        for (int i = 0; i < WINDOW; i++) {
            if (recent.getOpaque(i) >= QUICK_NANOS) {
                slow++;
            }
        }
        boolean now = slow < WINDOW / 2;
        if (now != quick) { // written only when it changes: the I/O threads read it for every request
            quick = now;
        }
    }

    /** Whether the next request that arrived whole may run on the I/O thread that read it. */
    boolean areQuick() {
        return quick;
    }
}
