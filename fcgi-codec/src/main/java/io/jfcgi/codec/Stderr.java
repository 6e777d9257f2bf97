package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * FCGI_STDERR (§5.3): error text from the application, which the web server logs.
 *
 * @param requestId the request, 1..65535
 * @param content   the bytes of this record; empty ends the stream. See {@link StreamRecord} for ownership.
 */
public record Stderr(int requestId, ByteBuffer content) implements StreamRecord {

    /**
     * A STDERR record over these bytes.
     *
     * @param requestId the request, 1..65535
     * @param content   the bytes of this record: its remaining bytes are viewed read-only, not copied; empty ends
     *                  the stream
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535 or {@code content} is
     *                                  {@code null}
     */
    public Stderr {
        Checks.requestId(requestId);
        content = Content.view(content);
    }

    /**
     * The empty record that ends a request's STDERR stream.
     *
     * @param requestId the request, 1..65535
     * @return an empty STDERR record
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535
     */
    public static Stderr endOfStream(int requestId) {
        return new Stderr(requestId, Content.EMPTY);
    }

    @Override
    public RecordType type() {
        return RecordType.STDERR;
    }

    @Override
    public ByteBuffer content() {
        return content.duplicate();
    }

    @Override
    public int contentLength() {
        return content.remaining();
    }

    @Override
    public String toString() {
        return Content.describe("Stderr", requestId, content);
    }
}
