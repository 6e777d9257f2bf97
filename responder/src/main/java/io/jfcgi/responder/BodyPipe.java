package io.jfcgi.responder;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries one input stream of a request (STDIN or DATA) from the connection's I/O thread to the handler,
 * through a bounded buffer. FastCGI has no flow control, so a full buffer leaves the connection two choices: stop
 * reading (which stalls the other requests on a multiplexed connection, and is TCP back-pressure on nginx's
 * one-request connections), or give up on the request. It stops reading until the handler takes some, and the
 * watchdog gives up after the read timeout. The same happens when the {@link MemoryBudget} has no room for its buffer
 * to grow; but a pipe whose handler is coming and that holds nothing takes a piece in any case, so that every
 * admitted request can move. A reader waiting on an empty pipe lends it its own array, so the bytes a socket read
 * brings for it are copied there once, not into the buffer and then again out of it.
 */
final class BodyPipe extends InputStream {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    /**
     * Made with the first piece that waits in it: most requests have no body (and a responder's DATA never has
     * one), and their pipes never need one.
     */
    private ByteRing buffer;
    private final MemoryBudget budget;
    private final int capacity;
    /** PARAMS have ended, so a handler will read: an empty pipe then takes a piece even past the budget. */
    private volatile boolean readerComing;
    /** Where an empty pipe's reader may fetch more itself; null: it waits to be fed. */
    private volatile Source source;
    private boolean ended;
    private boolean discarding;
    /** Set by {@link #kick()}: a reader about to wait returns at once instead. */
    private boolean kicked;
    private IOException failure;
    /** Told once when a full buffer gets room (or nobody will read it any more). */
    private Runnable roomWaiter;
    /**
     * The reader's own array while it waits on an empty pipe (or reads the connection itself): pieces land there,
     * not in the ring, so a body's bytes are copied once on their way to the handler instead of twice; they are
     * the handler's then, and charged to no budget. Null while no reader waits.
     */
    private byte[] landing;
    private int landingOff;
    private int landingLen;
    private int landed;

    BodyPipe(int capacity, MemoryBudget budget) {
        this.capacity = capacity;
        this.budget = budget;
    }

    /** Reads the connection on the handler's thread, for a pipe that is empty. */
    interface Source {
        /**
         * Reads what the connection has (waiting a little for it) and feeds the pipes.
         *
         * @return false if this thread may not read the connection now: the caller waits to be fed or kicked
         */
        boolean pull() throws IOException;
    }

    void pullFrom(Source value) {
        source = value;
    }

    /** A pipe that is already at its end: for roles that have no such stream. Takes nothing, so charges nothing. */
    static BodyPipe empty(MemoryBudget budget) {
        BodyPipe pipe = new BodyPipe(0, budget);
        pipe.end();
        return pipe;
    }

    /** The I/O thread, at the end of PARAMS: a handler will read this pipe (unless the request is refused). */
    void expectReader() {
        readerComing = true;
    }

