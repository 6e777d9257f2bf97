package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request whose handler has returned while the response goes on: what {@link Request#suspend()} gives a
 * handler that answers later, from a thread of its own (a long poll, a servlet's {@code startAsync}). Once the
 * handler returns, its worker goes back to the pool and its handler slot is free for other requests; the request
 * keeps its place among those admitted ({@code --workers} + {@code --queue}), its PARAMS in the memory budget and
 * its body, until it ends in one of three ways:
 * <ul>
 * <li>the application writes the {@link #response()} and calls {@link #complete()}: the rest of the response and
 *     END_REQUEST go out, as when a handler returns;</li>
 * <li>the web server aborts it (FCGI_ABORT_REQUEST, or the connection is lost, or a graceful stop's grace ends):
 *     the {@link #onAbort} listener is told, and writes fail with {@link RequestAbortedException};</li>
 * <li>the handler throws after suspending: the request ends as any handler's failure does, and {@code complete()}
 *     does nothing.</li>
 * </ul>
 * A graceful stop waits for suspended requests as for running ones, up to its grace. Nothing ends a suspended
 * request that the application forgets: give it a timeout of your own.
 *
 * <p>Threads: the response is not thread-safe. Until the handler returns, write it on the handler's thread or
 * hand it over; afterwards from one thread at a time (hand it over with a happens-before edge, such as a queue
 * or a lock). {@code complete()} and {@code onAbort} may be called from any thread.
 */
public final class Suspension {

    private final Exchange exchange;
    private final Response response;
    /** complete() was called: read by the handler's thread when it returns, so a completion is never lost. */
    private volatile boolean completed;
    private volatile Runnable abortListener;
    /** Set when the request was aborted while suspended (or about to be). */
    private volatile boolean aborted;
    /** The listener runs at most once: claimed by whichever of abort and onAbort sees both set. */
    private final AtomicBoolean told = new AtomicBoolean();

    Suspension(Exchange exchange, Response response) {
        this.exchange = exchange;
        this.response = response;
    }

    /**
     * The request's response, the same one the handler was given; write it after the handler returned, then
     * {@link #complete()}.
     *
     * @return the response
     */
    public Response response() {
        return response;
    }

    /**
     * Ends the request: what is buffered goes out with the empty STDOUT and END_REQUEST (with a Content-Length if
     * the whole body is still buffered), in one write. May be called before the handler has returned: the request
     * then ends as the handler returns. Calls after the first, and calls after an abort, do nothing. A failed
     * write closes the connection, as it would for a handler; any thread.
     */
    public void complete() {
        if (completed) {
            return;
        }
        completed = true;
        exchange.endSuspended();
    }

    /**
     * Whether {@link #complete()} was called.
     *
     * @return true once complete() was called
     */
    public boolean isCompleted() {
        return completed;
    }

    /**
     * Tells {@code listener} if the web server aborts the request before it was completed: FCGI_ABORT_REQUEST,
     * the connection lost, or a graceful stop cutting it after its grace. The request has then ended already
     * (its END_REQUEST is sent if the connection is alive), and the response's writes fail with
     * {@link RequestAbortedException}. Called at most once, on the thread that saw the abort (an I/O thread or
     * the watchdog): it must be quick and must not block; hand any work to a thread of your own. If the request
     * was aborted already, it runs at once on the calling thread. A second call replaces the listener.
     *
     * @param listener what to run; not {@code null}
     */
    public void onAbort(Runnable listener) {
        if (listener == null) {
            throw new IllegalArgumentException("an abort listener is needed");
        }
        abortListener = listener;
        if (aborted) {
            tell();
        }
    }

    /** The exchange was aborted while this suspension was live (and not completed): its listener hears it. */
    void aborted() {
        if (completed) {
            return;
        }
        aborted = true;
        if (abortListener != null) {
            tell();
        }
    }

    private void tell() {
        Runnable listener = abortListener;
        if (listener != null && told.compareAndSet(false, true)) {
            listener.run();
        }
    }
}
