package io.jfcgi.servlet;

import io.jfcgi.servlet.AsyncState.Next;
import io.jfcgi.servlet.AsyncState.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every move of the async state machine from every phase, and what each wait's end resumes; no threads. */
class AsyncStateTest {

    /** Puts a fresh state in {@code phase} through the moves that lead there. */
    private static AsyncState in(Phase phase) {
        return in(phase, new ArrayList<>());
    }

    /** As above, and every resume goes to {@code resumed}. */
    private static AsyncState in(Phase phase, List<Next> resumed) {
        AsyncState state = new AsyncState();
        state.resumeWith(resumed::add);
        switch (phase) {
            case DISPATCHED -> { }
            case STARTED -> state.startAsync();
            case COMPLETE_PENDING -> {
                state.startAsync();
                state.complete();
            }
            case DISPATCH_PENDING -> {
                state.startAsync();
                state.dispatch(); // the dispatch runs, and starts a new cycle
            }
            case WAITING -> {
                state.startAsync();
                state.dispatchReturned();
            }
            case COMPLETED -> state.dispatchReturned();
        }
        assertEquals(phase, state.phase());
        return state;
    }

    /** The phase after {@code move}, with what was resumed if anything, or "refused". */
    private static String apply(Phase from, String move) {
        List<Next> resumed = new ArrayList<>();
        AsyncState state = in(from, resumed);
        try {
            switch (move) {
                case "startAsync" -> state.startAsync();
                case "complete" -> state.complete();
                case "dispatch" -> state.dispatch();
                case "timedOut" -> state.timedOut(1); // the first wait's timer
                case "aborted" -> state.aborted();
                case "dispatchReturned" -> {
                    return state.dispatchReturned() + " " + state.phase();
                }
                default -> throw new IllegalArgumentException(move);
            }
            return state.phase() + (resumed.isEmpty() ? "" : " resumed " + resumed);
        } catch (IllegalStateException e) {
            return "refused";
        }
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource({
            "DISPATCHED, startAsync, STARTED",
            "DISPATCHED, complete, refused",
            "DISPATCHED, dispatch, refused",
            "DISPATCHED, dispatchReturned, COMPLETE COMPLETED",
            "DISPATCHED, timedOut, DISPATCHED",
            "DISPATCHED, aborted, DISPATCHED",
            "STARTED, startAsync, refused",
            "STARTED, complete, COMPLETE_PENDING",
            "STARTED, dispatch, DISPATCH_PENDING",
            "STARTED, dispatchReturned, WAIT WAITING",
            "STARTED, timedOut, STARTED",
            "STARTED, aborted, STARTED",
            "COMPLETE_PENDING, startAsync, refused",
            "COMPLETE_PENDING, complete, COMPLETE_PENDING",
            "COMPLETE_PENDING, dispatch, refused",
            "COMPLETE_PENDING, dispatchReturned, COMPLETE COMPLETED",
            "COMPLETE_PENDING, timedOut, COMPLETE_PENDING",
            "COMPLETE_PENDING, aborted, COMPLETE_PENDING",
            "DISPATCH_PENDING, startAsync, refused",
            "DISPATCH_PENDING, complete, refused",
            "DISPATCH_PENDING, dispatch, refused",
            "DISPATCH_PENDING, dispatchReturned, DISPATCH DISPATCHED",
            "DISPATCH_PENDING, timedOut, DISPATCH_PENDING",
            "DISPATCH_PENDING, aborted, DISPATCH_PENDING",
            "WAITING, startAsync, refused",
            "WAITING, complete, COMPLETED resumed [COMPLETE]",
            "WAITING, dispatch, DISPATCHED resumed [DISPATCH]",
            "WAITING, dispatchReturned, refused",
            "WAITING, timedOut, STARTED resumed [TIMEOUT]",
            "WAITING, aborted, STARTED resumed [ERROR]",
            "COMPLETED, startAsync, refused",
            "COMPLETED, complete, COMPLETED",
            "COMPLETED, dispatch, refused",
            "COMPLETED, dispatchReturned, refused",
            "COMPLETED, timedOut, COMPLETED",
            "COMPLETED, aborted, COMPLETED",
    })
    void moves(Phase from, String move, String to) {
        assertEquals(to, apply(from, move));
    }

    @ParameterizedTest
    @CsvSource({"STARTED, true", "COMPLETE_PENDING, true", "DISPATCH_PENDING, true", "WAITING, true",
            "DISPATCHED, false", "COMPLETED, false"})
    void asyncIsStartedFromStartAsyncUntilCompleteOrADispatchRuns(Phase phase, boolean started) {
        assertEquals(started, in(phase).isAsyncStarted());
    }

    @Test
    void aTimerOfAnEarlierWaitDoesNotEndALaterOne() {
        List<Next> resumed = new ArrayList<>();
        AsyncState state = in(Phase.WAITING, resumed); // wait 1
        state.dispatch(); // the dispatch runs, and starts a new cycle
        state.startAsync();
        assertEquals(Next.WAIT, state.dispatchReturned()); // wait 2
        state.timedOut(1);
        assertEquals(Phase.WAITING, state.phase());
        state.timedOut(2);
        assertEquals(List.of(Next.DISPATCH, Next.TIMEOUT), resumed);
    }

    @Test
    void anAbortDuringADispatchIsReportedOnceWhenTheDispatchReturns() {
        List<Next> resumed = new ArrayList<>();
        AsyncState state = in(Phase.STARTED, resumed);
        state.aborted();
        assertEquals(Next.ERROR, state.dispatchReturned());
        assertEquals(Phase.STARTED, state.phase());
        assertEquals(Next.WAIT, state.dispatchReturned(), "reported once: a listener that neither completes nor "
                + "dispatches leaves it waiting for its timeout");
        assertTrue(resumed.isEmpty());
    }

    @Test
    void aWaitGetsOneTimerWhichItsEndCancels() {
        AsyncState state = in(Phase.WAITING);
        List<Integer> armed = new ArrayList<>();
        CompletableFuture<Void> timer = new CompletableFuture<>();
        state.armTimeout(30_000, wait -> {
            armed.add(wait);
            return timer;
        });
        state.armTimeout(30_000, wait -> {
            armed.add(wait);
            return timer;
        });
        assertEquals(List.of(1), armed);
        state.complete();
        assertTrue(timer.isCancelled());
    }

    @Test
    void noTimerWithoutATimeoutNorOnceTheWaitEnded() {
        AsyncState noTimeout = in(Phase.WAITING);
        noTimeout.armTimeout(0, wait -> {
            throw new AssertionError("no timer for a timeout of 0");
        });
        AsyncState ended = in(Phase.COMPLETED);
        ended.armTimeout(50, wait -> {
            throw new AssertionError("no timer once the wait ended");
        });
    }

    @Test
    void aRequestCannotWaitWithNoResumer() {
        AsyncState state = new AsyncState();
        state.startAsync();
        assertThrows(IllegalStateException.class, state::dispatchReturned);
    }
}
