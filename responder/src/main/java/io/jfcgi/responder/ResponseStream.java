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
 * used, and END_REQUEST: one system call for a small response.
 */
final class ResponseStream extends OutputStream {

    /**
     * First allocation of the buffer; it doubles up to its capacity as the body grows. Small: a short answer
     * should not cost a kilobyte of garbage (a fifth of a /hello's allocation, and of its young GCs).
     */
    private static final int INITIAL_BUFFER = 128;

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
        byte[] head = committed ? null : response.headerBlock(bodyBytes);
        committed = true;
        int payload = (head == null ? 0 : head.length) + count;
        int size = payload == 0 ? 0 : RecordEncoder.encodedLength(payload);
        size += 2 * RecordHeader.LENGTH + EndRequest.CONTENT_LENGTH + (stderrUsed ? RecordHeader.LENGTH : 0);
        ByteBuffer out = ByteBuffer.allocate(size);
        putStdout(out, head, payload);
        RecordEncoder.encode(Stdout.endOfStream(requestId), out);
        if (stderrUsed) {
            RecordEncoder.encode(Stderr.endOfStream(requestId), out);
        }
        RecordEncoder.encode(EndRequest.complete(requestId, appStatus), out);
        writer.write(out.flip());
    }

    /** Sends headers (if not yet sent), the buffer, then {@code b[off..off+len)}, without copying {@code b}. */
    private void send(byte[] b, int off, int len) throws IOException {
        byte[] head = committed ? null : response.headerBlock(-1);
        committed = true;
        int payload = (head == null ? 0 : head.length) + count;
        ByteBuffer first = null;
        if (payload > 0) {
            first = ByteBuffer.allocate(RecordEncoder.encodedLength(payload));
            putStdout(first, head, payload);
            first.flip();
        }
        if (len == 0) {
            if (first != null) {
                writer.write(first);
            }
            return;
        }
        ByteBuffer[] big = RecordEncoder.encodeGathering(new Stdout(requestId, ByteBuffer.wrap(b, off, len)));
        if (first == null) {
            writer.write(big);
        } else {
            ByteBuffer[] all = new ByteBuffer[big.length + 1];
            all[0] = first;
            System.arraycopy(big, 0, all, 1, big.length);
            writer.write(all);
        }
    }

    /** STDOUT record(s) holding {@code head} then the buffered body, copied once into {@code out}. */
    private void putStdout(ByteBuffer out, byte[] head, int payload) {
        if (payload == 0) {
            return;
        }
        if (payload <= RecordHeader.MAX_CONTENT_LENGTH) {
            RecordHeader header = RecordHeader.of(RecordType.STDOUT.code(), requestId, payload);
            header.writeTo(out);
            if (head != null) {
                out.put(head);
            }
            out.put(buffer == null ? new byte[0] : buffer, 0, count);
            out.position(out.position() + header.paddingLength()); // a fresh buffer is zero-filled
        } else { // a header block and body beyond one record: rare, so join them and let the encoder split
            byte[] joined = new byte[payload];
            int at = 0;
            if (head != null) {
                System.arraycopy(head, 0, joined, 0, head.length);
                at = head.length;
            }
            System.arraycopy(buffer, 0, joined, at, count);
            RecordEncoder.encode(new Stdout(requestId, ByteBuffer.wrap(joined)), out);
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
            writer.write(RecordEncoder.encodeGathering(new Stderr(requestId, ByteBuffer.wrap(b, off, len))));
        }

        boolean isUsed() {
            return used;
        }
    }
}
