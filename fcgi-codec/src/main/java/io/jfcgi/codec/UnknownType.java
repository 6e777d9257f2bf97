package io.jfcgi.codec;

/**
 * FCGI_UNKNOWN_TYPE (§4.2): the application's answer to a management record whose type it does not know.
 * Always sent with request id 0.
 *
 * @param unknownType the type byte of the record that was not understood
 */
public record UnknownType(int unknownType) implements Record {

    /** The body is always eight bytes: type, reserved[7]. */
    public static final int CONTENT_LENGTH = 8;

    /**
     * An UNKNOWN_TYPE answer.
     *
     * @param unknownType the type byte of the record that was not understood, 0..255
     * @throws IllegalArgumentException if {@code unknownType} is outside 0..255
     */
    public UnknownType {
        Checks.range("unknownType", unknownType, 0, 0xFF);
    }

    @Override
    public int typeCode() {
        return RecordType.UNKNOWN_TYPE.code();
    }

    @Override
    public int requestId() {
        return RecordHeader.NULL_REQUEST_ID;
    }
}
