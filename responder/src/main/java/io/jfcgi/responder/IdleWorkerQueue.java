package io.jfcgi.responder;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workers' queue of {@link IdleFirstThreadPool}: a task goes straight to an idle worker if one waits, the one
 * that went idle last, else it waits here in order. It replaces a {@code LinkedTransferQueue}, whose waiting
 * worker calls {@code Thread.yield()} once before it parks when it is first in line, as a worker going idle after
 * each request usually is: a {@code sched_yield} per request, which on a busy machine gives the CPU away and waits
 * to get it back. Last idle first, because that worker may not have parked yet (then its unpark costs no
 * wake-up), and so that workers a lull leaves unused time out.
 *
 * <p>Every method takes one lock, held for a few field writes; a waiting worker parks outside it.
 */
final class IdleWorkerQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

    /** A worker waiting for a task: given one under the lock, then unparked. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile Runnable task;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Idle workers, the latest first. */
    private final ArrayDeque<Waiter> idle = new ArrayDeque<>();
    /** Told, outside the lock, when a task queues because no worker is idle. */
    private final Runnable queuedWithoutIdle;

    IdleWorkerQueue() {
        this(() -> { });
    }

    IdleWorkerQueue(Runnable queuedWithoutIdle) {
        this.queuedWithoutIdle = queuedWithoutIdle;
    }

    /**
     * Hands {@code task} to an idle worker if one waits.
     *
     * @return false, and nothing queued, if none waits
     */
    boolean tryTransfer(Runnable task) {
        return handOff(task, false);
    }

    /** To the idle worker that went idle last, unparked outside the lock; else queued if {@code queue}. */
    private boolean handOff(Runnable task, boolean queue) {
        Objects.requireNonNull(task);
        Waiter waiter;
        lock.lock();
        try {
            waiter = idle.pollFirst();
            if (waiter != null) {
                waiter.task = task;
            } else if (queue) {
                tasks.add(task);
            } else {
                return false;
            }
        } finally {
            lock.unlock();
        }
        if (waiter == null) {
            queuedWithoutIdle.run();
        } else {
            LockSupport.unpark(waiter.thread);
        }
        return true;
    }

    /** Workers waiting for a task now. */
    int waitingWorkers() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(Runnable task) {
        return handOff(task, true);
    }

    @Override
    public boolean offer(Runnable task, long timeout, TimeUnit unit) {
        return offer(task);
    }

    @Override
    public void put(Runnable task) {
        offer(task);
    }

    @Override
    public Runnable poll() {
        lock.lock();
        try {
            return tasks.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        return await(true, unit.toNanos(timeout));
    }

    @Override
    public Runnable take() throws InterruptedException {
        return await(false, 0);
    }

    /** A worker: the first queued task, else waits to be handed one (until the timeout, if {@code timed}). */
    private Runnable await(boolean timed, long nanos) throws InterruptedException {
        Waiter me;
        lock.lock();
        try {
            Runnable task = tasks.pollFirst();
            if (task != null || timed && nanos <= 0) {
                return task;
            }
            me = new Waiter();
            idle.addFirst(me);
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + nanos;
        while (true) {
            Runnable task = me.task;
            if (task != null) {
                return task;
            }
            if (Thread.interrupted()) {
                task = leave(me);
                if (task == null) {
                    throw new InterruptedException();
                }
                Thread.currentThread().interrupt(); // handed a task just now: it runs, and the interrupt stays
                return task;
            }
            if (!timed) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return leave(me);
                }
                LockSupport.parkNanos(this, left);
            }
        }
    }

    /** A waiter gives up (timeout, interrupt): null, unless it was handed a task in the meantime. */
    private Runnable leave(Waiter me) {
        lock.lock();
        try {
            if (idle.removeFirstOccurrence(me)) {
                return null;
            }
        } finally {
            lock.unlock();
        }
        return me.task; // taken off the idle list by a hand-off, which set its task under the lock
    }

    @Override
    public Runnable peek() {
        lock.lock();
        try {
            return tasks.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return tasks.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(Object task) {
        lock.lock();
        try {
            return tasks.removeFirstOccurrence(task);
        } finally {
            lock.unlock();
        }
    }

    /** A copy: the pool walks it only to purge cancelled tasks, and removes through {@link #remove}. */
    @Override
    public Iterator<Runnable> iterator() {
        lock.lock();
        try {
            return new ArrayList<>(tasks).iterator();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int remainingCapacity() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int drainTo(Collection<? super Runnable> into) {
        return drainTo(into, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Runnable> into, int most) {
        lock.lock();
        try {
            int n = 0;
            Runnable task;
            while (n < most && (task = tasks.pollFirst()) != null) {
                into.add(task);
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }
}
