package io.jfcgi.codec;

/**
 * Input that breaks the protocol or a configured limit. It says what was wrong and at which byte: the offset
 * counts from the first byte the decoder was given (the connection's first byte), or, for name-value pairs
 * fed to a {@link NameValuePairDecoder}, from the first byte of that stream.
 */
public final class FastCgiProtocolException extends Exception {

    /** Which rule was broken. */
    private final Violation violation;
    /** The offset of the offending byte, counted as the class comment says. */
    private final long offset;

    /**
     * An exception whose message is {@code detail} followed by the offset and what it counts in.
     *
     * @param violation which rule was broken
     * @param offset    the offset of the offending byte within {@code where}
     * @param where     what the offset counts in, such as "the connection" or "the PARAMS stream"
     * @param detail    what was wrong, in a sentence that names the values seen
     * @throws IllegalArgumentException if {@code violation} is {@code null}
     */
    public FastCgiProtocolException(Violation violation, long offset, String where, String detail) {
        super(detail + " (at byte " + offset + " of " + where + ")");
        this.violation = Checks.notNull("violation", violation);
        this.offset = offset;
    }

    /**
     * Which rule was broken.
     *
     * @return the violation, never {@code null}
     */
    public Violation violation() {
        return violation;
    }

    /**
     * Where the input went wrong.
     *
     * @return the offset of the offending byte, from 0, counted as the class comment says
     */
    public long offset() {
        return offset;
    }
}
