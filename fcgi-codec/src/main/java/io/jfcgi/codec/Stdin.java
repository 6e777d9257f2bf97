package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * FCGI_STDIN (§5.3): the request body, from the web server to the application.
 *
 * @param requestId the request, 1..65535
 * @param content   the bytes of this record; empty ends the stream. See {@link StreamRecord} for ownership.
 */
public record Stdin(int requestId, ByteBuffer content) implements StreamRecord {

    /**
     * A STDIN record over these bytes.
     *
     * @param requestId the request, 1..65535
     * @param content   the bytes of this record: its remaining bytes are viewed read-only, not copied; empty ends
     *                  the stream
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535 or {@code content} is
     *                                  {@code null}
     */
    public Stdin {
        Checks.requestId(requestId);
        content = Content.view(content);
    }

    /**
     * The empty record that ends a request's STDIN stream.
     *
     * @param requestId the request, 1..65535
     * @return an empty STDIN record
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535
     */
    public static Stdin endOfStream(int requestId) {
        return new Stdin(requestId, Content.EMPTY);
    }

    @Override
    public RecordType type() {
        return RecordType.STDIN;
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
        return Content.describe("Stdin", requestId, content);
    }
}
