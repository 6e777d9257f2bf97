package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The handler slots: at most {@code --workers} handlers run at once. A handler whose response write waits for a
 * peer that does not read runs nothing meanwhile, so it gives its slot back for the wait ({@link #leaveForWrite})
 * and takes one again before it goes on ({@link #rejoinAfterWrite}): clients that stop reading cannot starve the
 * others. At most {@code --max-write-waiters} wait so at once; past that a blocked writer keeps its slot, as if the
 * bound were not there. A writer that waits holds only its current records (the handler's own buffer, never a
 * copy), and the write timeout still ends a connection that never reads.
 *
 * <p>Every method may be called from any thread; {@link #leaveForWrite} and {@link #rejoinAfterWrite} only by the
 * thread that holds a slot, in pairs.
 */
final class HandlerSlots {

    private static final class Log {
        static final Logger LOG = Loggers.get(HandlerSlots.class);
    }

    /** Told when the number of write waiters changes, after the change: a pool of workers lends them threads. */
    @FunctionalInterface
    interface WaitersListener {
        void writeWaitersChanged();
    }

    private final int slots;
    private final int maxWriteWaiters;
    private final Semaphore free;
    /** Handlers that gave their slot back for a write, counted from before the give-back to after the retake. */
    private final AtomicInteger writeWaiters = new AtomicInteger();
    private final WaitersListener listener;
    /** The bound was reached once: said once, so that a flood of stalled clients does not flood the log too. */
    private final AtomicBoolean boundSaid = new AtomicBoolean();

    HandlerSlots(int slots, int maxWriteWaiters, WaitersListener listener) {
        this.slots = slots;
        this.maxWriteWaiters = maxWriteWaiters;
        this.free = new Semaphore(slots);
        this.listener = listener;
    }

    /** Takes a slot if one is free. */
    boolean tryTake() {
        return free.tryAcquire();
    }

    /** Takes a slot, waiting for one; an interrupt is kept for the handler to see. */
    void take() {
        free.acquireUninterruptibly();
    }

    /** Gives back the slot its handler held, once the handler has returned. */
    void give() {
        free.release();
    }

    /** Handlers running now: those that hold a slot (a writer waiting for its peer holds none). */
    int running() {
        return slots - free.availablePermits();
    }

    /** Handlers whose write waits for their peer without a slot. */
    int writeWaiters() {
        return writeWaiters.get();
    }

    /**
     * The calling handler's write cannot go on until its peer reads: gives its slot back for the wait, unless
     * {@code --max-write-waiters} handlers wait so already (then it keeps it, and waits counted as running).
     *
     * @return true if the slot was given back: the caller must {@link #rejoinAfterWrite} before its handler goes on
     */
    boolean leaveForWrite() {
        int n;
        do {
            n = writeWaiters.get();
            if (n >= maxWriteWaiters) {
                if (maxWriteWaiters > 0 && boundSaid.compareAndSet(false, true)) {
                    Log.LOG.warn("{} handlers wait for web servers to read their responses (--max-write-waiters): "
                            + "more blocked writers keep their worker until their peer reads or --write-timeout",
                            maxWriteWaiters);
                }
                return false;
            }
        } while (!writeWaiters.compareAndSet(n, n + 1));
        listener.writeWaitersChanged(); // a pool lends a thread before the slot is free to be taken
        free.release();
        return true;
    }

    /** The write is done (or failed): takes a slot again, waiting behind the running handlers if none is free. */
    void rejoinAfterWrite() {
        free.acquireUninterruptibly();
        writeWaiters.decrementAndGet();
        listener.writeWaitersChanged();
    }

    /**
     * At a stop: takes every slot once no handler runs and none waits in a write (a waiter needs a slot back to
     * end), and keeps them, so none starts afterwards.
     *
     * @return true if it took them all before {@code deadlineNanos} (System.nanoTime)
     */
    boolean takeAllWhenIdle(long deadlineNanos) throws InterruptedException {
        while (free.tryAcquire(slots, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            if (writeWaiters.get() == 0) {
                return true; // a waiter counts itself before it gives a slot back, so none is in between
            }
            free.release(slots);
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // the stop's rare path: a write still waits
        }
        return false;
    }
}
