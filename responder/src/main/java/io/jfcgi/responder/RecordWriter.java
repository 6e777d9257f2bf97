package io.jfcgi.responder;

import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The output side of one connection. Requests on a multiplexed connection write from different worker threads;
 * each call writes whole records under one lock, so records interleave only at record boundaries (§3.3).
 *
 * <p>The socket is non-blocking (its event loop reads it), so a write the kernel cannot take at once waits on a
 * selector of the writer's own, opened the first time a peer reads slower than we write; with virtual threads it
 * parks instead, woken by the server's {@link WritablePoller}, so that it pins no carrier thread. A handler that
 * waits so, or waits for another request's write to such a peer, runs nothing meanwhile: it gives its handler slot
 * back for the wait ({@link HandlerSlots}), so that clients that stop reading cannot hold every worker. A write
 * the kernel takes at once costs nothing more than before.
 */
final class RecordWriter {

    /** How long one wait for the socket to drain lasts before looking again whether it was closed. */
    private static final long WAIT_MILLIS = 250;
    /**
     * How long a handler waits for another request's write on the connection before it gives its slot back: a
     * write to a peer that reads takes microseconds, so only a wait this long is one for a peer that does not.
     */
    private static final long LOCK_PATIENCE_MILLIS = 10;
    /** The most {@link #write(int, Encoding)} encodes into the writer's own buffer; larger ones get their own. */
    private static final int SCRATCH_BYTES = 16 << 10;

    private final SocketChannel channel;
    private final HandlerSlots slots;
    /** Where a wait parks, with virtual threads; null: on {@link #writable}. */
    private final WritablePoller poller;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * When the write in progress first found the socket full (System.nanoTime), or 0: read by the watchdog for the
     * write timeout.
     */
    private volatile long writingSince;
    /** Set once a write to the socket failed: what the handler does next is not its fault. */
    private volatile boolean failed;
    private volatile Selector writable;
    private volatile boolean closed;
    /**
     * Reused under the lock for small encoded writes, grown as they need. On the heap, not direct: a connection
     * that nginx opens for a thousand requests should not cost a native allocation and a cleaner.
     */
    private ByteBuffer scratch;
    /** The one-buffer array a scratch write passes on, reused with it under the lock. */
    private final ByteBuffer[] single = new ByteBuffer[1];
    /** The lock holder gave its handler's slot back during its write: it takes one again after the unlock. */
    private boolean holderGaveSlot;

    /** Puts bytes into a buffer that {@link #write(int, Encoding)} then sends. */
    @FunctionalInterface
    interface Encoding {
        void encodeTo(ByteBuffer out);
    }

    RecordWriter(SocketChannel channel, HandlerSlots slots, WritablePoller poller) {
        this.channel = channel;
        this.slots = slots;
        this.poller = poller;
    }

    void write(Record record) throws IOException {
        write(RecordEncoder.encode(record));
    }

    /**
     * Encodes {@code size} bytes into a buffer and writes them, blocking until done. Up to 16 KiB it is the
     * writer's own buffer, reused under the lock: the last write of a small response allocates nothing.
     */
    void write(int size, Encoding encoding) throws IOException {
        write(null, size, encoding);
    }

    /** Writes every byte of {@code buffers}, blocking until done. */
    void write(ByteBuffer... buffers) throws IOException {
        write((Exchange) null, buffers);
    }

    /**
     * As {@link #write(int, Encoding)}, for {@code from}: if this thread holds a handler slot for it, the slot is
     * given back while the write waits for the peer.
     */
    void write(Exchange from, int size, Encoding encoding) throws IOException {
        boolean slotGiven = lock(from);
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
            drain(from, single, slotGiven);
        } finally {
            single[0] = null;
            unlock(slotGiven);
        }
    }

    /**
     * As {@link #write(ByteBuffer...)}, for {@code from}: if this thread holds a handler slot for it, the slot is
     * given back while the write waits for the peer.
     */
    void write(Exchange from, ByteBuffer... buffers) throws IOException {
        boolean slotGiven = lock(from);
        try {
            drain(from, buffers, slotGiven);
        } finally {
            unlock(slotGiven);
        }
    }

    /**
     * Takes the lock; on a connection whose lock another write has held for a while (its peer does not read),
     * {@code from}'s handler gives its slot back while it waits.
     *
     * @return whether the slot was given back
     */
    private boolean lock(Exchange from) {
        if (lock.tryLock()) {
            return false; // the usual case: one atomic, as lock() costs
        }
        try {
            if (lock.tryLock(LOCK_PATIENCE_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // an abort: the handler's next write fails, once this one is done
        }
        boolean slotGiven = giveSlot(from);
        lock.lock();
        return slotGiven;
    }

    /** Lets go of the lock, then (never under it: others may wait for it) takes a slot again if one was given. */
    private void unlock(boolean slotGivenBeforeLock) {
        if (writingSince != 0) { // a volatile write only after a wait: it costs a fence
            writingSince = 0;
        }
        if (closed) {
            closeSelector();
        }
        boolean rejoin = slotGivenBeforeLock || holderGaveSlot;
        holderGaveSlot = false;
        lock.unlock();
        if (rejoin) {
            slots.rejoinAfterWrite();
        }
    }

    /** Under the lock: writes every byte of {@code buffers}, waiting for the peer to read as long as it takes. */
    private void drain(Exchange from, ByteBuffer[] buffers, boolean slotGiven) throws IOException {
        long left = 0;
        for (ByteBuffer buffer : buffers) {
            left += buffer.remaining();
        }
        boolean interrupted = false;
        try {
            while (left > 0) {
                long n;
                try {
                    // One buffer (a small response's last write): write(2), without the JDK's iovec set-up.
                    n = buffers.length == 1 ? channel.write(buffers[0]) : channel.write(buffers);
                } catch (IOException e) {
                    failed = true; // the peer is gone (a broken pipe, a reset): nothing more can reach it
                    throw e;
                }
                left -= n;
                if (left > 0 && writingSince == 0) {
                    // The kernel did not take it all: from now on the watchdog times the wait for the peer. A
                    // write taken whole (nearly all of them) never needs it, nor a clock read.
                    writingSince = Math.max(1, System.nanoTime());
                }
                if (n == 0) {
                    if (!slotGiven && !holderGaveSlot) {
                        holderGaveSlot = giveSlot(from);
                    }
                    // An abort's interrupt would end every select at once: a busy loop until the peer reads. A
                    // record must go whole anyway, so the interrupt waits for the end of the write.
                    interrupted |= Thread.interrupted();
                    awaitWritable();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Gives back the slot this thread holds for {@code from}, if it holds one and the bound allows. */
    private boolean giveSlot(Exchange from) {
        return from != null && from.slotHolder == Thread.currentThread() && slots != null && slots.leaveForWrite();
    }

    /** From any thread: a write to the socket has failed, so the peer is gone even if the socket is open still. */
    boolean failed() {
        return failed;
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
        if (poller != null) {
            poller.forget(channel);
        }
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
        if (poller != null) {
            poller.await(channel, WAIT_MILLIS);
            return;
        }
        if (writable == null) {
            writable = Selector.open();
            channel.register(writable, SelectionKey.OP_WRITE);
        }
        // The watchdog closes a socket whose peer stops reading (write timeout); look for that between waits.
        writable.select(key -> { }, WAIT_MILLIS); // only to wait: no key set to fill and clear
    }
}
