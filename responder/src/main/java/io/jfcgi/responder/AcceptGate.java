package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the loops may still accept connections, and whether an accept is under way: what lets a graceful stop
 * know, once it has seen no connection open, that none will be taken after. An inherited listener stays open at a
 * stop (the next pool shares it), so a loop that looked just before the stop began may still take a connection;
 * its request must then be served like the others, with the workers still running.
 *
 * <pre>
 * method    thread          state                    →
 * enter()   a loop          open                     true, one more under way: it may accept
 * enter()   a loop          closed                   false: it takes nothing
 * exit()    that loop       after a true enter()     one fewer under way: its connection is open (or dropped)
 * close()   the stopping    any                      closed: no enter() succeeds from now on
 * isShut()  the stopping    closed, none under way   true: no connection will be taken any more
 * </pre>
 *
 * A loop counts itself in before it looks, the stop closes before it looks: with both volatile, either the loop
 * sees the gate closed or the stop sees the loop under way.
 */
final class AcceptGate {

    private final AtomicInteger underWay = new AtomicInteger();
    private volatile boolean closed;

    /** A loop, before it accepts one connection: true if it may; then it must call {@link #exit()}. */
    boolean enter() {
        underWay.incrementAndGet();
        if (closed) {
            underWay.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The loop that entered: the connection it took is in the open set, or was refused or dropped. */
    void exit() {
        underWay.decrementAndGet();
    }

    /** The stopping thread: no accept begins from now on. */
    void close() {
        closed = true;
    }

    /** Closed, and no accept under way: no connection will be taken any more. */
    boolean isShut() {
        return closed && underWay.get() == 0;
    }
}
