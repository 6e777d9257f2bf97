package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which waiting worker a queued task asks back, and when waiting on a connection pays. */
class ConnectionWaitersTest {

    private final ConnectionWaiters waiters = new ConnectionWaiters();
    private final List<String> asked = new ArrayList<>();

    @Test
    void aQueuedTaskAsksBackTheWorkerThatHasWaitedLongest() {
        waiters.add(() -> asked.add("first"));
        waiters.add(() -> asked.add("second"));
        waiters.askOneBack();
        assertEquals(List.of("first"), asked);
        assertEquals(1, waiters.size(), "one asked back at a time");
    }

    @Test
    void aWorkerWhoseWaitEndedIsNotAskedBack() {
        Runnable first = () -> asked.add("first");
        waiters.add(first);
        waiters.add(() -> asked.add("second"));
        waiters.remove(first);
        waiters.askOneBack();
        assertEquals(List.of("second"), asked);
    }

    @Test
    void withNobodyWaitingAskingBackDoesNothing() {
        waiters.askOneBack();
        assertEquals(0, waiters.size());
    }

    @Test
    void aStopAsksEveryWaiterBack() {
        waiters.add(() -> asked.add("first"));
        waiters.add(() -> asked.add("second"));
        waiters.askAllBack();
        assertEquals(2, asked.size());
        assertEquals(0, waiters.size());
    }

    @Test
    void workersWaitWhileNoWaitHasEndedYet() {
        assertTrue(waiters.worthWaiting());
    }

    @Test
    void waitsThatServeFewRequestsStopTheWaitingButForAProbeNowAndThen() {
        for (int i = 0; i < 40; i++) {
            waiters.waited(2); // nginx closing its connections past its keepalive pool after a request or two
        }
        int waits = 0;
        for (int i = 0; i < 10 * ConnectionWaiters.PROBE_EVERY; i++) {
            if (waiters.worthWaiting()) {
                waits++;
            }
        }
        assertEquals(10, waits, "one chance in PROBE_EVERY still waits, to see whether waiting pays again");
    }

    @Test
    void waitsThatServeManyRequestsBringTheWaitingBack() {
        for (int i = 0; i < 40; i++) {
            waiters.waited(0);
        }
        assertFalse(waiters.worthWaiting());
        for (int i = 0; i < 10; i++) {
            waiters.waited(1000); // a kept connection busy again, each wait serving until it timed out
        }
        assertTrue(waiters.worthWaiting());
    }

    @Test
    void oneLongWaitDoesNotHoldTheAverageUpForTheManyShortOnesAfterIt() {
        waiters.waited(1_000_000);
        for (int i = 0; i < 20; i++) {
            waiters.waited(1);
        }
        assertFalse(waiters.worthWaiting());
    }
}
