package io.jfcgi.codec;

import java.nio.ByteBuffer;

/** Holds the content of stream and unknown records: a read-only view that callers cannot move. */
final class Content {
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private Content() {
    }

    /** Captures {@code content}'s remaining bytes as a read-only view (no copy). */
    static ByteBuffer view(ByteBuffer content) {
        Checks.notNull("content", content);
        return content.slice().asReadOnlyBuffer();
    }

    static String describe(String type, int requestId, ByteBuffer content) {
        return type + "{requestId=" + requestId + ", " + content.remaining() + " bytes}";
    }
}
