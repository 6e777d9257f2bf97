package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A reader that finds its body empty and reads the connection itself: the pieces that read brings land in its own
 * array, uncharged, and only what does not fit goes through the buffer, in order. The connection is a
 * {@link BodyPipe.Source} that offers on the reader's thread, as {@link Connection#pullInput} does.
 */
class BodyPipeLandingTest {

    private final MemoryBudget budget = new MemoryBudget(1 << 20);
    private final BodyPipe pipe = new BodyPipe(64 << 10, budget);

    private static byte[] counting(int from, int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    /** A connection whose one read brings {@code pieces} for this pipe. */
    private void connectionBrings(byte[]... pieces) {
        pipe.expectReader();
        pipe.pullFrom(() -> {
            for (byte[] piece : pieces) {
                pipe.offer(ByteBuffer.wrap(piece), () -> { });
            }
            pipe.publish();
            return true;
        });
    }

    @Test
    void piecesThatFitTheReadersArrayLandThereAndChargeNothing() throws IOException {
        connectionBrings(counting(0, 300), counting(300, 200));
        byte[] b = new byte[1000];
        assertEquals(500, pipe.read(b, 0, b.length));
        assertArrayEquals(counting(0, 500), Arrays.copyOf(b, 500));
        assertEquals(0, budget.used());
        assertEquals(0, pipe.available());
    }

    @Test
    void whatDoesNotFitTheReadersArrayWaitsInTheBufferInOrder() throws IOException {
        connectionBrings(counting(0, 300), counting(300, 200));
        byte[] b = new byte[400];
        assertEquals(400, pipe.read(b, 0, b.length));
        assertArrayEquals(counting(0, 400), b);
        assertEquals(100, pipe.available());
        assertEquals(4 << 10, budget.used()); // the buffer's first array
        assertEquals(100, pipe.read(b, 0, b.length));
        assertArrayEquals(counting(400, 100), Arrays.copyOf(b, 100));
    }

    @Test
    void piecesLandAtTheReadersOffset() throws IOException {
        connectionBrings(counting(7, 10));
        byte[] b = new byte[30];
        assertEquals(10, pipe.read(b, 5, 20));
        assertArrayEquals(counting(7, 10), Arrays.copyOfRange(b, 5, 15));
        assertArrayEquals(new byte[5], Arrays.copyOf(b, 5));
    }

    @Test
    void aBodyThatFailsWhileTheReaderReadsTheConnectionFailsTheReadNotHandsOutWhatLanded() {
        pipe.expectReader();
        pipe.pullFrom(() -> {
            pipe.offer(ByteBuffer.wrap(counting(0, 100)), () -> { });
            pipe.fail(new RequestAbortedException("request 1 aborted: test"));
            return true;
        });
        assertThrows(RequestAbortedException.class, () -> pipe.read(new byte[1000], 0, 1000));
        assertEquals(0, budget.used());
    }

    @Test
    void aPieceOfferedWithNoReaderWaitingIsBufferedAndCharged() throws IOException {
        pipe.expectReader();
        pipe.offer(ByteBuffer.wrap(counting(0, 100)), () -> { });
        assertEquals(100, pipe.available());
        assertEquals(4 << 10, budget.used());
        byte[] b = new byte[1000];
        assertEquals(100, pipe.read(b, 0, b.length));
        assertArrayEquals(counting(0, 100), Arrays.copyOf(b, 100));
    }

    @Test
    void theEndAfterLandedBytesIsReadNext() throws IOException {
        pipe.expectReader();
        pipe.pullFrom(() -> {
            pipe.offer(ByteBuffer.wrap(counting(0, 10)), () -> { });
            pipe.end();
            return true;
        });
        byte[] b = new byte[100];
        assertEquals(10, pipe.read(b, 0, b.length));
        assertEquals(-1, pipe.read(b, 0, b.length));
    }
}
