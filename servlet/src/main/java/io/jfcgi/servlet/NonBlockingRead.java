package io.jfcgi.servlet;

import io.jfcgi.responder.RequestAbortedException;
import jakarta.servlet.ReadListener;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request body read through a {@link ReadListener} (Servlet 6.1 §5.3): one chunk of the body at a time is
 * fetched by a task on the async threads (the only place that may wait for bytes), then handed to
 * {@code onDataAvailable}; the application reads it while {@link #isReady()} is true, and the {@code false} that
 * ends the chunk sends the task for the next one. One task runs at a time, so listener calls never overlap.
 *
 * <table>
 * <caption>Transitions</caption>
 * <tr><th>from</th><th>to</th><th>method</th><th>thread</th></tr>
 * <tr><td>(new)</td><td>FETCHING</td><td>{@link #start}</td><td>the application's (setReadListener)</td></tr>
 * <tr><td>FETCHING</td><td>AVAILABLE</td><td>{@link #fetched} with bytes: onDataAvailable</td>
 *     <td>the fetch task</td></tr>
 * <tr><td>FETCHING</td><td>ENDED</td><td>{@link #fetched} at the end: onAllDataRead</td><td>the fetch task</td></tr>
 * <tr><td>AVAILABLE</td><td>FETCHING</td><td>{@link #isReady} with the chunk read (starts a task unless one
 *     runs)</td><td>any application thread</td></tr>
 * <tr><td>FETCHING, AVAILABLE</td><td>FAILED</td><td>{@link #failed}: onError</td><td>the fetch task</td></tr>
 * <tr><td>any</td><td>CLOSED</td><td>{@link #close}: nothing more is told but an abort's onError</td>
 *     <td>the request's</td></tr>
 * </table>
 */
final class NonBlockingRead {

    /** The phases; see the class's table. */
    enum Phase { FETCHING, AVAILABLE, ENDED, FAILED, CLOSED }

    private final InputStream source;
    private final ReadListener listener;
    private final ListenerThreads threads;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] chunk;
    private int position;
    private int limit;
    private Phase phase = Phase.FETCHING;
    /** A fetch task is running (between its start and its return): a second one is never started. */
    private boolean running;

    NonBlockingRead(InputStream source, ReadListener listener, ListenerThreads threads, int chunkSize) {
        this.source = source;
        this.listener = listener;
        this.threads = threads;
        this.chunk = new byte[chunkSize];
    }

    Phase phase() {
        lock.lock();
        try {
            return phase;
        } finally {
            lock.unlock();
        }
    }

    /** The listener is set: the first fetch starts. The application's thread. */
    void start() {
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
        threads.execute(this::fetchLoop);
    }

    /**
     * True while bytes of the chunk are left (or the body has ended); false sends for the next chunk, and
     * onDataAvailable follows once it is there. Any thread.
     */
    boolean isReady() {
        boolean startTask = false;
        lock.lock();
        try {
            switch (phase) {
                case ENDED -> {
                    return true;
                }
                case AVAILABLE -> {
                    if (position < limit || fillFromBuffered()) {
                        return true;
                    }
                    phase = Phase.FETCHING;
                    startTask = !running;
                    running = true;
                }
                default -> {
                    return false;
                }
            }
        } finally {
            lock.unlock();
        }
        if (startTask) {
            threads.execute(this::fetchLoop);
        }
        return false;
    }

    /** The body has ended and all of it was read. */
    boolean isFinished() {
        return phase() == Phase.ENDED;
    }

    /**
     * Reads what the chunk holds (or what has already arrived), never waiting. Any application thread.
     *
     * @throws IllegalStateException when nothing can be read without waiting: isReady() would have said false
     */
    int read(byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            if (phase == Phase.ENDED) {
                return -1;
            }
            if (phase == Phase.AVAILABLE && (position < limit || fillFromBuffered())) {
                int n = Math.min(length, limit - position);
                System.arraycopy(chunk, position, buffer, offset, n);
                position += n;
                return n;
            }
            if (phase == Phase.FAILED || phase == Phase.CLOSED) {
                throw new IOException("the request body failed or was closed");
            }
            throw new IllegalStateException("read() while isReady() is false: wait for onDataAvailable");
        } finally {
            lock.unlock();
        }
    }

    /** The request has ended: a fetch still waiting ends quietly. The request's thread. */
    void close() {
        lock.lock();
        try {
            phase = Phase.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes bytes that already arrived into the empty chunk without waiting (a read of the responder's body
     * waits only when it holds nothing). Holding the lock. A failure is left for the fetch task to find.
     */
    private boolean fillFromBuffered() {
        try {
            if (source.available() > 0) {
                int n = source.read(chunk, 0, chunk.length);
                if (n > 0) {
                    position = 0;
                    limit = n;
                    return true;
                }
            }
        } catch (IOException e) {
            // the fetch that follows meets it again and tells onError
        }
        return false;
    }

    /** The fetch task: waits for a chunk, tells the listener, and goes on while the listener asks for more. */
    private void fetchLoop() {
        while (true) {
            int n;
            try {
                n = source.read(chunk, 0, chunk.length); // the one place that waits for body bytes
            } catch (IOException e) {
                failed(e);
                return;
            }
            if (!fetched(n)) {
                return;
            }
            try {
                if (n < 0) {
                    threads.call(listener::onAllDataRead);
                } else {
                    threads.call(listener::onDataAvailable);
                }
            } catch (Exception | LinkageError e) {
                failed(e);
                return;
            }
            if (!fetchAgain()) {
                return;
            }
        }
    }

    /**
     * A chunk (or the end, {@code n < 0}) has arrived. The fetch task.
     *
     * @return false if the request has ended meanwhile: nothing is told
     */
    boolean fetched(int n) {
        lock.lock();
        try {
            if (phase != Phase.FETCHING) {
                running = false;
                return false;
            }
            if (n < 0) {
                phase = Phase.ENDED;
            } else {
                phase = Phase.AVAILABLE;
                position = 0;
                limit = n;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** After a listener call: whether isReady() said false meanwhile (then this task fetches on). */
    private boolean fetchAgain() {
        lock.lock();
        try {
            if (phase == Phase.FETCHING) {
                return true;
            }
            running = false;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Reading failed, or a listener method threw: onError, unless the request has ended. The fetch task. */
    void failed(Throwable error) {
        lock.lock();
        try {
            running = false;
            // An abort still reaches onError when the request's thread, woken by the same abort, ended it first
            boolean quiet = phase == Phase.CLOSED && !(error instanceof RequestAbortedException);
            if (quiet || phase == Phase.FAILED) {
                return;
            }
            phase = Phase.FAILED;
        } finally {
            lock.unlock();
        }
        try {
            threads.call(() -> listener.onError(error));
        } catch (RuntimeException | LinkageError e) {
            threads.log("ReadListener " + listener.getClass().getName() + ".onError failed: " + e);
        }
    }
}
