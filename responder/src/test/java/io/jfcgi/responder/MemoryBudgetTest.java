package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process-wide bound on buffered request bytes: what it takes, refuses, counts and gives back. */
class MemoryBudgetTest {

    @Test
    void takesReservationsUpToTheLimitExactly() {
        MemoryBudget budget = new MemoryBudget(1000);
        assertTrue(budget.tryReserve(600));
        assertTrue(budget.tryReserve(400));
        assertEquals(1000, budget.used());
        assertEquals(1000, budget.limit());
    }

    @Test
    void refusesAReservationThatWouldPassTheLimitAndTakesNothing() {
        MemoryBudget budget = new MemoryBudget(1000);
        assertTrue(budget.tryReserve(600));
        assertFalse(budget.tryReserve(401));
        assertEquals(600, budget.used());
    }

    @Test
    void countsEachRefusal() {
        MemoryBudget budget = new MemoryBudget(10);
        budget.tryReserve(11);
        budget.tryReserve(5);
        budget.tryReserve(6);
        assertEquals(2, budget.refusals());
    }

    @Test
    void aReleaseMakesRoomAgain() {
        MemoryBudget budget = new MemoryBudget(1000);
        budget.tryReserve(1000);
        budget.release(300);
        assertTrue(budget.tryReserve(300));
        assertEquals(1000, budget.used());
    }

    @Test
    void aForcedReservationPassesTheLimitAndTheNextTryIsRefused() {
        MemoryBudget budget = new MemoryBudget(1000);
        budget.tryReserve(900);
        budget.reserve(500);
        assertEquals(1400, budget.used());
        assertFalse(budget.tryReserve(1));
        budget.release(500);
        assertTrue(budget.tryReserve(100));
    }

    @Test
    void aBudgetOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
    }

    @Test
    void everyRefusedRequestIsCountedButWarnedAboutAtMostOncePerTenSeconds() {
        AtomicLong clock = new AtomicLong();
        MemoryBudget budget = new MemoryBudget(1, clock::get);
        try (ServerFaults log = ServerFaults.watch()) {
            for (int second : new int[] {0, 1, 9}) {
                clock.set(TimeUnit.SECONDS.toNanos(second));
                budget.refusedRequest(1, "peer");
            }
            assertEquals(1, log.warnings(), "the first at once, the next two held back");
            clock.set(TimeUnit.SECONDS.toNanos(10));
            budget.refusedRequest(1, "peer");
            assertEquals(2, log.warnings(), "ten seconds on, one line with the count held back");
            assertEquals(4, budget.refusedRequests());
            log.check();
        }
    }

    @Test
    void refusalsHeldBackInABurstThatEndedAreSaidByTheWatchdogOnceTheIntervalHasPassed() {
        AtomicLong clock = new AtomicLong();
        MemoryBudget budget = new MemoryBudget(1, clock::get);
        try (ServerFaults log = ServerFaults.watch()) {
            budget.refusedRequest(1, "peer");
            budget.refusedRequest(2, "peer");
            clock.set(TimeUnit.SECONDS.toNanos(5));
            budget.sayHeldBackRefusals();
            assertEquals(1, log.warnings(), "not yet: the interval has not passed");
            clock.set(TimeUnit.SECONDS.toNanos(10));
            budget.sayHeldBackRefusals();
            budget.sayHeldBackRefusals();
            assertEquals(2, log.warnings(), "the held-back refusal said once");
        }
    }

    @Test
    void aRefusedReservationAloneIsNoRefusedRequest() {
        MemoryBudget budget = new MemoryBudget(10);
        budget.tryReserve(11); // a body piece that waits: its request goes on
        assertEquals(1, budget.refusals());
        assertEquals(0, budget.refusedRequests());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void concurrentReservationsNeverPassTheLimitAndAllComeBack() throws Exception {
        long limit = 100_000;
        MemoryBudget budget = new MemoryBudget(limit);
        AtomicLong highest = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                awaitQuietly(start);
                for (int i = 0; i < 100_000; i++) {
                    long bytes = 1 + random.nextInt(20_000);
                    if (budget.tryReserve(bytes)) {
                        highest.accumulateAndGet(budget.used(), Math::max);
                        budget.release(bytes);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, budget.used());
        assertTrue(highest.get() <= limit, "held " + highest.get() + " at once, over " + limit);
        assertTrue(highest.get() > 0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
