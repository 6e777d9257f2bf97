package io.jfcgi.servlet;

import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * The async life of one request (Servlet 6 §2.3.3.3), one lock for all of it. A dispatch runs on some thread (the
 * first on the responder's handler thread, later ones on the application's async threads); when it returns with
 * the request in async mode the request WAITs, holding no thread: the responder request is suspended
 * ({@link io.jfcgi.responder.Request#suspend()}) and the handler thread goes back to its pool. What ends a wait
 * (the application's {@code complete} or {@code dispatch} from any thread, the timeout, an abort) hands the
 * cycle's next step to the {@link Resumer}, exactly once per wait, which runs it on an async thread.
 *
 * <table>
 * <caption>Transitions</caption>
 * <tr><th>from</th><th>to</th><th>method</th><th>thread</th></tr>
 * <tr><td>DISPATCHED</td><td>STARTED</td><td>{@link #startAsync}</td><td>the dispatch's</td></tr>
 * <tr><td>STARTED</td><td>COMPLETE_PENDING</td><td>{@link #complete}</td><td>any</td></tr>
 * <tr><td>STARTED</td><td>DISPATCH_PENDING</td><td>{@link #dispatch}</td><td>any</td></tr>
 * <tr><td>WAITING</td><td>COMPLETED</td><td>{@link #complete}</td><td>any (resumes: COMPLETE)</td></tr>
 * <tr><td>WAITING</td><td>DISPATCHED</td><td>{@link #dispatch}</td><td>any (resumes: DISPATCH)</td></tr>
 * <tr><td>DISPATCHED, COMPLETE_PENDING</td><td>COMPLETED</td><td>{@link #dispatchReturned}</td>
 *     <td>the dispatch's</td></tr>
 * <tr><td>STARTED</td><td>WAITING</td><td>{@link #dispatchReturned}</td><td>the dispatch's (ERROR instead, staying
 *     STARTED, if the request was aborted meanwhile)</td></tr>
 * <tr><td>DISPATCH_PENDING</td><td>DISPATCHED</td><td>{@link #dispatchReturned}</td><td>the dispatch's</td></tr>
 * <tr><td>WAITING</td><td>STARTED</td><td>{@link #timedOut}</td><td>the timer (resumes: TIMEOUT; the listeners
 *     then run as in a dispatch)</td></tr>
 * <tr><td>WAITING</td><td>STARTED</td><td>{@link #aborted}</td><td>the one that saw the abort (resumes:
 *     ERROR)</td></tr>
 * </table>
 */
final class AsyncState {

    /** The phases; see the class's table. */
    enum Phase { DISPATCHED, STARTED, COMPLETE_PENDING, DISPATCH_PENDING, WAITING, COMPLETED }

    /** What the request's cycle does next. */
    enum Next { COMPLETE, DISPATCH, WAIT, TIMEOUT, ERROR }

    /** Runs the cycle on from a wait that ended; called outside the lock, once per wait, on the thread that ended it. */
    @FunctionalInterface
    interface Resumer {
        void resume(Next next);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private Phase phase = Phase.DISPATCHED;
    private Resumer resumer;
    /** The web server aborted the request; reported once, as ERROR. */
    private boolean aborted;
    private boolean abortReported;
    /** Waits so far: a timer set for one wait must not end a later one. */
    private int waits;
    /** The timer of the current wait, cancelled when the wait ends another way; null without one. */
    private Future<?> timer;

    Phase phase() {
        lock.lock();
        try {
            return phase;
        } finally {
            lock.unlock();
        }
    }

    /** Where a wait's end goes; set once, by the request's first thread, before its first dispatch returns. */
    void resumeWith(Resumer resume) {
        lock.lock();
        try {
            resumer = resume;
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
        lock.lock();
        try {
            if (phase != Phase.DISPATCHED) {
                throw new IllegalStateException("startAsync() is not allowed now (" + phase + ")");
            }
            phase = Phase.STARTED;
        } finally {
            lock.unlock();
        }
    }

    /** The application is done: completes now, or when the running dispatch returns. Any thread. */
    void complete() {
        Resumer resume;
        lock.lock();
        try {
            switch (phase) {
                case STARTED -> {
                    phase = Phase.COMPLETE_PENDING;
                    return;
                }
                case WAITING -> phase = Phase.COMPLETED;
                case COMPLETE_PENDING, COMPLETED -> {
                    return; // completing twice is harmless: the first one counts
                }
                default -> throw new IllegalStateException("complete() without startAsync() (" + phase + ")");
            }
            resume = endWait();
        } finally {
            lock.unlock();
        }
        resume.resume(Next.COMPLETE);
    }

    /** The application asks for a dispatch: now, or when the running dispatch returns. Any thread. */
    void dispatch() {
        Resumer resume;
        lock.lock();
        try {
            switch (phase) {
                case STARTED -> {
                    phase = Phase.DISPATCH_PENDING;
                    return;
                }
                case WAITING -> phase = Phase.DISPATCHED;
                default -> throw new IllegalStateException("dispatch() needs a started async cycle that was neither "
                        + "completed nor dispatched (" + phase + ")");
            }
            resume = endWait();
        } finally {
            lock.unlock();
        }
        resume.resume(Next.DISPATCH);
    }

    /**
     * A dispatch (service, or listeners run at a timeout or an abort) has returned: what its thread does next.
     * WAIT means the thread leaves the request; it is resumed when the wait ends. The dispatch's thread.
     *
     * @throws IllegalStateException if the request would wait with no {@link #resumeWith resumer} set
     */
    Next dispatchReturned() {
        lock.lock();
        try {
            switch (phase) {
                case DISPATCHED, COMPLETE_PENDING -> {
                    phase = Phase.COMPLETED;
                    return Next.COMPLETE;
                }
                case STARTED -> {
                    if (aborted && !abortReported) {
                        abortReported = true;
                        return Next.ERROR; // aborted while the dispatch ran: its listeners hear it now
                    }
                    if (resumer == null) {
                        throw new IllegalStateException("an async request cannot wait without a resumer");
                    }
                    phase = Phase.WAITING;
                    waits++;
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
     * Sets the current wait's timer, if it waits still and has none: {@code schedule} gets the wait's number to
     * hand to {@link #timedOut}. Any thread; the one whose dispatch returned WAIT.
     *
     * @param millis 0 or less: no timeout
     */
    void armTimeout(long millis, IntFunction<Future<?>> schedule) {
        lock.lock();
        try {
            if (millis > 0 && phase == Phase.WAITING && timer == null) {
                timer = schedule.apply(waits);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The timer of wait number {@code wait} fired: if that wait goes on, back to STARTED and resumed with TIMEOUT. */
    void timedOut(int wait) {
        Resumer resume;
        lock.lock();
        try {
            if (phase != Phase.WAITING || wait != waits) {
                return; // that wait has ended: the timer lost its race
            }
            timer = null;
            phase = Phase.STARTED;
            resume = endWait();
        } finally {
            lock.unlock();
        }
        resume.resume(Next.TIMEOUT);
    }

    /**
     * The web server aborted the request. A wait ends at once (back to STARTED, resumed with ERROR); a running
     * dispatch finds it when it returns ({@link #dispatchReturned}). Any thread.
     */
    void aborted() {
        Resumer resume;
        lock.lock();
        try {
            aborted = true;
            if (phase != Phase.WAITING) {
                return;
            }
            abortReported = true;
            phase = Phase.STARTED;
            resume = endWait();
        } finally {
            lock.unlock();
        }
        resume.resume(Next.ERROR);
    }

    /** Under the lock, as a wait ends: its timer is dropped (so it holds no memory in the timer's queue). */
    private Resumer endWait() {
        Future<?> pending = timer;
        timer = null;
        if (pending != null) {
            pending.cancel(false);
        }
        return resumer;
    }
}
