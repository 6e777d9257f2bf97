package io.jfcgi.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The request body as a {@link ServletInputStream}: the responder's body stream, read as it arrives (never buffered
 * whole). Blocking reads, until the application sets a {@link ReadListener} in async mode: then reads never wait
 * and {@link NonBlockingRead} tells the listener when there is more.
 */
final class RequestBody extends ServletInputStream {

    /** The chunk a non-blocking read hands the listener at once: the responder's body records are 8 KiB or less. */
    private static final int CHUNK_BYTES = 8192;

    private final InputStream body;
    private final ListenerThreads threads;
    private boolean finished;
    private volatile NonBlockingRead nonBlocking;

    RequestBody(InputStream body, ListenerThreads threads) {
        this.body = body;
        this.threads = threads;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buffer.length);
        NonBlockingRead async = nonBlocking;
        if (async != null) {
            return len == 0 ? 0 : async.read(buffer, off, len);
        }
        int n = body.read(buffer, off, len);
        finished |= n < 0;
        return n;
    }

    @Override
    public int available() throws IOException {
        return nonBlocking == null ? body.available() : 0;
    }

    @Override
    public boolean isFinished() {
        NonBlockingRead async = nonBlocking;
        return async == null ? finished : async.isFinished();
    }

    /** True for blocking reads (a read waits rather than fails); under a ReadListener, see NonBlockingRead. */
    @Override
    public boolean isReady() {
        NonBlockingRead async = nonBlocking;
        return async == null || async.isReady();
    }

    /**
     * Switches to non-blocking reads: onDataAvailable (or onAllDataRead) follows on an async thread.
     *
     * @throws IllegalStateException outside async mode, or a second time
     */
    @Override
    public void setReadListener(ReadListener readListener) {
        Objects.requireNonNull(readListener, "readListener");
        threads.requireAsync("setReadListener");
        synchronized (this) {
            if (nonBlocking != null) {
                throw new IllegalStateException("the ReadListener is already set");
            }
            nonBlocking = new NonBlockingRead(body, readListener, threads, CHUNK_BYTES);
        }
        nonBlocking.start();
    }

    /** The request has ended: a non-blocking fetch still waiting tells nobody. */
    void requestEnded() {
        NonBlockingRead async = nonBlocking;
        if (async != null) {
            async.close();
        }
    }
}
