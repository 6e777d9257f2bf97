package io.jfcgi.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Name-value pairs kept as ranges of the arrays they were decoded into: a PARAMS record of nginx's thirty-odd
 * pairs costs one array of bytes and one of offsets instead of an object per pair (a quarter of what a request
 * allocates). A {@link NameValuePair} is made only when {@link #get} asks for one; the lookups by index and
 * name make none. Given to {@link NameValuePairDecoder#decode}, it takes the pairs this way.
 *
 * <p>It only grows: filled by the decoder, then handed on and read.
 */
public final class NameValuePairs extends AbstractList<NameValuePair> implements RandomAccess {

    private static final byte[][] NO_ARRAYS = new byte[0][];
    private static final int[] NO_RANGES = new int[0];
    /** Per pair: the name's offset in its array, the name's length, the value's length (the value follows). */
    private static final int INTS_PER_PAIR = 3;

    private byte[][] arrays = NO_ARRAYS;
    private int[] ranges = NO_RANGES;
    private int size;

    /** An empty list, to be filled by {@link NameValuePairDecoder#decode} or {@link #add}. */
    public NameValuePairs() {
    }

    /**
     * The number of pairs.
     *
     * @return the number of pairs added so far
     */
    @Override
    public int size() {
        return size;
    }

    /**
     * A pair, as a new view of the same bytes (no copy).
     *
     * @param index the pair's index, from 0 in the order the pairs were added
     * @return a new {@link NameValuePair} over the pair's bytes
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     */
    @Override
    public NameValuePair get(int index) {
        Objects.checkIndex(index, size);
        int at = INTS_PER_PAIR * index;
        return NameValuePair.slice(arrays[index], ranges[at], ranges[at + 1], valueOffset(at), ranges[at + 2]);
    }

    /**
     * Appends a pair, sharing its bytes (no copy: pairs are immutable).
     *
     * @param pair the pair to add; not {@code null}
     * @return {@code true}, as {@link java.util.Collection#add} requires of a list
     * @throws NullPointerException if {@code pair} is {@code null}
     */
    @Override
    public boolean add(NameValuePair pair) {
        ensureRoom(1);
        addSlice(pair.data(), pair.nameOffset(), pair.nameLength(), pair.valueLength());
        return true;
    }

    /**
     * Finds the last pair of a name, as CGI does when a name repeats.
     *
     * @param name the name, compared byte for char as ISO-8859-1; case matters
     * @return the index of the last pair named {@code name}, or -1 if there is none
     */
    public int lastIndexOfName(String name) {
        for (int i = size - 1; i >= 0; i--) {
            if (nameEquals(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Compares a pair's name with a string, without allocating.
     *
     * @param index the pair's index, from 0
     * @param name  the name, compared byte for char as ISO-8859-1; case matters
     * @return {@code true} if pair {@code index} is named {@code name}
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     */
    public boolean nameEquals(int index, String name) {
        Objects.checkIndex(index, size);
        int at = INTS_PER_PAIR * index;
        return NameValuePair.rangeEquals(arrays[index], ranges[at], ranges[at + 1], name);
    }

    /**
     * Compares a pair's value with a string, without allocating.
     *
     * @param index the pair's index, from 0
     * @param value the value, compared byte for char as ISO-8859-1; case matters
     * @return {@code true} if the value of pair {@code index} is {@code value}
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     */
    public boolean valueEquals(int index, String value) {
        Objects.checkIndex(index, size);
        int at = INTS_PER_PAIR * index;
        return NameValuePair.rangeEquals(arrays[index], valueOffset(at), ranges[at + 2], value);
    }

    /**
     * A pair's value, decoded as ISO-8859-1.
     *
     * @param index the pair's index, from 0
     * @return the value, one char per byte
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     */
    public String value(int index) {
        return value(index, StandardCharsets.ISO_8859_1);
    }

    /**
     * A pair's value decoded in another charset.
     *
     * @param index   the pair's index, from 0
     * @param charset the charset the value's bytes are in
     * @return the value; bytes that are not valid in {@code charset} become its replacement char
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     */
    public String value(int index, Charset charset) {
        Objects.checkIndex(index, size);
        int at = INTS_PER_PAIR * index;
        return new String(arrays[index], valueOffset(at), ranges[at + 2], charset);
    }

    /**
     * A pair's value bytes.
     *
     * @param index the pair's index, from 0
     * @return a new copy of the value's bytes
     * @throws IndexOutOfBoundsException if {@code index} is not in 0..size()-1
     */
    public byte[] valueBytes(int index) {
        Objects.checkIndex(index, size);
        int at = INTS_PER_PAIR * index;
        int from = valueOffset(at);
        return Arrays.copyOfRange(arrays[index], from, from + ranges[at + 2]);
    }

    private int valueOffset(int at) {
        return ranges[at] + ranges[at + 1];
    }

    /** Room for {@code more} pairs without growing: the decoder knows how many whole pairs a record holds. */
    void ensureRoom(int more) {
        int needed = size + more;
        if (needed > arrays.length) {
            int grown = Math.max(needed, arrays.length + (arrays.length >> 1));
            arrays = Arrays.copyOf(arrays, grown);
            ranges = Arrays.copyOf(ranges, INTS_PER_PAIR * grown);
        }
    }

    /** Adds a pair whose value follows its name in {@code data}, which nobody changes; room was ensured. */
    void addSlice(byte[] data, int nameOffset, int nameLength, int valueLength) {
        int at = INTS_PER_PAIR * size;
        arrays[size] = data;
        ranges[at] = nameOffset;
        ranges[at + 1] = nameLength;
        ranges[at + 2] = valueLength;
        size++;
        modCount++;
    }
}
