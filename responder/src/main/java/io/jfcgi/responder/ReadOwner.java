package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who reads a connection's socket now, and whether its selector should report it readable: everything that
 * decides a connection's reading lives here, as h11 keeps its whole state machine in one file. Two bugs came
 * from this state being spread over a dozen fields of {@link Connection} ("read interest dropped, never
 * restored", twice); here every change of it is one method, under one lock, that also settles the interest.
 *
 * <p>The owner, one of {@link Owner}:
 * <pre>
 * from          to            method                 thread                when
 * LOOP          PULLER_IDLE   handToPuller(p, now)   the drive holder      a request alone on its connection
 *                                                                          starts before its body has all come
 * WAITER        PULLER_IDLE   handToPuller(p, now)   the waiter, driving   as above, read by the waiter
 * LOOP          WAITER        beginWait()            a worker              it answered the connection's last
 *                                                                          request; nobody drives, none in flight
 * WAITER        LOOP          endWait()              the waiter            its wait is over (timed out, asked
 *                                                                          back, or a request it cannot run)
 * PULLER_IDLE   PULLING       beginPull(p, eligible) the puller's handler  its body buffer is empty
 * LOOP          PULLING       beginPull(p, true)     the puller's handler  as above, the connection eligible
 * PULLING       PULLER_IDLE   endPull(p, now)        the puller's handler  one read done
 * PULLING,
 * PULLER_IDLE   LOOP          releasePuller(p)       any                   its body ended, its request ended, or
 *                                                                          the peer started to multiplex
 * PULLER_IDLE   LOOP          releaseIdlePuller(s)   the loop (posted by   the handler left its body alone for
 *                                                    the watchdog)         100 ms: state s is still the one seen
 * LOOP, WAITER,
 * PULLING,
 * PULLER_IDLE   PAUSED        pause(held, now)       the drive holder      a body record did not fit its buffer
 * PAUSED        LOOP          resumed()              the drive holder      the held record fitted
 * any           CLOSED        close()                the drive holder      the connection ended
 * </pre>
 * A transition asked for from another state does nothing and says so ({@code false}): the race it lost has
 * already moved the connection on.
 *
 * <p><b>The drive.</b> Separately from who owns the reading, one thread at a time actually reads and decodes:
 * the one that raised {@link #tryTakeDrive} from 0. Others that want a drive meanwhile (a readable socket seen by
 * a fresh loop runner while the old one is still in a handler, a body buffer with room again, a close) only
 * count up, and the holder drives once more for each before it lets go ({@link #giveBackDrive}).
 *
 * <p><b>Read interest.</b> Wanted while the loop owns the reading and no other thread holds the drive. Dropped
 * lazily (when the selector reports a socket that someone else reads, or that another thread is driving) and
 * eagerly at a pause; restored by every transition back to LOOP and when the drive is given back. Changes happen
 * under the lock, together with the state they follow from, so a drop can never land after the restore meant to
 * undo it.
 *
 * @param <P> the request whose handler pulls its own body ({@link Exchange}; any type in tests)
 * @param <H> what a pause holds: the body record that did not fit
 */
final class ReadOwner<P, H> {

    /** Who reads the socket. */
    enum Owner {
        /** The connection's I/O thread, when the selector reports bytes. */
        LOOP,
        /** Nobody: a body record waits for room in its request's full buffer (TCP back-pressure). */
        PAUSED,
        /** The handler of the request alone on the connection, reading its streaming body on its own thread. */
        PULLING,
        /** That handler, between two reads: nobody reads; the loop takes over after it idles for 100 ms. */
        PULLER_IDLE,
        /**
         * A worker that has answered the connection's last request, waiting on it for the next one and running
         * it itself, as libfcgi's thread blocks in {@code read} on its connection: no hand-off per request.
         */
        WAITER,
        /** Nobody, ever again. */
        CLOSED
    }

    /**
     * One immutable snapshot: the owner, the pulling request and its reading thread (PULLING, PULLER_IDLE; WAITER:
     * the waiting worker), since
     * when (PULLER_IDLE: idle since; PAUSED: paused since), and the held record (PAUSED).
     */
    record State<P, H>(Owner owner, P puller, Thread reader, long since, H held) {
    }

    /** Sets the selector's read interest of the connection: the only side effect of this class. */
    @FunctionalInterface
    interface Interest {
        void set(boolean read);
    }

    private final Interest interest;
    private final AtomicInteger drives = new AtomicInteger();
    private volatile State<P, H> state = new State<>(Owner.LOOP, null, null, 0, null);
    /**
     * What the selector was last told: the interest starts on at registration. Written under the lock; volatile
     * so that giving back a drive, once per request, looks without taking it.
     */
    private volatile boolean interestOn = true;
    /** The loop found the socket readable while another thread held the drive (written under the lock). */
    private volatile boolean parked;

    ReadOwner(Interest interest) {
        this.interest = interest;
    }

    State<P, H> state() {
        return state;
    }

    Owner owner() {
        return state.owner();
    }

    /** The request whose handler reads the connection (PULLING or PULLER_IDLE), else null. */
    P puller() {
        State<P, H> now = state;
        return now.owner() == Owner.PULLING || now.owner() == Owner.PULLER_IDLE ? now.puller() : null;
    }

    /** The record a pause holds, else null. */
    H held() {
        return state.held();
    }

    boolean isClosed() {
        return state.owner() == Owner.CLOSED;
    }

    /** Whether {@code thread}, holding the drive, may read the socket now. */
    boolean mayRead(Thread thread) {
        State<P, H> now = state;
        return now.owner() == Owner.LOOP
                || (now.owner() == Owner.PULLING || now.owner() == Owner.WAITER) && now.reader() == thread;
    }

    /** Whether {@code thread} is the worker waiting on the connection for its next request. */
    boolean isWaiter(Thread thread) {
        State<P, H> now = state;
        return now.owner() == Owner.WAITER && now.reader() == thread;
    }

    // ---- the drive -------------------------------------------------------------------------------------------

    /** Any thread: true if this thread now holds the drive; else the holder drives once more on its behalf. */
    boolean tryTakeDrive() {
        return drives.getAndIncrement() == 0;
    }

    /**
     * The drive holder gives back {@code missed} drives (its own first, 1).
     *
     * @return how many were asked for meanwhile: the holder drives again and gives those back; 0 when done
     */
    int giveBackDrive(int missed) {
        int left = drives.addAndGet(-missed);
        // A loop that parks after this look sees the drive at 0 itself and restores the interest.
        if (left == 0 && (parked || !interestOn)) {
            synchronized (this) {
                parked = false;
                restoreIfWanted();
            }
        }
        return left;
    }

    /**
     * The loop thread: the selector reports the socket readable.
     *
     * @return true if the loop now holds the drive and must drive; false if someone else reads (the interest is
     *         dropped until the reading is the loop's again)
     */
    boolean loopSawReadable() {
        if (state.owner() == Owner.LOOP && tryTakeDrive()) {
            return true; // the usual case, without the lock
        }
        synchronized (this) {
            if (state.owner() == Owner.LOOP) {
                // Another thread drives (a handed-off runner still in its handler); it drives once more for the
                // count just taken, and restores the interest when it gives the drive back.
                parked = true;
                drop();
                if (drives.get() == 0) {
                    parked = false; // it already gave it back
                    restoreIfWanted();
                }
            } else {
                drop(); // the owner reads (a puller), or nobody should (paused, closed)
            }
        }
        return false;
    }

    // ---- transitions -----------------------------------------------------------------------------------------

    /**
     * The drive holder (the loop, or the waiter): LOOP or WAITER → PULLER_IDLE; the handler of {@code puller} reads
     * its body from now on.
     */
    synchronized boolean handToPuller(P puller, long now) {
        if (state.owner() != Owner.LOOP && !isWaiter(Thread.currentThread())) {
            return false;
        }
        state = new State<>(Owner.PULLER_IDLE, puller, null, now, null);
        return true;
    }

    /**
     * The puller's handler thread, its body buffer empty: PULLER_IDLE (or LOOP, when the connection is
     * {@code eligible}: one request, no multiplexing) → PULLING, if it can take the drive now. If the drive is
     * busy it still claims the reading (PULLER_IDLE), so the holder stops reading and kicks it when done.
     *
     * @return true if this thread holds the drive and may read
     */
    synchronized boolean beginPull(P puller, boolean eligible, long now) {
        State<P, H> current = state;
        boolean owned = current.owner() == Owner.PULLER_IDLE && current.puller() == puller;
        if (!owned && !(current.owner() == Owner.LOOP && eligible)) {
            return false;
        }
        if (!drives.compareAndSet(0, 1)) {
            if (!owned) {
                state = new State<>(Owner.PULLER_IDLE, puller, null, now, null);
            }
            return false;
        }
        state = new State<>(Owner.PULLING, puller, Thread.currentThread(), 0, null);
        return true;
    }

    /** The puller's handler thread, after its read: PULLING → PULLER_IDLE since {@code now}. */
    synchronized boolean endPull(P puller, long now) {
        State<P, H> current = state;
        if (current.owner() != Owner.PULLING || current.puller() != puller) {
            return false; // released or paused meanwhile
        }
        state = new State<>(Owner.PULLER_IDLE, puller, null, now, null);
        return true;
    }

    /** Any thread: PULLING or PULLER_IDLE of {@code puller} → LOOP, and the loop reads again. */
    boolean releasePuller(P puller) {
        if (state.puller() != puller || puller == null) {
            return false; // every request's end asks: without the lock when it is not the puller
        }
        synchronized (this) {
            State<P, H> current = state;
            if (current.owner() != Owner.PULLING && current.owner() != Owner.PULLER_IDLE
                    || current.puller() != puller) {
                return false;
            }
            toLoop();
            return true;
        }
    }

    /**
     * The loop thread, posted by the watchdog, which saw {@code seen}: PULLER_IDLE → LOOP, unless the state has
     * moved on since (the handler read again, or its request ended).
     */
    synchronized boolean releaseIdlePuller(State<P, H> seen) {
        if (state != seen || seen.owner() != Owner.PULLER_IDLE) {
            return false;
        }
        toLoop();
        return true;
    }

    /**
     * A worker whose request was the connection's last in flight: LOOP → WAITER, unless another thread drives it
     * now (its bytes are being read: the loop runs what comes). The loop stops watching the socket.
     */
    synchronized boolean beginWait() {
        if (state.owner() != Owner.LOOP || drives.get() != 0) {
            return false;
        }
        state = new State<>(Owner.WAITER, null, Thread.currentThread(), 0, null);
        drop();
        return true;
    }

    /** The waiter: WAITER → LOOP, and the loop watches the socket again; false if the state has moved on. */
    synchronized boolean endWait() {
        if (!isWaiter(Thread.currentThread())) {
            return false;
        }
        toLoop();
        return true;
    }

    /** The drive holder: a body record does not fit its buffer; nobody reads until {@link #resumed}. */
    synchronized boolean pause(H held, long now) {
        Owner owner = state.owner();
        if (owner == Owner.PAUSED || owner == Owner.CLOSED) {
            return false;
        }
        // A puller is let go: after the pause the loop reads, and the handler takes the reading back when it can.
        state = new State<>(Owner.PAUSED, null, null, now, held);
        drop();
        return true;
    }

    /** The drive holder: the held record fitted; PAUSED → LOOP. */
    synchronized boolean resumed() {
        if (state.owner() != Owner.PAUSED) {
            return false;
        }
        toLoop();
        return true;
    }

    /** The drive holder: the connection has ended. */
    synchronized void close() {
        state = new State<>(Owner.CLOSED, null, null, 0, null);
    }

    private void toLoop() {
        state = new State<>(Owner.LOOP, null, null, 0, null);
        restoreIfWanted();
    }

    private void drop() {
        if (interestOn) {
            interestOn = false;
            interest.set(false);
        }
    }

    private void restoreIfWanted() {
        if (!interestOn && !parked && state.owner() == Owner.LOOP) {
            interestOn = true;
            interest.set(true);
        }
    }
}
