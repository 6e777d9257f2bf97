package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request body's buffer against the budget: charged as it grows, given back at every end, waits at the bound. */
class BodyPipeBudgetTest {

    private static final int CAPACITY = 64 << 10;

    private final MemoryBudget budget = new MemoryBudget(5000);
    private final BodyPipe pipe = new BodyPipe(CAPACITY, budget);
    private final AtomicInteger roomCalls = new AtomicInteger();
    private final Runnable onRoom = roomCalls::incrementAndGet;

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }

    @Test
    void aFailedBodyGivesItsBytesBack() {
        pipe.expectReader();
        assertTrue(pipe.offer(bytes(3000), onRoom));
        assertEquals(4096, budget.used());
        pipe.fail(new RequestAbortedException("request 1 aborted: test"));
        assertEquals(0, budget.used());
    }

    @Test
    void aClosedBodyGivesItsBytesBack() {
        pipe.expectReader();
        assertTrue(pipe.offer(bytes(3000), onRoom));
        pipe.close();
        assertEquals(0, budget.used());
    }

    @Test
    void piecesAfterTheEndOfTheBodyAreDroppedUncharged() {
        pipe.close();
        assertTrue(pipe.offer(bytes(3000), onRoom));
        assertEquals(0, budget.used());
    }

    @Test
    void anEmptyBodyWhoseHandlerIsComingTakesAPiecePastTheBudget() throws IOException {
        pipe.expectReader();
        assertTrue(pipe.offer(bytes(20_000), onRoom));
        assertEquals(32 << 10, budget.used());
        assertEquals(20_000, pipe.readNBytes(20_000).length);
        pipe.close();
        assertEquals(0, budget.used());
    }

    @Test
    void beforeParamsEndAPiecePastTheBudgetWaitsUntilTheRequestEnds() {
        assertFalse(pipe.offer(bytes(20_000), onRoom));
        assertEquals(0, budget.used());
        pipe.close(); // a 408 or an abort: the connection reads on and drops it
        assertEquals(1, roomCalls.get());
    }

    @Test
    void aPieceThatWouldGrowTheBufferPastTheBudgetWaitsUntilTheHandlerReads() throws IOException {
        pipe.expectReader();
        assertTrue(pipe.offer(bytes(4000), onRoom));
        ByteBuffer next = bytes(1000);
        assertFalse(pipe.offer(next, onRoom)); // 8 KiB would pass 5000
        assertEquals(0, roomCalls.get());
        assertEquals(3000, pipe.readNBytes(3000).length);
        assertEquals(1, roomCalls.get());
        assertTrue(pipe.offer(next, onRoom)); // fits the 4 KiB array now
        assertEquals(4096, budget.used());
    }
}
