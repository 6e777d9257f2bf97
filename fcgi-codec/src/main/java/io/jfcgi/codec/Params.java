package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * FCGI_PARAMS (§5.2): name-value pairs from the web server to the application; see {@link NameValuePairDecoder}.
 *
 * @param requestId the request, 1..65535
 * @param content   the bytes of this record; empty ends the stream. See {@link StreamRecord} for ownership.
 */
public record Params(int requestId, ByteBuffer content) implements StreamRecord {

    /**
     * A PARAMS record over these bytes.
     *
     * @param requestId the request, 1..65535
     * @param content   the bytes of this record: its remaining bytes are viewed read-only, not copied; empty ends
     *                  the stream
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535 or {@code content} is
     *                                  {@code null}
     */
    public Params {
        Checks.requestId(requestId);
        content = Content.view(content);
    }

    /**
     * The empty record that ends a request's PARAMS stream.
     *
     * @param requestId the request, 1..65535
     * @return an empty PARAMS record
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535
     */
    public static Params endOfStream(int requestId) {
        return new Params(requestId, Content.EMPTY);
    }

    @Override
    public RecordType type() {
        return RecordType.PARAMS;
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
        return Content.describe("Params", requestId, content);
    }
}
