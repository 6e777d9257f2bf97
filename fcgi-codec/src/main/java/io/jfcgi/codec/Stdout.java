package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * FCGI_STDOUT (§5.3): the CGI response (headers, blank line, body), from the application.
 *
 * @param requestId the request, 1..65535
 * @param content   the bytes of this record; empty ends the stream. See {@link StreamRecord} for ownership.
 */
public record Stdout(int requestId, ByteBuffer content) implements StreamRecord {

    /**
     * A STDOUT record over these bytes.
     *
     * @param requestId the request, 1..65535
     * @param content   the bytes of this record: its remaining bytes are viewed read-only, not copied; empty ends
     *                  the stream
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535 or {@code content} is
     *                                  {@code null}
     */
    public Stdout {
        Checks.requestId(requestId);
        content = Content.view(content);
    }

    /**
     * The empty record that ends a request's STDOUT stream.
     *
     * @param requestId the request, 1..65535
     * @return an empty STDOUT record
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535
     */
    public static Stdout endOfStream(int requestId) {
        return new Stdout(requestId, Content.EMPTY);
    }

    @Override
    public RecordType type() {
        return RecordType.STDOUT;
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
        return Content.describe("Stdout", requestId, content);
    }
}
