package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule that keeps quick handlers on the I/O thread: the median of the last 16 runs' wall time under 200 µs. */
class QuickHandlersTest {

    private static final long QUICK = 20_000;
    private static final long DESCHEDULED = 5_000_000;
    private static final long SLEEPS_1MS = 1_050_000;

    private static void record(QuickHandlers handlers, int times, long nanos) {
        for (int i = 0; i < times; i++) {
            handlers.record(nanos);
        }
    }

    @Test
    void handlersAreQuickBeforeAnyHasRun() {
        assertTrue(new QuickHandlers().areQuick());
    }

    @Test
    void aQuickHandlerStaysOnTheLoopThoughSomeOfItsRunsWereDescheduled() {
        QuickHandlers handlers = new QuickHandlers();
        for (int i = 0; i < 100; i++) { // one run in three cut by the scheduler for milliseconds
            handlers.record(i % 3 == 0 ? DESCHEDULED : QUICK);
            assertTrue(handlers.areQuick(), "run " + i);
        }
    }

    @Test
    void aHandlerThatSleepsGoesToTheWorkersThoughItCostsNoCpu() {
        QuickHandlers handlers = new QuickHandlers();
        record(handlers, QuickHandlers.WINDOW, QUICK);
        record(handlers, QuickHandlers.WINDOW / 2, SLEEPS_1MS);
        assertFalse(handlers.areQuick());
    }

    @Test
    void aHandlerThatSleepsStaysOnTheWorkersThoughSomeRunsAreQuick() {
        QuickHandlers handlers = new QuickHandlers();
        for (int i = 0; i < 100; i++) { // most runs block; a few answer at once (a cache hit)
            handlers.record(i % 4 == 0 ? QUICK : SLEEPS_1MS);
        }
        assertFalse(handlers.areQuick());
    }

    @Test
    void fewerThanHalfOfTheWindowSlowIsStillQuick() {
        QuickHandlers handlers = new QuickHandlers();
        record(handlers, QuickHandlers.WINDOW / 2 + 1, QUICK);
        record(handlers, QuickHandlers.WINDOW / 2 - 1, SLEEPS_1MS);
        assertTrue(handlers.areQuick());
    }

    @Test
    void aRunOfExactlyTheBoundCountsAsSlow() {
        QuickHandlers handlers = new QuickHandlers();
        record(handlers, QuickHandlers.WINDOW / 2, QuickHandlers.QUICK_NANOS);
        assertFalse(handlers.areQuick());
    }

    @Test
    void handlersThatBecomeQuickAgainComeBackToTheLoopWithinAWindow() {
        QuickHandlers handlers = new QuickHandlers();
        record(handlers, QuickHandlers.WINDOW, SLEEPS_1MS);
        assertFalse(handlers.areQuick());
        record(handlers, QuickHandlers.WINDOW / 2, QUICK);
        assertFalse(handlers.areQuick(), "half of the window is still slow");
        handlers.record(QUICK);
        assertTrue(handlers.areQuick());
    }
}
