package io.jfcgi.servlet;

import io.jfcgi.servlet.AsyncState.Next;
import io.jfcgi.servlet.AsyncState.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every move of the async state machine from every phase, without threads but where waiting is the point. */
class AsyncStateTest {

    /** Puts a fresh state in {@code phase} through the moves that lead there. */
    private static AsyncState in(Phase phase) {
        AsyncState state = new AsyncState();
        switch (phase) {
            case DISPATCHED -> { }
            case STARTED -> state.startAsync();
            case COMPLETE_PENDING -> {
                state.startAsync();
                state.complete();
            }
            case DISPATCH_PENDING -> {
                state.startAsync();
                state.dispatch();
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

    private static String apply(AsyncState state, String move) {
        try {
            switch (move) {
                case "startAsync" -> state.startAsync();
                case "complete" -> state.complete();
                case "dispatch" -> state.dispatch();
                case "dispatchReturned" -> {
                    return state.dispatchReturned() + " " + state.phase();
                }
                default -> throw new IllegalArgumentException(move);
            }
            return state.phase().toString();
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
            "STARTED, startAsync, refused",
            "STARTED, complete, COMPLETE_PENDING",
            "STARTED, dispatch, DISPATCH_PENDING",
            "STARTED, dispatchReturned, WAIT WAITING",
            "COMPLETE_PENDING, startAsync, refused",
            "COMPLETE_PENDING, complete, COMPLETE_PENDING",
            "COMPLETE_PENDING, dispatch, refused",
            "COMPLETE_PENDING, dispatchReturned, COMPLETE COMPLETED",
            "DISPATCH_PENDING, startAsync, refused",
            "DISPATCH_PENDING, complete, refused",
            "DISPATCH_PENDING, dispatch, refused",
            "DISPATCH_PENDING, dispatchReturned, DISPATCH DISPATCHED",
            "WAITING, startAsync, refused",
            "WAITING, complete, COMPLETED",
            "WAITING, dispatch, DISPATCHED",
            "WAITING, dispatchReturned, refused",
            "COMPLETED, startAsync, refused",
            "COMPLETED, complete, COMPLETED",
            "COMPLETED, dispatch, refused",
            "COMPLETED, dispatchReturned, refused",
    })
    void moves(Phase from, String move, String to) {
        assertEquals(to, apply(in(from), move));
    }

    @ParameterizedTest
    @CsvSource({"STARTED, true", "COMPLETE_PENDING, true", "DISPATCH_PENDING, true", "WAITING, true",
            "DISPATCHED, false", "COMPLETED, false"})
    void asyncIsStartedFromStartAsyncUntilCompleteOrADispatchRuns(Phase phase, boolean started) {
        assertEquals(started, in(phase).isAsyncStarted());
    }

    @Test
    void awaitReturnsWhenAnotherThreadCompletes() throws Exception {
        AsyncState state = in(Phase.WAITING);
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Next> next = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            waiting.countDown();
            next.set(state.await(0));
        });
        waiter.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        state.complete();
        waiter.join(10_000);
        assertEquals(Next.COMPLETE, next.get());
    }

    @Test
    void awaitReturnsDispatchWhenADispatchIsAsked() {
        AsyncState state = in(Phase.WAITING);
        state.dispatch();
        assertEquals(Next.DISPATCH, state.await(0));
    }

    @Test
    void theTimeoutMovesBackToStartedSoListenersCanAct() {
        AsyncState state = in(Phase.WAITING);
        assertEquals(Next.TIMEOUT, state.await(1));
        assertEquals(Phase.STARTED, state.phase());
    }

    @Test
    void anInterruptIsAnErrorAndMovesBackToStarted() {
        AsyncState state = in(Phase.WAITING);
        Thread.currentThread().interrupt();
        assertEquals(Next.ERROR, state.await(0));
        assertEquals(Phase.STARTED, state.phase());
        assertThrows(IllegalStateException.class, state::startAsync);
    }
}
