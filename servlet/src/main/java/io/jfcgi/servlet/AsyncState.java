package io.jfcgi.servlet;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The async life of one request (Servlet 6 §2.3.3.3), one lock for all of it. The request's own thread (the
 * responder's handler thread) runs each dispatch and, between dispatches, waits here for the application to call
 * {@code complete} or {@code dispatch} from any thread, or for the timeout. The handler does not return before the
 * request completes, since its return ends the FastCGI request: an async request holds its worker meanwhile.
 *
 * <table>
 * <caption>Transitions</caption>
 * <tr><th>from</th><th>to</th><th>method</th><th>thread</th></tr>
 * <tr><td>DISPATCHED</td><td>STARTED</td><td>{@link #startAsync}</td><td>the dispatch's</td></tr>
 * <tr><td>STARTED</td><td>COMPLETE_PENDING</td><td>{@link #complete}</td><td>any</td></tr>
 * <tr><td>STARTED</td><td>DISPATCH_PENDING</td><td>{@link #dispatch}</td><td>any</td></tr>
 * <tr><td>WAITING</td><td>COMPLETED</td><td>{@link #complete}</td><td>any (wakes the request's thread)</td></tr>
 * <tr><td>WAITING</td><td>DISPATCHED</td><td>{@link #dispatch}</td><td>any (wakes the request's thread)</td></tr>
 * <tr><td>DISPATCHED, COMPLETE_PENDING</td><td>COMPLETED</td><td>{@link #dispatchReturned}</td>
 *     <td>the request's</td></tr>
 * <tr><td>STARTED</td><td>WAITING</td><td>{@link #dispatchReturned}</td><td>the request's</td></tr>
 * <tr><td>DISPATCH_PENDING</td><td>DISPATCHED</td><td>{@link #dispatchReturned}</td><td>the request's</td></tr>
 * <tr><td>WAITING</td><td>STARTED</td><td>{@link #await} at the timeout or an abort</td><td>the request's (its
 *     listeners then run as in a dispatch)</td></tr>
 * </table>
 */
final class AsyncState {

    /** The phases; see the class's table. */
    enum Phase { DISPATCHED, STARTED, COMPLETE_PENDING, DISPATCH_PENDING, WAITING, COMPLETED }

    /** What the request's thread does next. */
    enum Next { COMPLETE, DISPATCH, WAIT, TIMEOUT, ERROR }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Phase phase = Phase.DISPATCHED;

    Phase phase() {
        lock.lock();
        try {
            return phase;
        } finally {
            lock.unlock();
        }
    }

    /** True from startAsync until the request completes or is dispatched again. */
    boolean isAsyncStarted() {
        Phase now = phase();
        return now == Phase.STARTED || now == Phase.COMPLETE_PENDING || now == Phase.DISPATCH_PENDING
                || now == Phase.WAITING;
    }

    /**
     * The running dispatch puts the request in async mode. The dispatch's thread.
     *
     * @throws IllegalStateException outside a dispatch, or twice in one dispatch
     */
    void startAsync() {
        move(Phase.DISPATCHED, Phase.STARTED, "startAsync");
    }

    /** The application is done: completes now, or when the running dispatch returns. Any thread. */
    void complete() {
        lock.lock();
        try {
            switch (phase) {
                case STARTED -> phase = Phase.COMPLETE_PENDING;
                case WAITING -> phase = Phase.COMPLETED;
                case COMPLETE_PENDING, COMPLETED -> {
                    return; // completing twice is harmless: the first one counts
                }
                default -> throw new IllegalStateException("complete() without startAsync() (" + phase + ")");
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The application asks for a dispatch: now, or when the running dispatch returns. Any thread. */
    void dispatch() {
        lock.lock();
        try {
            switch (phase) {
                case STARTED -> phase = Phase.DISPATCH_PENDING;
                case WAITING -> phase = Phase.DISPATCHED;
                default -> throw new IllegalStateException("dispatch() needs a started async cycle that was neither "
                        + "completed nor dispatched (" + phase + ")");
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A dispatch (service, or a listener run at the timeout) has returned. The request's thread. */
    Next dispatchReturned() {
        lock.lock();
        try {
            switch (phase) {
                case DISPATCHED, COMPLETE_PENDING -> {
                    phase = Phase.COMPLETED;
                    return Next.COMPLETE;
                }
                case STARTED -> {
                    phase = Phase.WAITING;
                    return Next.WAIT;
                }
                case DISPATCH_PENDING -> {
                    phase = Phase.DISPATCHED;
                    return Next.DISPATCH;
                }
                default -> throw new IllegalStateException("dispatchReturned in " + phase);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits while the request is WAITING. The request's thread.
     *
     * @param timeoutMillis 0 or less: no timeout
     * @return COMPLETE or DISPATCH as the application asked; TIMEOUT or ERROR (interrupted: the request was
     *         aborted) with the request moved back to STARTED, so that the listeners can complete or dispatch
     */
    Next await(long timeoutMillis) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (phase == Phase.WAITING) {
                long left = deadline - System.nanoTime();
                if (timeoutMillis > 0 && left <= 0) {
                    phase = Phase.STARTED;
                    return Next.TIMEOUT;
                }
                try {
                    if (timeoutMillis > 0) {
                        changed.awaitNanos(left);
                    } else {
                        changed.await();
                    }
                } catch (InterruptedException e) {
                    phase = Phase.STARTED; // the responder interrupts a handler whose request was aborted
                    return Next.ERROR;
                }
            }
            return phase == Phase.COMPLETED ? Next.COMPLETE : Next.DISPATCH;
        } finally {
            lock.unlock();
        }
    }

    private void move(Phase from, Phase to, String what) {
        lock.lock();
        try {
            if (phase != from) {
                throw new IllegalStateException(what + "() is not allowed now (" + phase + ")");
            }
            phase = to;
        } finally {
            lock.unlock();
        }
    }
}
