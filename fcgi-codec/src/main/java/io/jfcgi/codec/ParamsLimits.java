package io.jfcgi.codec;

/**
 * Bounds on one stream of name-value pairs, so that a peer cannot make the application hold more than this.
 * The defaults leave room for anything nginx, Apache or lighttpd send (nginx fits all params in one record of
 * at most 65535 bytes; Apache sends 16 KiB records with no overall cap).
 *
 * @param maxStreamBytes most content bytes in the stream, lengths included
 * @param maxPairs       most pairs
 * @param maxNameLength  longest name, in bytes
 * @param maxValueLength longest value, in bytes
 */
public record ParamsLimits(long maxStreamBytes, int maxPairs, int maxNameLength, int maxValueLength) {

    public static final long DEFAULT_MAX_STREAM_BYTES = 1L << 20;
    public static final int DEFAULT_MAX_PAIRS = 4096;
    public static final int DEFAULT_MAX_NAME_LENGTH = 8 << 10;
    public static final int DEFAULT_MAX_VALUE_LENGTH = 512 << 10;

    /** The defaults: 1 MiB, 4096 pairs, 8 KiB names, 512 KiB values. */
    public static final ParamsLimits DEFAULTS = new ParamsLimits(
            DEFAULT_MAX_STREAM_BYTES, DEFAULT_MAX_PAIRS, DEFAULT_MAX_NAME_LENGTH, DEFAULT_MAX_VALUE_LENGTH);

    /** What the protocol itself allows: the limits of §3.4's 31-bit lengths. */
    public static final ParamsLimits UNLIMITED = new ParamsLimits(
            Long.MAX_VALUE, Integer.MAX_VALUE, NameValuePair.MAX_LENGTH, NameValuePair.MAX_LENGTH);

    public ParamsLimits {
        if (maxStreamBytes < 0 || maxPairs < 0 || maxNameLength < 0 || maxValueLength < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxStreamBytes + ", " + maxPairs
                    + ", " + maxNameLength + ", " + maxValueLength);
        }
    }

    public ParamsLimits withMaxStreamBytes(long value) {
        return new ParamsLimits(value, maxPairs, maxNameLength, maxValueLength);
    }

    public ParamsLimits withMaxPairs(int value) {
        return new ParamsLimits(maxStreamBytes, value, maxNameLength, maxValueLength);
    }

    public ParamsLimits withMaxNameLength(int value) {
        return new ParamsLimits(maxStreamBytes, maxPairs, value, maxValueLength);
    }

    public ParamsLimits withMaxValueLength(int value) {
        return new ParamsLimits(maxStreamBytes, maxPairs, maxNameLength, value);
    }
}
