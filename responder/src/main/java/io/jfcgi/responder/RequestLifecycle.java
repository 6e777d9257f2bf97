package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where one request is, from its BEGIN_REQUEST to its END_REQUEST. Several threads race to move it (the I/O
 * thread at the end of PARAMS, a worker starting it, the handler returning, an abort, a refusal, the watchdog), so
 * every move is one compare-and-set, and exactly one thread wins the move to ENDING: that thread alone writes the
 * request's last records and its single END_REQUEST (§5.5).
 *
 * <pre>
 * from            to        method        thread
 * PARAMS          QUEUED    paramsEnded   the I/O thread (the empty PARAMS record)
 * QUEUED          RUNNING   start         the thread that runs the handler (a worker, or the I/O thread)
 * RUNNING         ENDING    endRun        that thread, once the handler has returned
 * RUNNING         SUSPENDED suspend       that thread, once a handler that called Request#suspend has returned
 * SUSPENDED       ENDING    endSuspended  any: the application's complete(), an abort, the connection's end, or
 *                                         the running thread itself when one of those came before it suspended
 * PARAMS, QUEUED  ENDING    endUnrun      any: a refusal (503, 408, 431) or an abort before the handler ran
 * ENDING          ENDED     ended         the thread that moved it to ENDING, just before the last write
 * </pre>
 *
 * <p><b>In flight</b>, in the whole responder, means: from BEGIN_REQUEST to the write of END_REQUEST, that is
 * every phase but ENDED. Three counts follow from it, each with its own edge, and no other:
 * <ul>
 * <li>the connection's {@link InFlight} counts requests in flight, including those refused at BEGIN_REQUEST,
 *     until their END_REQUEST is written: a connection closes only at zero;</li>
 * <li>the connection's table of request ids lets go of an id just before its END_REQUEST is written, since the
 *     web server may reuse the id the moment it reads it;</li>
 * <li>the {@link Scheduler} counts the <em>admitted</em> ones (QUEUED, RUNNING and SUSPENDED, until the
 *     handler returns or, when it suspended, until the request ends) against {@code --workers} + {@code
 *     --queue}.</li>
 * </ul>
 * A SUSPENDED request holds no handler slot and no thread: only its place in those counts, its PARAMS in the
 * {@link MemoryBudget} and its body buffers, until it ends.
 * Whether a request was aborted is not a phase: an abort while RUNNING only cancels the handler, which then
 * returns and ends the request as usual.
 */
final class RequestLifecycle {

    enum Phase {
        /** PARAMS records arriving. */
        PARAMS,
        /** PARAMS complete: admitted, waiting for a handler slot. */
        QUEUED,
        /** The handler runs. */
        RUNNING,
        /**
         * The handler returned but the request goes on: the application writes and completes it from a thread of
         * its own ({@link Suspension}).
         */
        SUSPENDED,
        /** One thread has claimed the end and writes the last records. */
        ENDING,
        /** END_REQUEST is written (or being written): nothing more may be written for this request. */
        ENDED
    }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.PARAMS);

    Phase phase() {
        return phase.get();
    }

    /** The I/O thread: PARAMS → QUEUED; false if the request was ended meanwhile (a timeout, an abort). */
    boolean paramsEnded() {
        return phase.compareAndSet(Phase.PARAMS, Phase.QUEUED);
    }

    /** The running thread: QUEUED → RUNNING; false if the request was ended while it waited. */
    boolean start() {
        return phase.compareAndSet(Phase.QUEUED, Phase.RUNNING);
    }

    /** The running thread, the handler returned: RUNNING → ENDING; false if it is not running. */
    boolean endRun() {
        return phase.compareAndSet(Phase.RUNNING, Phase.ENDING);
    }

    /**
     * The running thread, the handler returned after {@link Request#suspend()}: RUNNING → SUSPENDED; false if it
     * is not running.
     */
    boolean suspend() {
        return phase.compareAndSet(Phase.RUNNING, Phase.SUSPENDED);
    }

    /**
     * Any thread: ends a suspended request (the application completed it, or it was aborted): SUSPENDED → ENDING;
     * false if it is not suspended (not yet, or another thread ended it).
     */
    boolean endSuspended() {
        return phase.compareAndSet(Phase.SUSPENDED, Phase.ENDING);
    }

    /** Any thread, ending a request whose handler never ran: PARAMS or QUEUED → ENDING. */
    boolean endUnrun() {
        return phase.compareAndSet(Phase.PARAMS, Phase.ENDING) || phase.compareAndSet(Phase.QUEUED, Phase.ENDING);
    }

    /** The thread that won ENDING, before its last write: ENDING → ENDED. */
    void ended() {
        if (!phase.compareAndSet(Phase.ENDING, Phase.ENDED)) {
            throw new IllegalStateException("ended() from " + phase.get() + ", not ENDING");
        }
    }
}
