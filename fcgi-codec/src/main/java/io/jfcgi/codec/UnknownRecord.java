package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * A record whose type FastCGI 1.0 does not define (0, or 12..255). It is surfaced rather than dropped so the
 * application can answer {@link UnknownType} (§4.2). Its content views the decoder's input, as a
 * {@link StreamRecord}'s does.
 *
 * @param typeCode  the type byte as received
 * @param requestId the request id as received, 0..65535
 * @param content   the record's content
 */
public record UnknownRecord(int typeCode, int requestId, ByteBuffer content) implements Record {

    /**
     * A record of a type this codec does not know.
     *
     * @param typeCode  the type byte as received, 0..255 and not a {@link RecordType}'s code
     * @param requestId the request id as received, 0..65535
     * @param content   the record's content, at most 65535 bytes: its remaining bytes are viewed read-only,
     *                  not copied
     * @throws IllegalArgumentException if a value is out of range, {@code typeCode} is a known type, or
     *                                  {@code content} is {@code null}
     */
    public UnknownRecord {
        Checks.range("typeCode", typeCode, 0, 0xFF);
        if (RecordType.fromCode(typeCode) != null) {
            throw new IllegalArgumentException("type " + typeCode + " is " + RecordType.fromCode(typeCode)
                    + ", a known type; use its record class");
        }
        Checks.range("requestId", requestId, 0, RecordHeader.MAX_REQUEST_ID);
        content = Content.view(content);
        Checks.range("content length", content.remaining(), 0, RecordHeader.MAX_CONTENT_LENGTH);
    }

    /**
     * The record's content bytes.
     *
     * @return a fresh read-only view of the content; its position and limit are the caller's to move
     */
    @Override
    public ByteBuffer content() {
        return content.duplicate();
    }

    @Override
    public String toString() {
        return Content.describe("UnknownRecord{type=" + typeCode + "}", requestId, content);
    }
}
