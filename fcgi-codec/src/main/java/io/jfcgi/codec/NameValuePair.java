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

    /** A pair of these bytes; both arrays are copied. */
    public static NameValuePair of(byte[] name, byte[] value) {
        return new NameValuePair(Checks.notNull("name", name), Checks.notNull("value", value));
    }

    /** A pair of these strings, encoded as ISO-8859-1; a char outside it is a programming error. */
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

    /** The name, one char per byte. */
    public String name() {
        return new String(data, nameOffset, nameLength, StandardCharsets.ISO_8859_1);
    }

    /** The value, one char per byte. */
    public String value() {
        return new String(data, valueOffset, valueLength, StandardCharsets.ISO_8859_1);
    }

    /** The value decoded in {@code charset}. */
    public String value(Charset charset) {
        return new String(data, valueOffset, valueLength, charset);
    }

    /** A copy of the name's bytes. */
    public byte[] nameBytes() {
        return Arrays.copyOfRange(data, nameOffset, nameOffset + nameLength);
    }

    /** A copy of the value's bytes. */
    public byte[] valueBytes() {
        return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
    }

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

    public int valueLength() {
        return valueLength;
    }

    /** Compares the name with an ISO-8859-1 string without allocating. */
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

    /** Bytes this pair takes on the wire: lengths, name, value. */
    public long encodedLength() {
        return (long) lengthOfLength(nameLength) + lengthOfLength(valueLength) + nameLength + valueLength;
    }

    /** Writes the pair at {@code out}'s position (§3.4) and advances it. */
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
