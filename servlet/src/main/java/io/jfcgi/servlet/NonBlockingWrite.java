package io.jfcgi.servlet;

import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response body written under a {@link WriteListener} (Servlet 6.1 §5.3): a write that may wait (one that
 * leaves the buffer for the socket) is handed to a task on the async threads and the application's call returns
 * at once; until that task is done {@link #isReady()} is false, and a {@code false} it returned is answered by
 * {@code onWritePossible} on the task's thread once the bytes are gone. Writes that only fill the buffer never
 * wait and stay on the caller's thread.
 *
 * <table>
 * <caption>Transitions</caption>
 * <tr><th>from</th><th>to</th><th>method</th><th>thread</th></tr>
 * <tr><td>(new)</td><td>WRITING</td><td>{@link #start}: the first onWritePossible</td>
 *     <td>the application's (setWriteListener)</td></tr>
 * <tr><td>READY</td><td>WRITING</td><td>{@link #handOff}</td><td>any application thread</td></tr>
 * <tr><td>WRITING</td><td>READY</td><td>{@link #written}: onWritePossible if isReady() said false</td>
 *     <td>the write task</td></tr>
 * <tr><td>WRITING, READY</td><td>FAILED</td><td>{@link #failed}: onError</td><td>the write task</td></tr>
 * </table>
 */
final class NonBlockingWrite {

    /** The phases; see the class's table. */
    enum Phase { READY, WRITING, FAILED }

    /** A write that may wait for the socket. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    private final WriteListener listener;
    private final ListenerThreads threads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private Phase phase = Phase.WRITING;
    /** isReady() said false during this write: onWritePossible is owed. */
    private boolean owed;
    private IOException failure;

    NonBlockingWrite(WriteListener listener, ListenerThreads threads) {
        this.listener = listener;
        this.threads = threads;
    }

    Phase phase() {
        lock.lock();
        try {
            return phase;
        } finally {
            lock.unlock();
        }
    }

    /** The listener is set: onWritePossible runs once at first, as if a write had just finished. */
    void start() {
        lock.lock();
        try {
            owed = true;
        } finally {
            lock.unlock();
        }
        threads.execute(() -> written());
    }

    /** False while a write is under way (onWritePossible then follows it) or after a failure. Any thread. */
    boolean isReady() {
        lock.lock();
        try {
            if (phase == Phase.WRITING) {
                owed = true;
            }
            return phase == Phase.READY;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code write} on an async thread; returns at once. Any application thread.
     *
     * @throws IllegalStateException while the last write is under way (isReady() is false)
     * @throws IOException after a failed write
     */
    void handOff(Write write) throws IOException {
        lock.lock();
        try {
            check();
            phase = Phase.WRITING;
        } finally {
            lock.unlock();
        }
        threads.execute(() -> {
            try {
                write.run();
            } catch (IOException | RuntimeException e) {
                failed(e);
                return;
            }
            written();
        });
    }

    /**
     * A write that will not wait runs now on the caller's thread, only when none is under way. Any application
     * thread.
     */
    void checkWritable() throws IOException {
        lock.lock();
        try {
            check();
        } finally {
            lock.unlock();
        }
    }

    private void check() throws IOException {
        if (phase == Phase.FAILED) {
            throw new IOException("an earlier write failed", failure);
        }
        if (phase == Phase.WRITING) {
            throw new IllegalStateException("write while isReady() is false: wait for onWritePossible");
        }
    }

    /** The write (or the start) is done: onWritePossible if it is owed. The write task. */
    void written() {
        boolean tell;
        lock.lock();
        try {
            if (phase == Phase.FAILED) {
                return;
            }
            phase = Phase.READY;
            tell = owed;
            owed = false;
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        if (tell) {
            try {
                threads.call(listener::onWritePossible);
            } catch (Exception | LinkageError e) {
                failed(e);
            }
        }
    }

    /** A write failed, or onWritePossible threw: onError, once. The write task. */
    void failed(Throwable error) {
        lock.lock();
        try {
            if (phase == Phase.FAILED) {
                return;
            }
            phase = Phase.FAILED;
            failure = error instanceof IOException io ? io : new IOException(error);
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            threads.call(() -> listener.onError(error));
        } catch (RuntimeException | LinkageError e) {
            threads.log("WriteListener " + listener.getClass().getName() + ".onError failed: " + e);
        }
    }

    /**
     * Waits until no write is under way, so that the response can be finished. The request's thread, after the
     * application completed; bounded, since a write stuck on a dead socket ends with the connection.
     */
    void awaitIdle(long millis) throws InterruptedException {
        lock.lock();
        try {
            long left = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
            while (phase == Phase.WRITING && left > 0) {
                left = idle.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
