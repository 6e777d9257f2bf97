package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler slots and the writers that give theirs back while their peer does not read, without sockets. */
class HandlerSlotsTest {

    private final AtomicInteger changes = new AtomicInteger();

    private HandlerSlots slots(int n, int maxWriteWaiters) {
        return new HandlerSlots(n, maxWriteWaiters, changes::incrementAndGet);
    }

    /**
     * One script of steps on 2 slots with at most 1 write waiter: t = tryTake, g = give, l = leaveForWrite (its
     * result checked), r = rejoinAfterWrite; then the handlers running, the write waiters, whether a slot is free.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "t;                 1; 0; true",
        "t t;               2; 0; false",
        "t t l+;            1; 1; true",   // a blocked writer runs nothing: its slot serves another request
        "t t l+ t;          2; 1; false",
        "t t l+ l-;         1; 1; true",   // past --max-write-waiters the writer keeps its slot
        "t t l+ r;          2; 0; false",  // back from its write, it counts as running again
        "t l+ r g;          0; 0; true",
        "t t l+ g r;        1; 0; true",
    })
    void stepsLeaveTheCounts(String script, int running, int waiters, boolean free) {
        HandlerSlots slots = slots(2, 1);
        for (String step : script.trim().split(" ")) {
            switch (step) {
                case "t" -> assertTrue(slots.tryTake(), script);
                case "g" -> slots.give();
                case "l+" -> assertTrue(slots.leaveForWrite(), script);
                case "l-" -> assertFalse(slots.leaveForWrite(), script);
                case "r" -> slots.rejoinAfterWrite();
                default -> throw new IllegalArgumentException(step);
            }
        }
        assertEquals(running, slots.running(), script);
        assertEquals(waiters, slots.writeWaiters(), script);
        boolean wasFree = slots.tryTake();
        assertEquals(free, wasFree, script);
    }

    @Test
    void zeroWriteWaitersKeepsEveryBlockedWriterOnItsSlot() {
        HandlerSlots slots = slots(1, 0);
        assertTrue(slots.tryTake());
        assertFalse(slots.leaveForWrite());
        assertEquals(1, slots.running());
        assertEquals(0, changes.get(), "no pool resize for a writer that kept its slot");
    }

    @Test
    void theListenerHearsEachLeaveAndRejoinAfterTheCountChanged() {
        AtomicInteger seen = new AtomicInteger(-1);
        HandlerSlots[] holder = new HandlerSlots[1];
        holder[0] = new HandlerSlots(1, 4, () -> seen.set(holder[0].writeWaiters()));
        HandlerSlots slots = holder[0];
        slots.tryTake();
        slots.leaveForWrite();
        assertEquals(1, seen.get());
        slots.rejoinAfterWrite();
        assertEquals(0, seen.get());
    }

    @Test
    void aRejoiningWriterWaitsForASlotWhenAllAreTaken() throws Exception {
        HandlerSlots slots = slots(1, 1);
        slots.tryTake();
        assertTrue(slots.leaveForWrite());
        assertTrue(slots.tryTake(), "another request runs in the writer's slot");
        CountDownLatch rejoined = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            slots.rejoinAfterWrite();
            rejoined.countDown();
        });
        writer.start();
        try {
            assertFalse(rejoined.await(50, TimeUnit.MILLISECONDS), "no slot is free yet");
            slots.give();
            assertTrue(rejoined.await(10, TimeUnit.SECONDS));
            assertEquals(1, slots.running());
            assertEquals(0, slots.writeWaiters());
        } finally {
            writer.join(10_000);
        }
    }

    @Test
    void aStopTakesEverySlotOnlyOnceNoWriterWaits() throws Exception {
        HandlerSlots slots = slots(2, 2);
        slots.tryTake();
        assertTrue(slots.leaveForWrite()); // every slot is free, but a writer still needs one back
        assertFalse(slots.takeAllWhenIdle(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30)));
        assertEquals(0, slots.running(), "a stop that failed keeps no slot");
        Thread writer = new Thread(() -> {
            slots.rejoinAfterWrite();
            slots.give();
        });
        writer.start();
        try {
            assertTrue(slots.takeAllWhenIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
            assertEquals(2, slots.running());
        } finally {
            writer.join(10_000);
        }
    }

    @Test
    void aStopTakesEverySlotAtOnceWhenNothingRuns() throws Exception {
        HandlerSlots slots = slots(3, 8);
        assertTrue(slots.takeAllWhenIdle(System.nanoTime()));
        assertFalse(slots.tryTake(), "no handler starts after the stop");
    }
}
