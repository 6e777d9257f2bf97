package io.jfcgi.responder;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which requests the process takes: at most {@code --workers} + {@code --queue} admitted (running or waiting for
 * a worker). A request beyond that from a peer that sends one request per connection (nginx, Apache, lighttpd) is
 * refused (503, and the web server tries elsewhere); one from a multiplexing connection (HAProxy) waits on its
 * connection instead ({@link ParkedRequests}, up to {@code --mux-queue}), since that connection was promised
 * {@code FCGI_MAX_REQS} of them, and is admitted when an admitted request finishes, lanes taking turns.
 *
 * <pre>
 * admit:    admitted &lt; max                          → ADMITTED (admitted+1)
 *           full, lane given, parked &lt; mux queue    → PARKED   (parked+1)
 *           full otherwise                          → REFUSED
 * finished: admitted-1; then while parked and admitted &lt; max: admitted+1, parked-1, the next one starts
 * </pre>
 *
 * A request that finishes and a request that parks each check the other's count after changing their own, so a
 * parked request is never left waiting with nothing running that would admit it. The path of a request that is
 * admitted at once costs one atomic increment, and its end one decrement and one volatile read, as before.
 *
 * @param <R> a request
 */
final class Admission<R> {

    /** What {@link #admit} decided. */
    enum Outcome {
        /** Admitted: the caller runs it. */
        ADMITTED,
        /** Waits on its connection: it is started (admitted) later, by whichever thread frees a place. */
        PARKED,
        /** Refused: the caller answers 503. */
        REFUSED
    }

    private final int maxAdmitted;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ParkedRequests<R> parked;
    private final Predicate<? super R> gone;
    private final Consumer<? super R> start;

    /**
     * @param maxAdmitted {@code --workers} + {@code --queue}
     * @param muxQueue    requests that may wait on multiplexing connections beyond that
     * @param gone        a parked request that no longer needs running (aborted while it waited)
     * @param start       runs a parked request once it is admitted; it must end with {@link #finished()} (or
     *                    {@link #cancelled()} if it could not be run)
     */
    Admission(int maxAdmitted, int muxQueue, Predicate<? super R> gone, Consumer<? super R> start) {
        this.maxAdmitted = maxAdmitted;
        this.parked = new ParkedRequests<>(muxQueue);
        this.gone = gone;
        this.start = start;
    }

    /** A lane for a connection whose peer multiplexes; made when its first request has to wait. */
    ParkedRequests.Lane<R> lane() {
        return parked.lane();
    }

    /**
     * The thread that read the end of the request's PARAMS: admits it, parks it (only with a {@code lane}: its
     * connection multiplexes), or refuses it.
     */
    Outcome admit(R request, ParkedRequests.Lane<R> lane) {
        if (admitted.incrementAndGet() <= maxAdmitted) {
            return Outcome.ADMITTED;
        }
        admitted.decrementAndGet();
        if (lane == null || !parked.park(request, lane)) {
            return Outcome.REFUSED;
        }
        admitParked(); // a request may have finished since the count above, with none parked to admit yet
        return Outcome.PARKED;
    }

    /** Any thread: an admitted request is done (its handler returned); a parked one may take its place. */
    void finished() {
        admitted.decrementAndGet();
        if (!parked.isEmpty()) {
            admitParked();
        }
    }

    /** Any thread: an admitted request could not be run (the server is stopping); frees its place only. */
    void cancelled() {
        admitted.decrementAndGet();
    }

    /** Any thread: a connection has ended; its parked requests (all aborted) are dropped. */
    void forget(ParkedRequests.Lane<R> lane) {
        parked.forget(lane);
    }

    int admitted() {
        return admitted.get();
    }

    int parked() {
        return parked.count();
    }

    /** Admits parked requests while there is room, one lane's turn each. */
    private void admitParked() {
        while (!parked.isEmpty()) {
            if (admitted.incrementAndGet() > maxAdmitted) {
                admitted.decrementAndGet();
                return; // the request that holds the place will look again when it finishes
            }
            R next = parked.next(gone);
            if (next == null) {
                admitted.decrementAndGet(); // another thread took it; look again: one may have parked meanwhile
                continue;
            }
            start.accept(next);
        }
    }
}
