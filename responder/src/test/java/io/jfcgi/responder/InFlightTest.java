package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection's count of requests in flight, and the one close it allows. */
class InFlightTest {

    private final InFlight inFlight = new InFlight();

    @Test
    void aConnectionWithNothingInFlightCloses() {
        assertTrue(inFlight.closeIfNone());
        assertTrue(inFlight.isClosed());
    }

    @Test
    void aConnectionWithARequestInFlightDoesNotClose() {
        assertTrue(inFlight.tryBegin());
        assertFalse(inFlight.closeIfNone());
        assertFalse(inFlight.isClosed());
    }

    @Test
    void itClosesOnceTheLastRequestHasEnded() {
        inFlight.tryBegin();
        inFlight.tryBegin();
        assertEquals(1, inFlight.end());
        assertFalse(inFlight.closeIfNone());
        assertEquals(0, inFlight.end());
        assertTrue(inFlight.closeIfNone());
    }

    @Test
    void aClosedConnectionTakesNoNewRequest() {
        inFlight.closeIfNone();
        assertFalse(inFlight.tryBegin());
        assertTrue(inFlight.isClosed());
    }

    @Test
    void itClosesOnlyOnce() {
        assertTrue(inFlight.closeIfNone());
        assertFalse(inFlight.closeIfNone(), "the second caller must not shut the socket down again");
    }

    @Test
    void endingMoreRequestsThanBeganIsABug() {
        assertThrows(IllegalStateException.class, inFlight::end);
    }
}
