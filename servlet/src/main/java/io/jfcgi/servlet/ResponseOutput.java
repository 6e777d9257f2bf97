package io.jfcgi.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The servlet response's body buffer (Servlet 6 §5.1): bytes wait here until the buffer is full, the application
 * flushes, or the response ends; the first bytes that leave it commit status and headers ({@link Committer}).
 * Once the declared Content-Length has been written, or after {@link #close}, further bytes are dropped.
 *
 * <p>One thread at a time: the request's, or, under a {@link WriteListener}, the application's for writes that
 * only fill the buffer and an async thread for those that may wait ({@link NonBlockingWrite} keeps them apart).
 */
final class ResponseOutput extends ServletOutputStream {

    /** Sends status and headers; called once, just before the first body bytes go to the sink. */
    interface Committer {
        void commit() throws IOException;
    }

    /** How long the end of the request waits for a non-blocking write still under way. */
    private static final long FINISH_WAIT_MILLIS = 30_000;

    private final OutputStream sink;
    private final Committer committer;
    /** The buffer's size as the application sees it (getBufferSize): bytes beyond it leave. */
    private int bufferSize;
    /**
     * Grows up to bufferSize as bytes come: most bodies are far smaller, and a fresh 8 KiB per request was half of
     * what the bridge allocated (more young collections, fewer requests run on the I/O thread).
     */
    private byte[] buffer = new byte[0];
    private int count;
    private long written;
    private long contentLength = -1;
    private boolean committed;
    private boolean closed;
    private java.util.function.Supplier<ListenerThreads> listenerThreads;
    private NonBlockingWrite nonBlocking;

    ResponseOutput(OutputStream sink, Committer committer, int bufferSize) {
        this.sink = sink;
        this.committer = committer;
        this.bufferSize = bufferSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, bytes.length);
        NonBlockingWrite async = nonBlocking;
        if (async != null) {
            async.checkWritable();
            if (!fitsInBuffer(len)) {
                byte[] copy = java.util.Arrays.copyOfRange(bytes, off, off + len);
                async.handOff(() -> writeNow(copy, 0, copy.length));
                return;
            }
        }
        writeNow(bytes, off, len);
    }

    /** Whether {@code len} bytes would stay in the buffer, so that writing them cannot wait for the socket. */
    private boolean fitsInBuffer(int len) {
        return closed || count + len <= buffer.length && (contentLength < 0 || written + len < contentLength);
    }

    private void writeNow(byte[] bytes, int off, int len) throws IOException {
        if (closed) {
            return;
        }
        if (contentLength >= 0 && written + len > contentLength) {
            len = (int) (contentLength - written); // more than the declared length: the rest is dropped
        }
        written += len;
        if (count + len <= bufferSize) {
            ensureCapacity(count + len);
            System.arraycopy(bytes, off, buffer, count, len);
            count += len;
        } else {
            drain();
            if (len <= bufferSize) {
                ensureCapacity(len);
                System.arraycopy(bytes, off, buffer, 0, len);
                count = len;
            } else {
                sink.write(bytes, off, len);
            }
        }
        if (contentLength >= 0 && written >= contentLength) {
            closeNow(); // the declared length is all there: the response is complete (§5.7)
        }
    }

    /** Commits and sends what is buffered, leaving the sink to send it now. */
    @Override
    public void flush() throws IOException {
        NonBlockingWrite async = nonBlocking;
        if (async != null) {
            async.handOff(this::flushNow);
        } else {
            flushNow();
        }
    }

    private void flushNow() throws IOException {
        drain();
        sink.flush();
    }

    /** Ends the body: sends what is buffered; later writes are dropped. */
    @Override
    public void close() throws IOException {
        NonBlockingWrite async = nonBlocking;
        if (async != null) {
            if (!closed) {
                async.handOff(this::closeNow);
            }
        } else {
            closeNow();
        }
    }

    private void closeNow() throws IOException {
        if (!closed) {
            closed = true;
            drain();
            sink.flush();
        }
    }

    /**
     * Ends the response as the request ends: what is buffered goes to the sink, which sends it with the end of the
     * request (one write for a small response).
     */
    void finish() throws IOException {
        NonBlockingWrite async = nonBlocking;
        if (async != null) {
            try {
                async.awaitIdle(FINISH_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // aborted: the writes below fail as the request's are
            }
        }
        closed = true;
        drain();
    }

    boolean isCommitted() {
        return committed;
    }

    /** Bytes the buffer holds now (not yet sent). */
    int buffered() {
        return count;
    }

    /** Bytes the application wrote (after the declared length's cut). */
    long written() {
        return written;
    }

    boolean isClosed() {
        return closed;
    }

    void setContentLength(long length) {
        contentLength = length;
    }

    int bufferSize() {
        return bufferSize;
    }

    /** @throws IllegalStateException once something was written or committed, as the spec has it */
    void setBufferSize(int size) {
        if (committed || count > 0) {
            throw new IllegalStateException("setBufferSize after content was written");
        }
        bufferSize = Math.max(size, 512);
        buffer = new byte[0];
    }

    /** Drops what is buffered, keeping everything else. */
    void resetBuffer() {
        if (committed) {
            throw new IllegalStateException("the response is already committed");
        }
        count = 0;
        written = 0;
    }

    /** Stops taking bytes (after sendError or sendRedirect) without sending anything yet. */
    void suspend() {
        closed = true;
    }

    /** Takes bytes again (an error page is about to be written into it). */
    void resume() {
        closed = false;
        contentLength = -1;
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(bufferSize, Math.max(needed, Math.max(64, buffer.length * 2))));
        }
    }

    private void drain() throws IOException {
        if (!committed) {
            committed = true;
            committer.commit();
        }
        if (count > 0) {
            sink.write(buffer, 0, count);
            count = 0;
        }
    }

    /** Where a WriteListener would run; set once the response has its request. */
    void listenerThreads(java.util.function.Supplier<ListenerThreads> threads) {
        listenerThreads = threads;
    }

    /** True for blocking writes; under a WriteListener, false while a write is under way (§5.3). */
    @Override
    public boolean isReady() {
        NonBlockingWrite async = nonBlocking;
        return async == null || async.isReady();
    }

    /**
     * Switches to non-blocking writes: onWritePossible follows on an async thread.
     *
     * @throws IllegalStateException outside async mode, or a second time
     */
    @Override
    public void setWriteListener(WriteListener writeListener) {
        Objects.requireNonNull(writeListener, "writeListener");
        if (listenerThreads == null) {
            throw new IllegalStateException("setWriteListener needs async mode: call startAsync() first");
        }
        ListenerThreads threads = listenerThreads.get();
        threads.requireAsync("setWriteListener");
        if (nonBlocking != null) {
            throw new IllegalStateException("the WriteListener is already set");
        }
        NonBlockingWrite async = new NonBlockingWrite(writeListener, threads);
        nonBlocking = async;
        async.start();
    }
}
