package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.RecordHeader;
import io.jfcgi.codec.RecordType;
import io.jfcgi.codec.Stderr;
import io.jfcgi.codec.Stdout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The body of a response as STDOUT records. Buffers up to its capacity; the first time bytes leave the buffer
 * the header block goes with them. Large writes go out as gathering writes straight from the caller's array.
 * The last write of a request carries the rest of the body, the empty STDOUT, the empty STDERR if STDERR was
 * used, and END_REQUEST: one system call for a small response. Every write names the exchange, so that a handler
 * whose write waits for a web server that does not read gives its slot back meanwhile ({@link RecordWriter}).
 */
final class ResponseStream extends OutputStream {

    /**
     * The least first allocation of the buffer, which is the first write's length if larger; it doubles up to its
     * capacity as the body grows. Small: a short answer should not cost a kilobyte of garbage (a fifth of a
     * /hello's allocation, and of its young GCs), nor 128 bytes for a 13-byte body (a twentieth).
     */
    private static final int INITIAL_BUFFER = 32;
    /** For {@link #putStdout}: the header block went out already. */
    private static final long NO_HEAD = -2;
    /** For {@link #putStdout}: the header block goes now, with no Content-Length (the body is still coming). */
    private static final long UNKNOWN_LENGTH = -1;

    private final Exchange exchange;
    private final RecordWriter writer;
    private final int requestId;
    private final boolean headOnly;
    private final int capacity;
    private byte[] buffer;
    private int count;
    private long bodyBytes;
    private boolean committed;
    private Response response;

    ResponseStream(Exchange exchange, RecordWriter writer, int requestId, int capacity, boolean headOnly) {
        this.exchange = exchange;
        this.writer = writer;
        this.requestId = requestId;
        this.headOnly = headOnly;
        this.capacity = capacity;
    }

    void attach(Response response) {
        this.response = response;
    }

    /** Body bytes the handler wrote (for HEAD, counted though not sent). */
    long bodyBytes() {
        return bodyBytes;
    }

    boolean isCommitted() {
        return committed;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        exchange.checkWritable();
        bodyBytes += len;
        if (headOnly) {
            // HEAD: the web server wants the headers only; keep counting so Content-Length stays right.
            if (!committed && bodyBytes > capacity) {
                send(null, 0, 0);
            }
            return;
        }
        if (count + len <= capacity) {
            ensureBuffer(count + len);
            System.arraycopy(b, off, buffer, count, len);
            count += len;
            return;
        }
        send(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        exchange.checkWritable();
        if (!committed || count > 0) {
            send(null, 0, 0);
        }
    }

    /** Drops the buffered body; the caller has checked nothing was committed. */
    void discardBuffered() {
        count = 0;
        bodyBytes = 0;
    }

    /** Writes the rest of the response and END_REQUEST with {@code appStatus}, in one write. */
    void finish(int appStatus, boolean stderrUsed) throws IOException {
        long headFor = committed ? NO_HEAD : bodyBytes;
        committed = true;
        int payload = headLength(headFor) + count;
        int size = payload == 0 ? 0 : RecordEncoder.encodedLength(payload);
        size += 2 * RecordHeader.LENGTH + EndRequest.CONTENT_LENGTH + (stderrUsed ? RecordHeader.LENGTH : 0);
        writer.write(exchange, size, out -> {
            putStdout(out, headFor, payload);
            RecordEncoder.encode(Stdout.endOfStream(requestId), out);
            if (stderrUsed) {
                RecordEncoder.encode(Stderr.endOfStream(requestId), out);
            }
            RecordEncoder.encode(EndRequest.complete(requestId, appStatus), out);
        });
    }

    /** Sends headers (if not yet sent), the buffer, then {@code b[off..off+len)}, without copying {@code b}. */
    private void send(byte[] b, int off, int len) throws IOException {
        long headFor = committed ? NO_HEAD : UNKNOWN_LENGTH;
        committed = true;
        int payload = headLength(headFor) + count;
        ByteBuffer first = null;
        if (payload > 0) {
            first = ByteBuffer.allocate(RecordEncoder.encodedLength(payload));
            putStdout(first, headFor, payload);
            first.flip();
        }
        if (len == 0) {
            if (first != null) {
                writer.write(exchange, first);
            }
            return;
        }
        ByteBuffer[] big = RecordEncoder.encodeGathering(new Stdout(requestId, ByteBuffer.wrap(b, off, len)));
        if (first == null) {
            writer.write(exchange, big);
        } else {
            ByteBuffer[] all = new ByteBuffer[big.length + 1];
            all[0] = first;
            System.arraycopy(big, 0, all, 1, big.length);
            writer.write(exchange, all);
        }
    }

    /** Bytes of the header block that goes out with the body now ({@code headFor}), 0 if it went already. */
    private int headLength(long headFor) {
        return headFor == NO_HEAD ? 0 : response.putHeaderBlock(headFor, null);
    }

    /**
     * STDOUT record(s) holding the header block (unless {@code headFor} is {@link #NO_HEAD}; else the body
     * length it states, or {@link #UNKNOWN_LENGTH}) then the buffered body, copied once into {@code out}.
     */
    private void putStdout(ByteBuffer out, long headFor, int payload) {
        if (payload == 0) {
            return;
        }
        if (payload <= RecordHeader.MAX_CONTENT_LENGTH) {
            RecordHeader header = RecordHeader.of(RecordType.STDOUT.code(), requestId, payload);
            header.writeTo(out);
            if (headFor != NO_HEAD) {
                response.putHeaderBlock(headFor, out);
            }
            if (count > 0) {
                out.put(buffer, 0, count);
            }
            for (int i = 0; i < header.paddingLength(); i++) {
                out.put((byte) 0); // the buffer may be reused: no stale bytes in the padding
            }
        } else { // a header block and body beyond one record: rare, so join them and let the encoder split
            ByteBuffer joined = ByteBuffer.allocate(payload);
            if (headFor != NO_HEAD) {
                response.putHeaderBlock(headFor, joined);
            }
            if (count > 0) {
                joined.put(buffer, 0, count);
            }
            joined.flip();
            RecordEncoder.encode(new Stdout(requestId, joined), out);
        }
        count = 0;
    }

    private void ensureBuffer(int needed) {
        if (buffer == null || buffer.length < needed) {
            int size = Math.max(needed, buffer == null ? INITIAL_BUFFER : 2 * buffer.length);
            buffer = buffer == null ? new byte[Math.min(capacity, size)] : Arrays.copyOf(buffer, Math.min(capacity, size));
        }
    }

    /** FCGI_STDERR: unbuffered, so that it keeps its place beside STDOUT. */
    static final class ErrorStream extends OutputStream {
        private final Exchange exchange;
        private final RecordWriter writer;
        private final int requestId;
        private volatile boolean used;

        ErrorStream(Exchange exchange, RecordWriter writer, int requestId) {
            this.exchange = exchange;
            this.writer = writer;
            this.requestId = requestId;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return; // an empty record would end the stream
            }
            exchange.checkWritable();
            used = true;
            writer.write(exchange, RecordEncoder.encodeGathering(new Stderr(requestId, ByteBuffer.wrap(b, off, len))));
        }

        boolean isUsed() {
            return used;
        }
    }
}
