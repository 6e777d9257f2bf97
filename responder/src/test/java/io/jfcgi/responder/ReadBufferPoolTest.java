package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read buffers outlive their connections, so that reconnects cost no allocation. */
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
    void noMoreThanTheLimitIsKept() {
        ReadBufferPool pool = new ReadBufferPool(64, 1);
        ByteBuffer a = pool.take();
        ByteBuffer b = pool.take();
        pool.give(a);
        pool.give(b); // one is kept already: this one is left to the GC
        assertSame(a, pool.take());
        ByteBuffer fresh = pool.take();
        assertNotSame(a, fresh);
        assertNotSame(b, fresh);
    }
}
