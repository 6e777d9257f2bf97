package io.jfcgi.responder;

import java.nio.ByteBuffer;

/**
 * A growable circular queue of bytes: what a request body waits in between the socket and its handler. Pieces
 * are copied into one array that is reused round and round, rather than each into an array of its own: a 256 MiB
 * upload then allocates (and zeroes) a few kilobytes, not 256 MiB. The array is charged to the {@link MemoryBudget}
 * as it grows, and given back when it is dropped ({@link #clear}). Not thread-safe: its owner locks.
 */
final class ByteRing {

    /** The first array; it doubles as the body needs, up to what its owner lets in. */
    private static final int INITIAL = 4 << 10;

    private final MemoryBudget budget;
    private byte[] ring;
    private int head;
    private int size;

    ByteRing(MemoryBudget budget) {
        this.budget = budget;
    }

    int size() {
        return size;
    }

    /** Copies all of {@code piece} in, growing the array if it does not fit, past the budget if need be. */
    void put(ByteBuffer piece) {
        grow(piece.remaining(), true);
        copyIn(piece);
    }

    /**
     * Copies all of {@code piece} in, growing the array if it does not fit and the budget has room for the growth.
     *
     * @return false, with nothing taken, if the array would have to grow past the budget
     */
    boolean tryPut(ByteBuffer piece) {
        if (!grow(piece.remaining(), false)) {
            return false;
        }
        copyIn(piece);
        return true;
    }

    private void copyIn(ByteBuffer piece) {
        int n = piece.remaining();
        if (n == 0) {
            return;
        }
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        piece.get(ring, tail, first);
        piece.get(ring, 0, n - first);
        size += n;
    }

    /** Moves up to {@code len} bytes into {@code b}; returns how many (0 when empty). */
    int take(byte[] b, int off, int len) {
        int n = Math.min(len, size);
        if (n == 0) {
            return 0;
        }
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, b, off, first);
        System.arraycopy(ring, 0, b, off + first, n - first);
        head = (head + n) % ring.length;
        size -= n;
        return n;
    }

    /** Drops what is held and the array with it, which the budget gets back. */
    void clear() {
        if (ring != null) {
            budget.release(ring.length);
        }
        ring = null;
        head = 0;
        size = 0;
    }

    /** Room for {@code more} bytes; false if that needs a growth the budget refuses (unless {@code force}). */
    private boolean grow(int more, boolean force) {
        int needed = size + more;
        int had = ring == null ? 0 : ring.length;
        if (needed <= had) {
            return true;
        }
        int length = ring == null ? INITIAL : ring.length;
        while (length < needed) {
            length *= 2;
        }
        // Only the growth is charged: the old array goes.
        if (force) {
            budget.reserve(length - had);
        } else if (!budget.tryReserve(length - had)) {
            return false;
        }
        byte[] grown = new byte[length];
        int held = size;
        if (held > 0) {
            take(grown, 0, held); // unwraps it at the new array's start
        }
        ring = grown;
        head = 0;
        size = held;
        return true;
    }
}
