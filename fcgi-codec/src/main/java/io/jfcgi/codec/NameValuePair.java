package io.jfcgi.codec;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One name-value pair (§3.4). Names and values are bytes on the wire; the string views decode them as
 * ISO-8859-1, which maps every byte to one char and so loses nothing. Ask for another charset where you know
 * the bytes are in it (a REQUEST_URI with raw UTF-8, say). Immutable: the array is never handed out.
 *
 * <p>Name and value are ranges of one array, which the decoder shares among all the pairs of a PARAMS record:
 * one allocation for nginx's thirty-odd parameters instead of sixty.
 */
public final class NameValuePair {

    /** Lengths above this take four bytes on the wire; up to it, one. */
    public static final int MAX_SHORT_LENGTH = 127;
    /** A four-byte length has 31 bits (§3.4). */
    public static final int MAX_LENGTH = Integer.MAX_VALUE;

    private final byte[] data;
    private final int nameOffset;
    private final int nameLength;
    private final int valueOffset;
    private final int valueLength;

    /** Every pair's value follows its name in {@code data}: {@link NameValuePairs} counts on it. */
    private NameValuePair(byte[] data, int nameOffset, int nameLength, int valueOffset, int valueLength) {
        this.data = data;
        this.nameOffset = nameOffset;
        this.nameLength = nameLength;
        this.valueOffset = valueOffset;
        this.valueLength = valueLength;
    }

    private NameValuePair(byte[] name, byte[] value) {
        this(concat(name, value), 0, name.length, name.length, value.length);
    }

    private static byte[] concat(byte[] name, byte[] value) {
        byte[] both = Arrays.copyOf(name, name.length + value.length);
        System.arraycopy(value, 0, both, name.length, value.length);
        return both;
    }

    /**
     * A pair of these bytes.
     *
     * @param name  the name's bytes; copied
     * @param value the value's bytes, possibly empty; copied
     * @return the pair
     * @throws IllegalArgumentException if {@code name} or {@code value} is {@code null}
     */
    public static NameValuePair of(byte[] name, byte[] value) {
        return new NameValuePair(Checks.notNull("name", name), Checks.notNull("value", value));
    }

    /**
     * A pair of these strings, encoded as ISO-8859-1 (one byte per char).
     *
     * @param name  the name
     * @param value the value, possibly empty
     * @return the pair
     * @throws IllegalArgumentException if {@code name} or {@code value} is {@code null} or has a char outside
     *                                  ISO-8859-1; pass bytes to {@link #of(byte[], byte[])} for another charset
     */
    public static NameValuePair of(String name, String value) {
        return new NameValuePair(latin1("name", name), latin1("value", value));
    }

    /** Takes ownership of arrays the decoder has just filled. */
    static NameValuePair adopt(byte[] name, byte[] value) {
        return new NameValuePair(name, value);
    }

    /** A pair over ranges of {@code data}, which the decoder filled and shares among pairs it never changes. */
    static NameValuePair slice(byte[] data, int nameOffset, int nameLength, int valueOffset, int valueLength) {
        return new NameValuePair(data, nameOffset, nameLength, valueOffset, valueLength);
    }

    private static byte[] latin1(String what, String s) {
        Checks.notNull(what, s);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                throw new IllegalArgumentException(what + " has a char outside ISO-8859-1 at index " + i
                        + "; pass bytes instead");
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The name, decoded as ISO-8859-1.
     *
     * @return the name, one char per byte
     */
    public String name() {
        return new String(data, nameOffset, nameLength, StandardCharsets.ISO_8859_1);
    }

    /**
     * The value, decoded as ISO-8859-1.
     *
     * @return the value, one char per byte; empty if the value is
     */
    public String value() {
        return new String(data, valueOffset, valueLength, StandardCharsets.ISO_8859_1);
    }

    /**
     * The value decoded in another charset.
     *
     * @param charset the charset the value's bytes are in, such as UTF-8 for a raw REQUEST_URI
     * @return the value; bytes that are not valid in {@code charset} become its replacement char
     */
    public String value(Charset charset) {
        return new String(data, valueOffset, valueLength, charset);
    }

    /**
     * The name's bytes.
     *
     * @return a new copy of them
     */
    public byte[] nameBytes() {
        return Arrays.copyOfRange(data, nameOffset, nameOffset + nameLength);
    }

    /**
     * The value's bytes.
     *
     * @return a new copy of them
     */
    public byte[] valueBytes() {
        return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
    }

    /**
     * The name's length, without copying it.
     *
     * @return the name's length in bytes
     */
    public int nameLength() {
        return nameLength;
    }

    /** The shared array, for {@link NameValuePairs}, which never changes or hands it out either. */
    byte[] data() {
        return data;
    }

    int nameOffset() {
        return nameOffset;
    }

    /**
     * The value's length, without copying it.
     *
     * @return the value's length in bytes, 0 for an empty value
     */
    public int valueLength() {
        return valueLength;
    }

    /**
     * Compares the name with a string, one char per byte, without allocating.
     *
     * @param other the name to compare with; not {@code null}
     * @return {@code true} if the name's bytes are {@code other}'s chars read as ISO-8859-1; case matters
     */
    public boolean nameEquals(String other) {
        return rangeEquals(data, nameOffset, nameLength, other);
    }

    /** Whether {@code data[offset, offset + length)} is {@code text}, one char per byte. */
    static boolean rangeEquals(byte[] data, int offset, int length, String text) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((data[offset + i] & 0xFF) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes this pair takes on the wire (§3.4).
     *
     * @return the two lengths (1 or 4 bytes each), name and value, in bytes
     */
    public long encodedLength() {
        return (long) lengthOfLength(nameLength) + lengthOfLength(valueLength) + nameLength + valueLength;
    }

    /**
     * Writes the pair at {@code out}'s position (§3.4) and advances it.
     *
     * @param out where to write; needs {@link #encodedLength()} bytes remaining
     * @throws java.nio.BufferOverflowException if {@code out} has too few bytes remaining
     */
    public void writeTo(ByteBuffer out) {
        writeLength(nameLength, out);
        writeLength(valueLength, out);
        out.put(data, nameOffset, nameLength).put(data, valueOffset, valueLength);
    }

    /** One byte for lengths up to 127, else four with the high bit set (§3.4). */
    static int lengthOfLength(int length) {
        return length <= MAX_SHORT_LENGTH ? 1 : 4;
    }

    private static void writeLength(int length, ByteBuffer out) {
        if (length <= MAX_SHORT_LENGTH) {
            out.put((byte) length);
        } else {
            out.putInt(length | 0x8000_0000);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameValuePair other
                && Arrays.equals(data, nameOffset, nameOffset + nameLength,
                        other.data, other.nameOffset, other.nameOffset + other.nameLength)
                && Arrays.equals(data, valueOffset, valueOffset + valueLength,
                        other.data, other.valueOffset, other.valueOffset + other.valueLength);
    }

    /**
     * The same for equal pairs, wherever their bytes lie.
     *
     * @return {@code 31 * Arrays.hashCode(nameBytes()) + Arrays.hashCode(valueBytes())}
     */
    @Override
    public int hashCode() {
        return 31 * hash(nameOffset, nameLength) + hash(valueOffset, valueLength);
    }

    /** What {@code Arrays.hashCode} gives for the range. */
    private int hash(int offset, int length) {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + data[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return name() + "=" + (valueLength > 64 ? value().substring(0, 64) + "...(" + valueLength + " bytes)" : value());
    }
}
