package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's requests in flight (see {@link RequestLifecycle}): begun with BEGIN_REQUEST and not yet ended
 * with their END_REQUEST on the wire; or closed, once the connection had none and decided to close. Checking for
 * none and closing are one atomic step, so a closing connection never takes a new request, and a request's last
 * records never meet a closed output.
 *
 * <pre>
 * OPEN(n) ── tryBegin ──► OPEN(n+1)      the thread that decodes BEGIN_REQUEST
 * OPEN(n) ── end ───────► OPEN(n-1)      the thread that wrote END_REQUEST (or decided to write none)
 * OPEN(0) ── closeIfNone ► CLOSED        any: the last request ended without keep-conn, idle, stopping
 * CLOSED  ── tryBegin ──► CLOSED (false) the web server sees the close and retries on another connection
 * </pre>
 */
final class InFlight {

    private static final int CLOSED = -1;
    private final AtomicInteger count = new AtomicInteger();

    /** A request begins; false if the connection is closing. */
    boolean tryBegin() {
        int n;
        do {
            n = count.get();
            if (n == CLOSED) {
                return false;
            }
        } while (!count.compareAndSet(n, n + 1));
        return true;
    }

    /** A request has ended; returns how many are left. */
    int end() {
        int left = count.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("more requests ended than began");
        }
        return left;
    }

    /** Closes if no request is in flight; true if this call closed it. */
    boolean closeIfNone() {
        return count.compareAndSet(0, CLOSED);
    }

    boolean isClosed() {
        return count.get() == CLOSED;
    }
}