    /**
     * Copies {@code piece} in (straight into the array of a reader waiting on the empty pipe, as far as it has
     * room, and the rest into the buffer), unless the buffer is full, or has no room and the budget none for it to
     * grow (while
     * it holds something, or before PARAMS have ended): then nothing is taken and {@code onRoom} runs once there
     * is room. The handler is not woken for each piece: the connection calls {@link #publish()} once it has
     * decoded everything one socket read brought, so a body arriving in 8 KiB records costs a wake-up per read,
     * not per record.
     *
     * @return false if the buffer is full
     */
    boolean offer(ByteBuffer piece, Runnable onRoom) {
        lock.lock();
        try {
            if (discarding || failure != null) {
                return true; // nobody will read it: drop
            }
            if (landing != null && buffered() == 0) {
                land(piece); // the ring is empty, so nothing buffered comes before these bytes
                if (!piece.hasRemaining()) {
                    return true;
                }
            }
            if (buffered() < capacity) {
                if (buffered() == 0 && readerComing) {
                    ring().put(piece); // past the budget if need be: else its handler waits for what never comes
                    return true;
                }
                if (ring().tryPut(piece)) {
                    return true;
                }
            }
            roomWaiter = onRoom;
            readable.signal(); // full: let the handler drain it
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes waiting in the buffer; the caller holds the lock. */
    private int buffered() {
        return buffer == null ? 0 : buffer.size();
    }

    /** The buffer, made now if this is its first piece; the caller holds the lock. */
    private ByteRing ring() {
        if (buffer == null) {
            buffer = new ByteRing(budget);
        }
        return buffer;
    }

    /** Copies what the waiting reader's array has room for out of {@code piece}; the caller holds the lock. */
    private void land(ByteBuffer piece) {
        int n = Math.min(piece.remaining(), landingLen - landed);
        piece.get(landing, landingOff + landed, n);
        landed += n;
    }

    /** The reader's array takes pieces from now on (while the pipe is empty); the caller holds the lock. */
    private void landOn(byte[] b, int off, int len) {
        landing = b;
        landingOff = off;
        landingLen = len;
        landed = 0;
    }

    /** The reader stops taking pieces into its array: the count that landed there. The caller holds the lock. */
    private int stopLanding() {
        int n = landed;
        landing = null;
        landed = 0;
        return n;
    }

    /** Wakes the handler if it waits for bytes that are now there. */
    void publish() {
        wake(false);
    }

    /** Wakes a reader waiting to be fed, even with nothing new: it may read the connection itself now. */
    void kick() {
        wake(true);
    }

    private void wake(boolean kick) {
        lock.lock();
        try {
            kicked |= kick;
            readable.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The stream's empty record arrived. */
    void end() {
        lock.lock();
        try {
            ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isEnded() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Reads from now on fail with {@code cause}; what is buffered is dropped. */
    void fail(IOException cause) {
        shut(cause);
    }

    /** The handler is done: whatever still arrives is dropped, and a connection waiting for room reads on. */
    @Override
    public void close() {
        shut(null);
    }

    /**
     * Drops what is buffered and releases everyone waiting: the reader (it finds {@code cause}, or, with none, a
     * closed body) and a connection waiting for room, which reads on and drops what follows.
     */
    private void shut(IOException cause) {
        Runnable room;
        lock.lock();
        try {
            if (cause == null) {
                discarding = true;
            } else if (failure == null) {
                failure = cause;
            }
            if (buffer != null) {
                buffer.clear();
            }
            readable.signalAll();
            room = takeRoomWaiter();
        } finally {
            lock.unlock();
        }
        if (room != null) {
            room.run(); // outside the lock: it hands the connection back to its I/O thread
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    /** Fills {@code b} with as much as is buffered, waiting only while nothing is. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n = take(b, off, len, false);
            if (n != 0) {
                return n;
            }
            // Empty: read the socket on this thread if the connection lets us, as libfcgi does, rather than be
            // fed by the I/O thread at the price of two thread switches per socket read. Else wait to be fed.
            Source own = source;
            if (own != null) {
                n = pullInto(own, b, off, len);
                if (n > 0) {
                    return n;
                }
                if (n == 0) {
                    continue; // it read the connection (or was fed meanwhile): look in the ring again
                }
            }
            n = take(b, off, len, true);
            if (n != 0) {
                return n;
            }
        }
    }

    /**
     * Reads the connection on this thread, the pieces it brings for this pipe landing in {@code b}: the count
     * that landed, 0 if none did (the caller looks in the ring again), or -1 if the connection could not be read
     * here (the caller waits to be fed).
     */
    private int pullInto(Source own, byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            if (buffered() > 0 || ended || failure != null || discarding) {
                return 0; // fed meanwhile, or over: take() says which
            }
            landOn(b, off, len);
        } finally {
            lock.unlock();
        }
        boolean pulled = false;
        int n;
        try {
            pulled = own.pull();
        } finally {
            lock.lock();
            try {
                n = stopLanding();
                if (n > 0) {
                    checkOpen(); // as take(): a failed or closed body does not hand out what it got before
                }
            } finally {
                lock.unlock();
            }
        }
        return n > 0 ? n : pulled ? 0 : -1;
    }

    /** Throws if reads fail from now on; the caller holds the lock. */
    private void checkOpen() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (discarding) {
            throw new IOException("the request body is closed");
        }
    }

    /**
     * Copies what is buffered into {@code b}: the count, -1 at the end, or 0 if nothing is there (after waiting
     * once to be fed or kicked, if {@code wait}).
     */
    private int take(byte[] b, int off, int len, boolean wait) throws IOException {
        Runnable room = null;
        lock.lock();
        try {
            while (true) {
                checkOpen();
                int n = buffer == null ? 0 : buffer.take(b, off, len);
                if (n > 0) {
                    // Half empty before the connection reads on: it then moves a good batch per wake-up,
                    // instead of one record each time the handler takes a few bytes.
                    if (buffered() <= capacity / 2) {
                        room = takeRoomWaiter();
                    }
                    return n;
                }
                if (ended) {
                    return -1;
                }
                if (!wait || kicked) {
                    kicked = false;
                    return 0;
                }
                wait = false;
                landOn(b, off, len);
                boolean interrupted = false;
                try {
                    readable.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                n = stopLanding();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                    if (n == 0) {
                        throw new InterruptedIOException("interrupted while waiting for the request body");
                    }
                }
                if (n > 0) {
                    checkOpen();
                    return n;
                }
            }
        } finally {
            lock.unlock();
            if (room != null) {
                room.run(); // outside the lock: it hands the connection back to its I/O thread
            }
        }
    }

    /** The waiting {@code onRoom}, if any, now no longer waiting: the caller holds the lock, and runs it after. */
    private Runnable takeRoomWaiter() {
        Runnable room = roomWaiter;
        roomWaiter = null;
        return room;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return buffered();
        } finally {
            lock.unlock();
        }
    }
}
