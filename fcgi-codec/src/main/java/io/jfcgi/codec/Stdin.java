package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * FCGI_STDIN (§5.3): the request body, from the web server to the application.
 *
 * @param requestId the request, 1..65535
 * @param content   the bytes of this record; empty ends the stream. See {@link StreamRecord} for ownership.
 */
public record Stdin(int requestId, ByteBuffer content) implements StreamRecord {

    public Stdin {
        Checks.requestId(requestId);
        content = Content.view(content);
    }

    /** The empty record that ends the STDIN stream of {@code requestId}. */
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
