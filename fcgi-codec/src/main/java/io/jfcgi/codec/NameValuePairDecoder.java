package io.jfcgi.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one stream of name-value pairs (§3.4), such as the content of a request's PARAMS records, fed in
 * pieces of any size. A pair may straddle records, even inside a four-byte length. Lengths are checked against
 * {@link ParamsLimits} as soon as they are read, and buffers grow only as bytes arrive, never to a declared
 * length before its bytes are there. After the first error the decoder stays failed.
 */
public final class NameValuePairDecoder {

    private static final byte[] NO_BYTES = new byte[0];

    private enum State { NAME_LENGTH, VALUE_LENGTH, NAME, VALUE }

    private final ParamsLimits limits;
    private final String what;
    private final String where;
    private final long base;

    private State state = State.NAME_LENGTH;
    private long consumed;
    private int pairs;
    private long pairStart;
    private long fieldStart;
    private final byte[] lengthBytes = new byte[4];
    private int lengthFill;
    private int nameLength;
    private int valueLength;
    private byte[] name;
    private byte[] partial;
    private int partialFill;
    private FastCgiProtocolException failure;

    /**
     * A decoder for one PARAMS stream; error offsets count from the stream's first content byte.
     *
     * @param limits the bounds the stream must stay within, such as {@link ParamsLimits#DEFAULTS}
     * @throws IllegalArgumentException if {@code limits} is {@code null}
     */
    public NameValuePairDecoder(ParamsLimits limits) {
        this(limits, "PARAMS stream", "the PARAMS stream", 0);
    }

    /**
     * A decoder for the pairs of {@code what}, whose error offsets are {@code base} plus the offset in the
     * pairs, counted in {@code where}.
     */
    NameValuePairDecoder(ParamsLimits limits, String what, String where, long base) {
        this.limits = Checks.notNull("limits", limits);
        this.what = what;
        this.where = where;
        this.base = base;
    }

