package io.jfcgi.responder;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections' read buffers, reused: a connection takes one when it opens and gives it back when it ends.
 * nginx opens a new connection every 1000 requests by default ({@code keepalive_requests}), and a fresh 64 KiB
 * direct buffer costs zeroing, page faults and a cleaner for the GC, all on the I/O thread that accepted it.
 * Thread-safe: a connection may end on a handler's thread.
 */
final class ReadBufferPool {

    private final int size;
    private final int keep;
    private final Queue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    /** Buffers of {@code size} bytes; at most {@code keep} are kept when not in use. */
    ReadBufferPool(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    ByteBuffer take() {
        ByteBuffer buffer = free.poll();
        if (buffer == null) {
            return ByteBuffer.allocateDirect(size);
        }
        kept.decrementAndGet();
        return buffer.clear();
    }

    /** The caller no longer touches {@code buffer}, nor anything that views it. */
    void give(ByteBuffer buffer) {
        if (kept.incrementAndGet() <= keep) {
            free.add(buffer);
        } else {
            kept.decrementAndGet(); // enough kept already: the GC frees this one
        }
    }
}
