package io.jfcgi.codec;

import java.nio.ByteBuffer;

/** Holds the content of stream and unknown records: a read-only view that callers cannot move. */
final class Content {
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private Content() {
    }

    /**
     * Captures {@code content}'s remaining bytes as a read-only view (no copy): one object, or none for an empty
     * record (every request has three), since a read-only buffer of no bytes has nothing anyone could change.
     */
    static ByteBuffer view(ByteBuffer content) {
        Checks.notNull("content", content);
        if (!content.hasRemaining()) {
            return EMPTY;
        }
        return content.isReadOnly() ? content.duplicate() : content.asReadOnlyBuffer();
    }

    static String describe(String type, int requestId, ByteBuffer content) {
        return type + "{requestId=" + requestId + ", " + content.remaining() + " bytes}";
    }
}
