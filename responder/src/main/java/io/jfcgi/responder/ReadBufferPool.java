package io.jfcgi.responder;

import java.nio.ByteBuffer;

/**
 * The connections' read buffers, reused: a connection borrows one for a read and gives it back once nothing it
 * read is left to decode, so an idle or dead connection holds none, and the few in use at once (one per thread
 * reading, plus one per connection paused with a record that does not fit yet) are shared by all. A fresh 64 KiB
 * direct buffer costs zeroing, page faults and a cleaner for the GC, all on the thread that reads.
 *
 * <p>At most {@code maxDirect} direct buffers are ever made, and every one is kept for reuse: direct memory is
 * capped and never waits for a GC to be freed (a small heap that rarely collects would hold dropped ones for
 * good). Past the cap a heap buffer is lent, which the GC takes back when it is given back. Last in, first out,
 * so that the buffer a loop reads into is still in the cache. Thread-safe, and allocates nothing per call once
 * its buffers are made: a connection may read on a handler's thread.
 */
final class ReadBufferPool {

    private final int size;
    private final ByteBuffer[] free;
    private int freeCount;
    private int made;

    /** Buffers of {@code size} bytes, at most {@code maxDirect} of them direct. */
    ReadBufferPool(int size, int maxDirect) {
        this.size = size;
        this.free = new ByteBuffer[maxDirect];
    }

    /** A cleared buffer of the size, the caller's until it {@linkplain #give gives it back}. */
    ByteBuffer take() {
        synchronized (this) {
            if (freeCount > 0) {
                ByteBuffer buffer = free[--freeCount];
                free[freeCount] = null;
                return buffer.clear();
            }
            if (made == free.length) {
                return ByteBuffer.allocate(size); // at the cap: on the heap, freed by the GC
            }
            made++;
        }
        return ByteBuffer.allocateDirect(size);
    }

    /** The caller no longer touches {@code buffer}, nor anything that views it. */
    void give(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            return;
        }
        synchronized (this) {
            if (freeCount < free.length) { // always, unless given back twice
                free[freeCount++] = buffer;
            }
        }
    }

    /** Direct buffers made so far: the direct memory this pool holds is this times the size. */
    synchronized int directBuffers() {
        return made;
    }

    /** Buffers lent and not given back, the heap ones aside. */
    synchronized int lent() {
        return made - freeCount;
    }
}
