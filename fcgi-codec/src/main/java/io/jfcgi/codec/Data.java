package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * FCGI_DATA (§5.3, §6.4): the file a FILTER filters, sent after STDIN.
 *
 * @param requestId the request, 1..65535
 * @param content   the bytes of this record; empty ends the stream. See {@link StreamRecord} for ownership.
 */
public record Data(int requestId, ByteBuffer content) implements StreamRecord {

    /**
     * A DATA record over these bytes.
     *
     * @param requestId the request, 1..65535
     * @param content   the bytes of this record: its remaining bytes are viewed read-only, not copied; empty ends
     *                  the stream
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535 or {@code content} is
     *                                  {@code null}
     */
    public Data {
        Checks.requestId(requestId);
        content = Content.view(content);
    }

    /**
     * The empty record that ends a request's DATA stream.
     *
     * @param requestId the request, 1..65535
     * @return an empty DATA record
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535
     */
    public static Data endOfStream(int requestId) {
        return new Data(requestId, Content.EMPTY);
    }

    @Override
    public RecordType type() {
        return RecordType.DATA;
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
        return Content.describe("Data", requestId, content);
    }
}
