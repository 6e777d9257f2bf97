package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue a request body waits in: bytes come out in the order they went in, across wraps and growth. */
class ByteRingTest {

    private static byte[] pattern(int from, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    private static ByteRing ring() {
        return new ByteRing(new MemoryBudget(Long.MAX_VALUE));
    }

    private static byte[] take(ByteRing ring, int length) {
        byte[] out = new byte[length];
        assertEquals(length, ring.take(out, 0, length));
        return out;
    }

    @Test
    void anEmptyRingGivesNothing() {
        assertEquals(0, ring().take(new byte[8], 0, 8));
    }

    @Test
    void bytesComeOutInTheOrderTheyWentIn() {
        ByteRing ring = ring();
        ring.put(ByteBuffer.wrap(pattern(0, 100)));
        ring.put(ByteBuffer.wrap(pattern(100, 50)));
        assertEquals(150, ring.size());
        assertArrayEquals(pattern(0, 150), take(ring, 150));
        assertEquals(0, ring.size());
    }

    @Test
    void aTakeGivesAtMostWhatIsHeld() {
        ByteRing ring = ring();
        ring.put(ByteBuffer.wrap(pattern(0, 10)));
        byte[] out = new byte[64];
        assertEquals(10, ring.take(out, 5, 59));
        assertArrayEquals(pattern(0, 10), Arrays.copyOfRange(out, 5, 15));
    }

    @Test
    void piecesThatWrapPastTheEndComeOutWhole() {
        ByteRing ring = ring();
        ring.put(ByteBuffer.wrap(pattern(0, 3000)));
        take(ring, 2500); // the next piece starts 3000 bytes into a 4 KiB array, and wraps
        ring.put(ByteBuffer.wrap(pattern(3000, 3000)));
        assertArrayEquals(pattern(2500, 3500), take(ring, 3500));
    }

    @Test
    void growingKeepsWrappedBytesInOrder() {
        ByteRing ring = ring();
        ring.put(ByteBuffer.wrap(pattern(0, 4000)));
        take(ring, 3000);
        ring.put(ByteBuffer.wrap(pattern(4000, 2000))); // wraps in the 4 KiB array
        ring.put(ByteBuffer.wrap(pattern(6000, 70000))); // grows past it
        assertEquals(73000, ring.size());
        assertArrayEquals(pattern(3000, 73000), take(ring, 73000));
    }

    @Test
    void aPieceIsTakenFromItsBufferPosition() {
        ByteRing ring = ring();
        ByteBuffer piece = ByteBuffer.wrap(pattern(0, 20)).position(5).limit(15);
        ring.put(piece);
        assertEquals(15, piece.position());
        assertArrayEquals(pattern(5, 10), take(ring, 10));
    }

    @Test
    void clearDropsWhatIsHeld() {
        ByteRing ring = ring();
        ring.put(ByteBuffer.wrap(pattern(0, 100)));
        ring.clear();
        assertEquals(0, ring.size());
        ring.put(ByteBuffer.wrap(pattern(7, 3)));
        assertArrayEquals(pattern(7, 3), take(ring, 3));
    }

    @Test
    void theArrayIsChargedAsItGrowsAndGivenBackWhenCleared() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        ByteRing ring = new ByteRing(budget);
        ring.put(ByteBuffer.wrap(pattern(0, 100)));
        assertEquals(4096, budget.used());
        ring.put(ByteBuffer.wrap(pattern(100, 5000)));
        assertEquals(8192, budget.used());
        take(ring, 5100);
        assertEquals(8192, budget.used()); // the array is kept for the next pieces: still held
        ring.clear();
        assertEquals(0, budget.used());
    }

    @Test
    void aGrowthPastTheBudgetIsRefusedAndTakesNothing() {
        MemoryBudget budget = new MemoryBudget(6000);
        ByteRing ring = new ByteRing(budget);
        assertTrue(ring.tryPut(ByteBuffer.wrap(pattern(0, 4000))));
        ByteBuffer piece = ByteBuffer.wrap(pattern(4000, 1000));
        assertFalse(ring.tryPut(piece)); // 8 KiB would pass 6000
        assertEquals(0, piece.position());
        assertEquals(4000, ring.size());
        assertEquals(4096, budget.used());
        take(ring, 3000);
        assertTrue(ring.tryPut(piece)); // it fits the array now: no growth, no charge
        assertArrayEquals(pattern(3000, 2000), take(ring, 2000));
    }

    @Test
    void putGrowsPastTheBudget() {
        MemoryBudget budget = new MemoryBudget(100);
        ByteRing ring = new ByteRing(budget);
        ring.put(ByteBuffer.wrap(pattern(0, 200)));
        assertEquals(4096, budget.used());
        ring.clear();
        assertEquals(0, budget.used());
    }

    @Test
    void anEmptyPieceIntoAnEmptyRingChargesNothing() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        ByteRing ring = new ByteRing(budget);
        ring.put(ByteBuffer.allocate(0));
        assertTrue(ring.tryPut(ByteBuffer.allocate(0)));
        assertEquals(0, budget.used());
    }

    @Test
    void aPieceThatFillsTheArrayExactlyDoesNotDoubleIt() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        ByteRing ring = new ByteRing(budget);
        ring.put(ByteBuffer.wrap(pattern(0, 4096)));
        assertEquals(4096, budget.used());
        assertArrayEquals(pattern(0, 4096), take(ring, 4096));
    }

    @Test
    void tryPutChargesOnlyTheGrowth() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        ByteRing ring = new ByteRing(budget);
        assertTrue(ring.tryPut(ByteBuffer.wrap(pattern(0, 4000))));
        assertTrue(ring.tryPut(ByteBuffer.wrap(pattern(4000, 1000))));
        assertEquals(8192, budget.used());
        assertArrayEquals(pattern(0, 5000), take(ring, 5000));
    }
}
