package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * The fixed eight bytes in front of every record (§3.3, FCGI_Header).
 *
 * @param version       protocol version, {@link #VERSION_1} for every record this codec writes
 * @param typeCode      the record type's wire code (see {@link RecordType}); any byte value
 * @param requestId     0 for management records, 1..65535 for a request
 * @param contentLength 0..65535
 * @param paddingLength 0..255
 */
public record RecordHeader(int version, int typeCode, int requestId, int contentLength, int paddingLength) {

    /** FCGI_HEADER_LEN: "future versions of the protocol will not reduce this number" (§8). */
    public static final int LENGTH = 8;
    /** FCGI_VERSION_1. */
    public static final int VERSION_1 = 1;
    /** contentLength is an unsigned 16-bit field. */
    public static final int MAX_CONTENT_LENGTH = 0xFFFF;
    /** paddingLength is an unsigned byte. */
    public static final int MAX_PADDING_LENGTH = 0xFF;
    /** FCGI_NULL_REQUEST_ID: management records use it (§3.3). */
    public static final int NULL_REQUEST_ID = 0;
    /** requestId is an unsigned 16-bit field. */
    public static final int MAX_REQUEST_ID = 0xFFFF;

    /**
     * A header of these fields.
     *
     * @param version       protocol version, 0..255
     * @param typeCode      the record type's wire code, 0..255
     * @param requestId     0..65535
     * @param contentLength 0..65535
     * @param paddingLength 0..255
     * @throws IllegalArgumentException if a field is outside its range
     */
    public RecordHeader {
        Checks.range("version", version, 0, 0xFF);
        Checks.range("typeCode", typeCode, 0, 0xFF);
        Checks.range("requestId", requestId, 0, MAX_REQUEST_ID);
        Checks.range("contentLength", contentLength, 0, MAX_CONTENT_LENGTH);
        Checks.range("paddingLength", paddingLength, 0, MAX_PADDING_LENGTH);
    }

    /**
     * A version-1 header padded so that the record ends on an 8-byte boundary, as §3.3 recommends.
     *
     * @param typeCode      the record type's wire code, 0..255
     * @param requestId     0 for a management record, 1..65535 for a request's
     * @param contentLength the content bytes that follow the header, 0..65535
     * @return the header
     * @throws IllegalArgumentException if a value is out of its range
     */
    public static RecordHeader of(int typeCode, int requestId, int contentLength) {
        return new RecordHeader(VERSION_1, typeCode, requestId, contentLength, paddingFor(contentLength));
    }

    /**
     * The padding that brings a record with this much content to a multiple of eight bytes.
     *
     * @param contentLength the record's content bytes, not negative
     * @return 0..7
     */
    public static int paddingFor(int contentLength) {
        return -contentLength & 7;
    }

    /**
     * The bytes this record occupies on the wire.
     *
     * @return header, content and padding, in bytes
     */
    public int recordLength() {
        return LENGTH + contentLength + paddingLength;
    }

    /**
     * Writes the eight header bytes at {@code out}'s position and advances it.
     *
     * @param out where to write; needs eight bytes remaining
     * @throws java.nio.BufferOverflowException if {@code out} has fewer than eight bytes remaining
     */
    public void writeTo(ByteBuffer out) {
        out.put((byte) version)
                .put((byte) typeCode)
                .putShort((short) requestId)
                .putShort((short) contentLength)
                .put((byte) paddingLength)
                .put((byte) 0);
    }

    /**
     * Reads eight header bytes at {@code in}'s position and advances it. The version is not checked.
     *
     * @param in the bytes; needs eight remaining
     * @return the header
     * @throws java.nio.BufferUnderflowException if {@code in} has fewer than eight bytes remaining
     */
    public static RecordHeader readFrom(ByteBuffer in) {
        int version = in.get() & 0xFF;
        int type = in.get() & 0xFF;
        int requestId = in.getShort() & 0xFFFF;
        int contentLength = in.getShort() & 0xFFFF;
        int paddingLength = in.get() & 0xFF;
        in.get(); // reserved
        return new RecordHeader(version, type, requestId, contentLength, paddingLength);
    }
}
