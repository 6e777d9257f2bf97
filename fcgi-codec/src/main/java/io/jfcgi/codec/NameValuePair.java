package io.jfcgi.codec;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One name-value pair (§3.4). Names and values are bytes on the wire; the string views decode them as
 * ISO-8859-1, which maps every byte to one char and so loses nothing. Ask for another charset where you know
 * the bytes are in it (a REQUEST_URI with raw UTF-8, say). Immutable: the arrays are never handed out.
 */
public final class NameValuePair {

    /** Lengths above this take four bytes on the wire; up to it, one. */
    public static final int MAX_SHORT_LENGTH = 127;
    /** A four-byte length has 31 bits (§3.4). */
    public static final int MAX_LENGTH = Integer.MAX_VALUE;

    private final byte[] name;
    private final byte[] value;

    private NameValuePair(byte[] name, byte[] value) {
        this.name = name;
        this.value = value;
    }

    /** A pair of these bytes; both arrays are copied. */
    public static NameValuePair of(byte[] name, byte[] value) {
        return new NameValuePair(Checks.notNull("name", name).clone(), Checks.notNull("value", value).clone());
    }

    /** A pair of these strings, encoded as ISO-8859-1; a char outside it is a programming error. */
    public static NameValuePair of(String name, String value) {
        return new NameValuePair(latin1("name", name), latin1("value", value));
    }

    /** Takes ownership of arrays the decoder has just filled. */
    static NameValuePair adopt(byte[] name, byte[] value) {
        return new NameValuePair(name, value);
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
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    /** The value, one char per byte. */
    public String value() {
        return new String(value, StandardCharsets.ISO_8859_1);
    }

    /** The value decoded in {@code charset}. */
    public String value(Charset charset) {
        return new String(value, charset);
    }

    /** A copy of the name's bytes. */
    public byte[] nameBytes() {
        return name.clone();
    }

    /** A copy of the value's bytes. */
    public byte[] valueBytes() {
        return value.clone();
    }

    public int nameLength() {
        return name.length;
    }

    public int valueLength() {
        return value.length;
    }

    /** Compares the name with an ISO-8859-1 string without allocating. */
    public boolean nameEquals(String other) {
        if (other.length() != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if ((name[i] & 0xFF) != other.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes this pair takes on the wire: lengths, name, value. */
    public long encodedLength() {
        return (long) lengthOfLength(name.length) + lengthOfLength(value.length) + name.length + value.length;
    }

    /** Writes the pair at {@code out}'s position (§3.4) and advances it. */
    public void writeTo(ByteBuffer out) {
        writeLength(name.length, out);
        writeLength(value.length, out);
        out.put(name).put(value);
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
        return o instanceof NameValuePair other && Arrays.equals(name, other.name) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(name) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name() + "=" + (value.length > 64 ? value().substring(0, 64) + "...(" + value.length + " bytes)" : value());
    }
}
