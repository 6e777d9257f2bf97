package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read buffers are lent per read and reused, and no more than the cap of direct memory is ever made. */
class ReadBufferPoolTest {

    @Test
    void aBufferGivenBackIsTakenAgainCleared() {
        ReadBufferPool pool = new ReadBufferPool(1024, 4);
        ByteBuffer first = pool.take();
        first.put(new byte[100]).flip();
        pool.give(first);
        ByteBuffer again = pool.take();
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals(1024, again.limit());
    }

    @Test
    void aNewBufferIsDirectAndOfTheSize() {
        ByteBuffer buffer = new ReadBufferPool(2048, 4).take();
        assertTrue(buffer.isDirect());
        assertEquals(2048, buffer.capacity());
    }

    @Test
    void theLastBufferGivenBackIsTheFirstTakenAgain() {
        ReadBufferPool pool = new ReadBufferPool(64, 4);
        ByteBuffer a = pool.take();
        ByteBuffer b = pool.take();
        pool.give(a);
        pool.give(b);
        assertSame(b, pool.take());
        assertSame(a, pool.take());
    }

    @Test
    void pastTheCapAHeapBufferIsLentAndNotKept() {
        ReadBufferPool pool = new ReadBufferPool(64, 1);
        ByteBuffer direct = pool.take();
        ByteBuffer heap = pool.take();
        assertFalse(heap.isDirect());
        assertEquals(64, heap.capacity());
        pool.give(heap);
        pool.give(direct);
        assertSame(direct, pool.take());
        assertNotSame(heap, pool.take());
        assertEquals(1, pool.directBuffers());
    }

    @Test
    void everyDirectBufferGivenBackIsKeptSoNoneWaitsForTheGc() {
        ReadBufferPool pool = new ReadBufferPool(64, 3);
        ByteBuffer[] taken = {pool.take(), pool.take(), pool.take()};
        assertEquals(3, pool.lent());
        for (ByteBuffer buffer : taken) {
            pool.give(buffer);
        }
        assertEquals(0, pool.lent());
        for (int i = 0; i < 3; i++) {
            assertTrue(pool.take().isDirect());
        }
        assertEquals(3, pool.directBuffers());
    }
}
