package io.jfcgi.responder;

import io.jfcgi.responder.RequestLifecycle.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A request's phases, walked without a connection: every move from every phase, and the one race that matters. */
class RequestLifecycleTest {

    private static final Map<String, Predicate<RequestLifecycle>> MOVES = Map.of(
            "paramsEnded", RequestLifecycle::paramsEnded,
            "start", RequestLifecycle::start,
            "endRun", RequestLifecycle::endRun,
            "suspend", RequestLifecycle::suspend,
            "endSuspended", RequestLifecycle::endSuspended,
            "endUnrun", RequestLifecycle::endUnrun);

    private static RequestLifecycle in(Phase phase) {
        RequestLifecycle lifecycle = new RequestLifecycle();
        switch (phase) {
            case PARAMS -> { }
            case QUEUED -> lifecycle.paramsEnded();
            case RUNNING -> {
                lifecycle.paramsEnded();
                lifecycle.start();
            }
            case SUSPENDED -> {
                lifecycle.paramsEnded();
                lifecycle.start();
                lifecycle.suspend();
            }
            case ENDING -> lifecycle.endUnrun();
            case ENDED -> {
                lifecycle.endUnrun();
                lifecycle.ended();
            }
            default -> throw new AssertionError(phase);
        }
        assertEquals(phase, lifecycle.phase());
        return lifecycle;
    }

    @ParameterizedTest(name = "{0} --{1}--> {3} ({2})")
    @CsvSource({
        "PARAMS,    paramsEnded,  true,  QUEUED",
        "PARAMS,    start,        false, PARAMS",
        "PARAMS,    endRun,       false, PARAMS",
        "PARAMS,    suspend,      false, PARAMS",
        "PARAMS,    endSuspended, false, PARAMS",
        "PARAMS,    endUnrun,     true,  ENDING",
        "QUEUED,    paramsEnded,  false, QUEUED",
        "QUEUED,    start,        true,  RUNNING",
        "QUEUED,    endRun,       false, QUEUED",
        "QUEUED,    suspend,      false, QUEUED",
        "QUEUED,    endSuspended, false, QUEUED",
        "QUEUED,    endUnrun,     true,  ENDING",
        "RUNNING,   paramsEnded,  false, RUNNING",
        "RUNNING,   start,        false, RUNNING",
        "RUNNING,   endRun,       true,  ENDING",
        "RUNNING,   suspend,      true,  SUSPENDED",
        "RUNNING,   endSuspended, false, RUNNING",
        "RUNNING,   endUnrun,     false, RUNNING",
        "SUSPENDED, paramsEnded,  false, SUSPENDED",
        "SUSPENDED, start,        false, SUSPENDED",
        "SUSPENDED, endRun,       false, SUSPENDED",
        "SUSPENDED, suspend,      false, SUSPENDED",
        "SUSPENDED, endSuspended, true,  ENDING",
        "SUSPENDED, endUnrun,     false, SUSPENDED",
        "ENDING,    paramsEnded,  false, ENDING",
        "ENDING,    start,        false, ENDING",
        "ENDING,    endRun,       false, ENDING",
        "ENDING,    suspend,      false, ENDING",
        "ENDING,    endSuspended, false, ENDING",
        "ENDING,    endUnrun,     false, ENDING",
        "ENDED,     paramsEnded,  false, ENDED",
        "ENDED,     start,        false, ENDED",
        "ENDED,     endRun,       false, ENDED",
        "ENDED,     suspend,      false, ENDED",
        "ENDED,     endSuspended, false, ENDED",
        "ENDED,     endUnrun,     false, ENDED",
    })
    void everyMoveFromEveryPhase(Phase from, String move, boolean done, Phase to) {
        RequestLifecycle lifecycle = in(from);
        assertEquals(done, MOVES.get(move).test(lifecycle), move + " in " + from);
        assertEquals(to, lifecycle.phase());
    }

    @Test
    void onlyTheThreadThatClaimedTheEndMayMarkItEnded() {
        for (Phase phase : new Phase[] {Phase.PARAMS, Phase.QUEUED, Phase.RUNNING, Phase.SUSPENDED, Phase.ENDED}) {
            RequestLifecycle lifecycle = in(phase);
            assertThrows(IllegalStateException.class, lifecycle::ended, "from " + phase);
        }
    }

    /** An abort of a queued request races the worker that starts it: exactly one of them ends the request. */
    @Test
    void aQueuedRequestIsEitherStartedOrEndedUnrunNeverBoth() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger endedUnrun = new AtomicInteger();
        for (int i = 0; i < 2000; i++) {
            RequestLifecycle lifecycle = in(Phase.QUEUED);
            CountDownLatch go = new CountDownLatch(1);
            Thread worker = new Thread(() -> {
                awaitQuietly(go);
                if (lifecycle.start()) {
                    started.incrementAndGet();
                }
            });
            worker.start();
            go.countDown();
            if (lifecycle.endUnrun()) {
                endedUnrun.incrementAndGet();
            }
            worker.join();
        }
        assertEquals(2000, started.get() + endedUnrun.get());
    }

    /** The application's complete() races an abort of the suspended request: exactly one of them ends it. */
    @Test
    void aSuspendedRequestIsEndedByExactlyOneOfItsCompletionAndAnAbort() throws Exception {
        AtomicInteger ends = new AtomicInteger();
        for (int i = 0; i < 2000; i++) {
            RequestLifecycle lifecycle = in(Phase.SUSPENDED);
            CountDownLatch go = new CountDownLatch(1);
            Thread application = new Thread(() -> {
                awaitQuietly(go);
                if (lifecycle.endSuspended()) {
                    ends.incrementAndGet();
                }
            });
            application.start();
            go.countDown();
            if (lifecycle.endSuspended()) {
                ends.incrementAndGet();
            }
            application.join();
        }
        assertEquals(2000, ends.get());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