    /**
     * Consumes all of {@code in}, adding each pair it completes to {@code out}; a {@link NameValuePairs} takes them
     * without an object per pair.
     *
     * @param in  the stream's next bytes (a PARAMS record's content, say); all of them are consumed and copied
     * @param out where completed pairs are appended, in stream order
     * @throws FastCgiProtocolException when a limit is exceeded; the pairs added before it stay in {@code out}
     */
    public void decode(ByteBuffer in, List<? super NameValuePair> out) throws FastCgiProtocolException {
        if (failure != null) {
            throw failure;
        }
        try {
            if (in.remaining() > limits.maxStreamBytes() - consumed) {
                throw error(Violation.PARAMS_TOO_LARGE, limits.maxStreamBytes(), "the " + what + " is longer than the limit of "
                        + limits.maxStreamBytes() + " bytes");
            }
            if (isAtPairBoundary()) {
                wholePairs(in, out);
            }
            while (step(in, out)) {
                // each step completes one field
            }
        } catch (FastCgiProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * The stream has ended (its empty record arrived).
     *
     * @throws FastCgiProtocolException if it ended inside a pair
     */
    public void finish() throws FastCgiProtocolException {
        if (failure != null) {
            throw failure;
        }
        if (!isAtPairBoundary()) {
            failure = error(Violation.TRUNCATED_PAIR, consumed, "the " + what + " ended inside the pair that began at byte "
                    + (base + pairStart) + " (" + describePending() + ")");
            throw failure;
        }
    }

    /**
     * Whether the stream could end here.
     *
     * @return {@code true} when no pair is half-read
     */
    public boolean isAtPairBoundary() {
        return state == State.NAME_LENGTH && lengthFill == 0;
    }

    /**
     * The stream's bytes consumed so far.
     *
     * @return the content bytes consumed, lengths included
     */
    public long bytesConsumed() {
        return consumed;
    }

    /**
     * The pairs completed so far.
     *
     * @return the number of pairs added to the lists given to {@link #decode}
     */
    public int pairCount() {
        return pairs;
    }

    /**
     * The common case fast: every pair that lies whole in {@code in} (and within the limits) is copied with one
     * allocation into an array they all share. It stops before anything else (a pair cut by the record's end, or
     * one over a limit), which {@link #step} then handles, with its errors and offsets.
     */
    private void wholePairs(ByteBuffer in, List<? super NameValuePair> out) {
        int start = in.position();
        int end = in.limit();
        int p = start;
        int whole = 0;
        while (pairs + whole < limits.maxPairs()) {
            long nameLength = lengthAt(in, p, end); // -1 at the end of in, too
            if (nameLength < 0 || nameLength > limits.maxNameLength()) {
                break;
            }
            int valueAt = p + lengthSize(in, p); // a short length may come in the four-byte form too
            long valueLength = lengthAt(in, valueAt, end);
            if (valueLength < 0 || valueLength > limits.maxValueLength()) {
                break;
            }
            long pairEnd = valueAt + lengthSize(in, valueAt) + nameLength + valueLength;
            if (pairEnd > end) {
                break;
            }
            p = (int) pairEnd;
            whole++;
        }
        if (p == start) {
            return;
        }
        byte[] block = new byte[p - start];
        in.get(start, block);
        NameValuePairs ranges = out instanceof NameValuePairs list ? list : null;
        if (ranges != null) {
            ranges.ensureRoom(whole);
        }
        int at = 0; // the lengths are read again, from the copy (an array is quicker to read than the input)
        while (at < block.length) {
            int nameLength = lengthAt(block, at);
            at += lengthSize(block, at);
            int valueLength = lengthAt(block, at);
            at += lengthSize(block, at);
            if (ranges != null) {
                ranges.addSlice(block, at, nameLength, valueLength); // no object per pair
            } else {
                out.add(NameValuePair.slice(block, at, nameLength, at + nameLength, valueLength));
            }
            at += nameLength + valueLength;
        }
        in.position(p);
        consumed += p - start;
        pairs += whole;
    }

    /** Bytes the length at absolute index {@code at} takes: the high bit of its first byte says (§3.4). */
    private static int lengthSize(ByteBuffer in, int at) {
        return in.get(at) >= 0 ? 1 : 4;
    }

    /** Bytes the length at {@code at} of a pair known to be whole takes. */
    private static int lengthSize(byte[] pairs, int at) {
        return pairs[at] >= 0 ? 1 : 4;
    }

    /** The length at {@code at} of a pair known to be whole (§3.4). */
    private static int lengthAt(byte[] pairs, int at) {
        byte first = pairs[at];
        if (first >= 0) {
            return first;
        }
        return (first & 0x7F) << 24 | (pairs[at + 1] & 0xFF) << 16 | (pairs[at + 2] & 0xFF) << 8
                | (pairs[at + 3] & 0xFF);
    }

    /** The length at absolute index {@code at} of {@code in} (§3.4), or -1 if it does not end before {@code end}. */
    private static long lengthAt(ByteBuffer in, int at, int end) {
        if (at >= end) {
            return -1;
        }
        byte first = in.get(at);
        if (first >= 0) {
            return first;
        }
        return at + 4 <= end ? in.getInt(at) & 0x7FFF_FFFF : -1;
    }

    /** Advances one field; false when {@code in} has too few bytes to complete it. */
    private boolean step(ByteBuffer in, List<? super NameValuePair> out) throws FastCgiProtocolException {
        switch (state) {
            case NAME_LENGTH: {
                if (lengthFill == 0) {
                    if (!in.hasRemaining()) {
                        return false;
                    }
                    pairStart = consumed;
                    if (pairs >= limits.maxPairs()) {
                        throw error(Violation.TOO_MANY_PAIRS, consumed, "more than the limit of " + limits.maxPairs()
                                + " pairs");
                    }
                }
                int length = readLength(in);
                if (length < 0) {
                    return false;
                }
                nameLength = check(length, limits.maxNameLength(), Violation.NAME_TOO_LONG, "name");
                state = State.VALUE_LENGTH;
                return true;
            }
            case VALUE_LENGTH: {
                int length = readLength(in);
                if (length < 0) {
                    return false;
                }
                valueLength = check(length, limits.maxValueLength(), Violation.VALUE_TOO_LONG, "value");
                state = State.NAME;
                return true;
            }
            case NAME: {
                byte[] bytes = readBytes(in, nameLength);
                if (bytes == null) {
                    return false;
                }
                name = bytes;
                state = State.VALUE;
                return true;
            }
            case VALUE: {
                byte[] bytes = readBytes(in, valueLength);
                if (bytes == null) {
                    return false;
                }
                out.add(NameValuePair.adopt(name, bytes));
                name = null;
                pairs++;
                state = State.NAME_LENGTH;
                return true;
            }
            default:
                throw new AssertionError(state);
        }
    }

    /** A one-byte length (high bit clear) or a four-byte one (high bit set, 31 bits); -1 if incomplete. */
    private int readLength(ByteBuffer in) {
        if (lengthFill == 0) {
            if (!in.hasRemaining()) {
                return -1;
            }
            fieldStart = consumed;
            byte first = in.get(in.position());
            if (first >= 0) {
                in.get();
                consumed++;
                return first;
            }
        }
        while (lengthFill < 4 && in.hasRemaining()) {
            lengthBytes[lengthFill++] = in.get();
            consumed++;
        }
        if (lengthFill < 4) {
            return -1;
        }
        lengthFill = 0;
        return (lengthBytes[0] & 0x7F) << 24 | (lengthBytes[1] & 0xFF) << 16 | (lengthBytes[2] & 0xFF) << 8
                | (lengthBytes[3] & 0xFF);
    }

    private int check(int length, int limit, Violation violation, String field) throws FastCgiProtocolException {
        if (length > limit) {
            throw error(violation, fieldStart, field + " length " + length + " exceeds the limit of " + limit + " bytes");
        }
        return length;
    }

    /** The field's bytes, or null if incomplete; never allocates more than has arrived (times two). */
    private byte[] readBytes(ByteBuffer in, int length) {
        if (length == 0) {
            return NO_BYTES;
        }
        int n = Math.min(length - partialFill, in.remaining());
        if (n == 0) {
            return null;
        }
        int needed = partialFill + n;
        if (partial == null || partial.length < needed) {
            int grown = partial == null ? needed : (int) Math.min(length, Math.max(needed, 2L * partial.length));
            partial = partial == null ? new byte[grown] : Arrays.copyOf(partial, grown);
        }
        in.get(partial, partialFill, n);
        partialFill += n;
        consumed += n;
        if (partialFill < length) {
            return null;
        }
        byte[] bytes = partial; // grown to at most length, so exactly length now
        partial = null;
        partialFill = 0;
        return bytes;
    }

    private String describePending() {
        switch (state) {
            case NAME_LENGTH: return "inside the name length";
            case VALUE_LENGTH: return "inside the value length";
            case NAME: return "name of " + nameLength + " bytes, " + partialFill + " received";
            default: return "value of " + valueLength + " bytes, " + partialFill + " received";
        }
    }

    private FastCgiProtocolException error(Violation violation, long streamOffset, String detail) {
        return new FastCgiProtocolException(violation, base + streamOffset, where, detail);
    }
}
