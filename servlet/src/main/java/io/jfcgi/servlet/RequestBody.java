package io.jfcgi.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as a {@link ServletInputStream}: the responder's body stream, read as it arrives (never buffered
 * whole). Blocking only: {@link #setReadListener} needs async, which a later version brings.
 */
final class RequestBody extends ServletInputStream {

    private final InputStream body;
    private boolean finished;

    RequestBody(InputStream body) {
        this.body = body;
    }

    @Override
    public int read() throws IOException {
        int b = body.read();
        finished |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = body.read(buffer, off, len);
        finished |= n < 0;
        return n;
    }

    @Override
    public int available() throws IOException {
        return body.available();
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public boolean isReady() {
        return true; // blocking reads: a read waits for bytes rather than failing
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        throw new IllegalStateException("non-blocking reads need async processing, which jfcgi-servlet lacks yet");
    }
}
