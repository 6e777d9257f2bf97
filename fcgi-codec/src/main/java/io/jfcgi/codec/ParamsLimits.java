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

    /** The default {@link #maxStreamBytes()}: 1 MiB. */
    public static final long DEFAULT_MAX_STREAM_BYTES = 1L << 20;
    /** The default {@link #maxPairs()}: 4096. */
    public static final int DEFAULT_MAX_PAIRS = 4096;
    /** The default {@link #maxNameLength()}: 8 KiB. */
    public static final int DEFAULT_MAX_NAME_LENGTH = 8 << 10;
    /** The default {@link #maxValueLength()}: 512 KiB. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 512 << 10;

    /** The defaults: 1 MiB, 4096 pairs, 8 KiB names, 512 KiB values. */
    public static final ParamsLimits DEFAULTS = new ParamsLimits(
            DEFAULT_MAX_STREAM_BYTES, DEFAULT_MAX_PAIRS, DEFAULT_MAX_NAME_LENGTH, DEFAULT_MAX_VALUE_LENGTH);

    /** What the protocol itself allows: the limits of §3.4's 31-bit lengths. */
    public static final ParamsLimits UNLIMITED = new ParamsLimits(
            Long.MAX_VALUE, Integer.MAX_VALUE, NameValuePair.MAX_LENGTH, NameValuePair.MAX_LENGTH);

    /**
     * Limits of these sizes; 0 allows none (an empty stream, no pairs, or only empty names or values).
     *
     * @param maxStreamBytes most content bytes in the stream, lengths included
     * @param maxPairs       most pairs
     * @param maxNameLength  longest name, in bytes
     * @param maxValueLength longest value, in bytes
     * @throws IllegalArgumentException if a limit is negative
     */
    public ParamsLimits {
        if (maxStreamBytes < 0 || maxPairs < 0 || maxNameLength < 0 || maxValueLength < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxStreamBytes + ", " + maxPairs
                    + ", " + maxNameLength + ", " + maxValueLength);
        }
    }

    /**
     * These limits with another {@link #maxStreamBytes()}.
     *
     * @param value the new limit: most content bytes in the stream, lengths included; not negative
     * @return a new {@code ParamsLimits}; this one is unchanged
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public ParamsLimits withMaxStreamBytes(long value) {
        return new ParamsLimits(value, maxPairs, maxNameLength, maxValueLength);
    }

    /**
     * These limits with another {@link #maxPairs()}.
     *
     * @param value the new limit: most pairs; not negative
     * @return a new {@code ParamsLimits}; this one is unchanged
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public ParamsLimits withMaxPairs(int value) {
        return new ParamsLimits(maxStreamBytes, value, maxNameLength, maxValueLength);
    }

    /**
     * These limits with another {@link #maxNameLength()}.
     *
     * @param value the new limit: longest name, in bytes; not negative
     * @return a new {@code ParamsLimits}; this one is unchanged
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public ParamsLimits withMaxNameLength(int value) {
        return new ParamsLimits(maxStreamBytes, maxPairs, value, maxValueLength);
    }

    /**
     * These limits with another {@link #maxValueLength()}.
     *
     * @param value the new limit: longest value, in bytes; not negative
     * @return a new {@code ParamsLimits}; this one is unchanged
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public ParamsLimits withMaxValueLength(int value) {
        return new ParamsLimits(maxStreamBytes, maxPairs, maxNameLength, value);
    }
}
