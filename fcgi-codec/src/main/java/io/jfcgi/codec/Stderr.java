package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * FCGI_STDERR (§5.3): error text from the application, which the web server logs.
 *
 * @param requestId the request, 1..65535
 * @param content   the bytes of this record; empty ends the stream. See {@link StreamRecord} for ownership.
 */
public record Stderr(int requestId, ByteBuffer content) implements StreamRecord {

    public Stderr {
        Checks.requestId(requestId);
        content = Content.view(content);
    }

    /** The empty record that ends the STDERR stream of {@code requestId}. */
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
