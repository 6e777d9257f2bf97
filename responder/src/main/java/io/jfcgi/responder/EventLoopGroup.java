package io.jfcgi.responder;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The I/O threads: {@code n} {@link EventLoop}s that connections are spread over, and the monitor that keeps a
 * long handler from holding up a loop. The monitor ticks only while handlers run inline, and sleeps otherwise.
 */
final class EventLoopGroup implements AutoCloseable {

    /** The shortest sleep of the monitor between two looks. */
    private static final long MIN_SLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** Looks without any inline run before the monitor sleeps until the next one (with 2 ms looks, 0.2 s). */
    private static final int IDLE_LOOKS = 100;

    private final EventLoop[] loops;
    private final long handoffNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger inlineStarts = new AtomicInteger();
    private final Thread monitor;
    private volatile boolean monitorAsleep;
    private volatile boolean closed;

    EventLoopGroup(int n, long handoffNanos, ThreadFactory loopThreads, ThreadFactory monitorThreads)
            throws IOException {
        this.handoffNanos = handoffNanos;
        this.loops = new EventLoop[n];
        for (int i = 0; i < n; i++) {
            loops[i] = new EventLoop(this, loopThreads);
        }
        this.monitor = monitorThreads.newThread(this::monitor);
    }

    void start() {
        for (EventLoop loop : loops) {
            loop.start();
        }
        monitor.start();
    }

    /** Every loop accepts on {@code listener}: whichever is free first takes a new connection in. */
    void listen(ServerSocketChannel listener, EventLoop.Acceptor acceptor) throws IOException {
        for (EventLoop loop : loops) {
            loop.listen(listener, acceptor);
        }
    }

    /** The loop for a new connection: round robin, so that a burst of connections is spread evenly. */
    EventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** No loop accepts any more; the listening sockets are let go of at each loop's next look. */
    void stopListening() {
        for (EventLoop loop : loops) {
            loop.stopListening();
        }
    }

    /** The watchdog's look: a loop that holds sockets to close, and has not woken since, closes them now. */
    void wakeToClose() {
        for (EventLoop loop : loops) {
            loop.wakeToClose();
        }
    }

    /** Hand-offs so far, over all loops. */
    int handoffs() {
        int n = 0;
        for (EventLoop loop : loops) {
            n += loop.handoffs();
        }
        return n;
    }

    /** A loop has begun to run a handler inline: the monitor must be awake to watch it. */
    void inlineStarted() {
        inlineStarts.incrementAndGet();
        if (monitorAsleep) {
            LockSupport.unpark(monitor);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (EventLoop loop : loops) {
            loop.stop();
        }
        LockSupport.unpark(monitor);
    }

    /**
     * Looks as seldom as it can: when a handler runs, just after it would reach the hand-off time; when none
     * does, a hand-off time later, since none that starts meanwhile can have run longer by then. Under load that
     * is one wake-up per hand-off time, not one per request or per millisecond.
     */
    private void monitor() {
        MonitorLooks looks = new MonitorLooks(inlineStarts.get());
        while (!closed) {
            long sleep = looks.look();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
                continue;
            }
            monitorAsleep = true;
            if (inlineStarts.get() == looks.seen && !closed) { // an inline run that began meanwhile would not wake us
                LockSupport.park();
            }
            monitorAsleep = false;
        }
    }

    /**
     * The monitor's looks, one call each: a method of its own, so that the JIT compiles it after a few hundred
     * looks. The monitor's loop is entered once and turns only ~500 times a second, so it would otherwise stay
     * interpreted for minutes (an OSR compile needs tens of thousands of turns); so did its body, every look.
     */
    private final class MonitorLooks {
        private int idle;
        private int seen;

        MonitorLooks(int seen) {
            this.seen = seen;
        }

        /** One look: nanoseconds to sleep until the next, or 0 to sleep until an inline run begins. */
        long look() {
            long now = System.nanoTime();
            long sleep = handoffNanos;
            for (EventLoop loop : loops) {
                sleep = Math.min(sleep, loop.checkHandoff(now, handoffNanos));
            }
            boolean running = sleep < handoffNanos;
            int starts = inlineStarts.get();
            idle = running || starts != seen ? 0 : idle + 1;
            seen = starts;
            if (idle < IDLE_LOOKS) {
                return Math.max(MIN_SLEEP_NANOS, sleep);
            }
            idle = 0;
            return 0;
        }
    }
}
