package io.jfcgi.responder;

import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The output side of one connection. Requests on a multiplexed connection write from different worker threads;
 * each call writes whole records under one lock, so records interleave only at record boundaries (§3.3).
 *
 * <p>The socket is non-blocking (its event loop reads it), so a write the kernel cannot take at once waits on a
 * selector of the writer's own, opened the first time a peer reads slower than we write.
 */
final class RecordWriter {

    /** How long one wait for the socket to drain lasts before looking again whether it was closed. */
    private static final long WAIT_MILLIS = 250;
    /** The most {@link #write(int, Encoding)} encodes into the writer's own buffer; larger ones get their own. */
    private static final int SCRATCH_BYTES = 16 << 10;

    private final SocketChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    /** When the write in progress began (System.nanoTime), or 0: read by the watchdog for the write timeout. */
    private volatile long writingSince;
    private volatile Selector writable;
    private volatile boolean closed;
    /**
     * Reused under the lock for small encoded writes, grown as they need. On the heap, not direct: a connection
     * that nginx opens for a thousand requests should not cost a native allocation and a cleaner.
     */
    private ByteBuffer scratch;
    /** The one-buffer array a scratch write passes on, reused with it under the lock. */
    private final ByteBuffer[] single = new ByteBuffer[1];

    /** Puts bytes into a buffer that {@link #write(int, Encoding)} then sends. */
    @FunctionalInterface
    interface Encoding {
        void encodeTo(ByteBuffer out);
    }

    RecordWriter(SocketChannel channel) {
        this.channel = channel;
    }

    void write(Record record) throws IOException {
        write(RecordEncoder.encode(record));
    }

    /**
     * Encodes {@code size} bytes into a buffer and writes them, blocking until done. Up to 16 KiB it is the
     * writer's own buffer, reused under the lock: the last write of a small response allocates nothing.
     */
    void write(int size, Encoding encoding) throws IOException {
        lock.lock();
        try {
            ByteBuffer out;
            if (size <= SCRATCH_BYTES) {
                if (scratch == null || scratch.capacity() < size) {
                    int doubled = scratch == null ? 1024 : 2 * scratch.capacity();
                    scratch = ByteBuffer.allocate(Math.min(SCRATCH_BYTES, Math.max(size, doubled)));
                }
                out = scratch.clear().limit(size);
            } else {
                out = ByteBuffer.allocate(size);
            }
            encoding.encodeTo(out);
            single[0] = out.flip();
            write(single);
        } finally {
            single[0] = null;
            lock.unlock();
        }
    }

    /** Writes every byte of {@code buffers}, blocking until done. */
    void write(ByteBuffer... buffers) throws IOException {
        lock.lock();
        try {
            writingSince = Math.max(1, System.nanoTime());
            long left = 0;
            for (ByteBuffer buffer : buffers) {
                left += buffer.remaining();
            }
            while (left > 0) {
                long n = channel.write(buffers);
                left -= n;
                if (n == 0) {
                    awaitWritable();
                }
            }
        } finally {
            writingSince = 0;
            if (closed) {
                closeSelector();
            }
            lock.unlock();
        }
    }

    long writingSince() {
        return writingSince;
    }

    /**
     * The connection has ended: releases the selector, if one was opened. A socket is only really closed once no
     * selector holds it. Never waits for a writer: it is woken, and closes the selector on its way out.
     */
    void close() {
        closed = true;
        Selector waiting = writable;
        if (waiting != null) {
            waiting.wakeup();
        }
        if (lock.tryLock()) {
            try {
                closeSelector();
            } finally {
                lock.unlock();
            }
        }
    }

    private void closeSelector() {
        Selector waiting = writable;
        writable = null;
        if (waiting != null) {
            try {
                waiting.close();
            } catch (IOException e) {
                // nothing to do: it was only a wait
            }
        }
    }

    private void awaitWritable() throws IOException {
        if (closed || !channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (writable == null) {
            writable = Selector.open();
            channel.register(writable, SelectionKey.OP_WRITE);
        }
        // The watchdog closes a socket whose peer stops reading (write timeout); look for that between waits.
        writable.select(key -> { }, WAIT_MILLIS); // only to wait: no key set to fill and clear
    }
}
