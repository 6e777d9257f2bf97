package io.jfcgi.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jfcgi.codec.Bytes.ascii;
import static io.jfcgi.codec.Bytes.concat;
import static io.jfcgi.codec.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** §3.4: name-value pairs, their one- and four-byte lengths, and the limits we put on them. */
class NameValuePairDecoderTest {

    /**
     * Decodes into a plain list, and again into the {@link NameValuePairs} the responder uses, which takes whole
     * pairs without an object per pair: every vector here checks that both hold the same pairs.
     */
    private static List<NameValuePair> decode(ParamsLimits limits, byte[]... pieces) throws FastCgiProtocolException {
        List<NameValuePair> pairs = decodeInto(new ArrayList<>(), limits, pieces);
        assertEquals(pairs, decodeInto(new NameValuePairs(), limits, pieces));
        return pairs;
    }

    private static List<NameValuePair> decodeInto(List<NameValuePair> pairs, ParamsLimits limits, byte[]... pieces)
            throws FastCgiProtocolException {
        NameValuePairDecoder decoder = new NameValuePairDecoder(limits);
        for (byte[] piece : pieces) {
            decoder.decode(ByteBuffer.wrap(piece), pairs);
        }
        decoder.finish();
        return pairs;
    }

    private static byte[] encode(NameValuePair... pairs) {
        long length = 0;
        for (NameValuePair pair : pairs) {
            length += pair.encodedLength();
        }
        ByteBuffer out = ByteBuffer.allocate((int) length);
        for (NameValuePair pair : pairs) {
            pair.writeTo(out);
        }
        return out.array();
    }

    static Stream<Arguments> lengths() {
        return Stream.of(
            Arguments.of(0, "00"),
            Arguments.of(1, "01"),
            Arguments.of(127, "7f"),
            Arguments.of(128, "80000080"),
            Arguments.of(1000, "800003e8"),
            Arguments.of(65535, "8000ffff"),
            Arguments.of(65536, "80010000"),
            Arguments.of(33554431, "81ffffff"));
    }

    @ParameterizedTest(name = "value of {0} bytes has length {1}")
    @MethodSource("lengths")
    void lengthsUpTo127TakeOneByteAndLongerOnesFour(int length, String encodedLength) throws Exception {
        byte[] value = Bytes.pattern(length);
        byte[] wire = encode(NameValuePair.of(ascii("N"), value));
        byte[] lengths = java.util.Arrays.copyOf(wire, 1 + encodedLength.length() / 2);
        assertEquals("01" + encodedLength, Bytes.toHex(lengths));
        List<NameValuePair> pairs = decode(ParamsLimits.UNLIMITED, wire);
        assertEquals(1, pairs.size());
        assertArrayEquals(value, pairs.get(0).valueBytes());
    }

    @ParameterizedTest(name = "name {0} bytes, value {1} bytes")
    @MethodSource("combinations")
    void allFourCombinationsOfLengthSizesDecode(int nameLength, int valueLength) throws Exception {
        NameValuePair pair = NameValuePair.of(Bytes.pattern(nameLength), Bytes.pattern(valueLength));
        assertEquals(List.of(pair), decode(ParamsLimits.UNLIMITED, encode(pair)));
    }

    @Test
    void aShortLengthSentInTheFourByteFormIsReadAsSuch() throws Exception {
        // §3.4 lets the high bit choose the form, whatever the length: "SERVER_PORT=80" with both lengths in 4 bytes.
        byte[] wire = hex("8000000b" + "80000002" + Bytes.toHex(ascii("SERVER_PORT")) + Bytes.toHex(ascii("80"))
                + "01" + "01" + "41" + "42");
        assertEquals(List.of(NameValuePair.of("SERVER_PORT", "80"), NameValuePair.of("A", "B")),
                decode(ParamsLimits.UNLIMITED, wire));
    }

    @Test
    void wholePairsThenOneCutByTheRecordEndComeOutInOrder() throws Exception {
        byte[] wire = encode(NameValuePair.of("A", "1"), NameValuePair.of("BB", "22"), NameValuePair.of("CCC", "333"));
        for (int cut = 0; cut <= wire.length; cut++) {
            List<NameValuePair> pairs = decode(ParamsLimits.UNLIMITED, java.util.Arrays.copyOf(wire, cut),
                    java.util.Arrays.copyOfRange(wire, cut, wire.length));
            assertEquals(List.of(NameValuePair.of("A", "1"), NameValuePair.of("BB", "22"), NameValuePair.of("CCC", "333")),
                    pairs, "cut at " + cut);
        }
    }

    static Stream<Arguments> combinations() {
        return Stream.of(Arguments.of(5, 7), Arguments.of(5, 300), Arguments.of(300, 7), Arguments.of(300, 300));
    }

    @Test
    void aPairSplitAtEveryByteOffsetDecodesTheSame() throws Exception {
        NameValuePair first = NameValuePair.of("SHORT", "v");
        NameValuePair second = NameValuePair.of(ascii("HTTP_COOKIE"), Bytes.pattern(200)); // four-byte value length
        byte[] wire = encode(first, second);
        for (int cut = 0; cut <= wire.length; cut++) {
            byte[] head = java.util.Arrays.copyOfRange(wire, 0, cut);
            byte[] tail = java.util.Arrays.copyOfRange(wire, cut, wire.length);
            assertEquals(List.of(first, second), decode(ParamsLimits.DEFAULTS, head, tail), "cut at " + cut);
        }
    }

    @Test
    void aPairStraddlingManyPiecesDecodes() throws Exception {
        NameValuePair pair = NameValuePair.of(ascii("X"), Bytes.pattern(1000));
        byte[] wire = encode(pair);
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < wire.length; at += 3) {
            pieces.add(java.util.Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 3)));
        }
        assertEquals(List.of(pair), decode(ParamsLimits.DEFAULTS, pieces.toArray(new byte[0][])));
    }

    @ParameterizedTest(name = "{0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(ints = {32767, 32768, 40000, 65535, 65536, 70000})
    void longValuesComeBackWholeNotMaskedTo15Bits(int length) throws Exception {
        // Jetty masks four-byte lengths with 0x7FFF: a 40000-byte value came back as 7232 bytes and garbage.
        NameValuePair pair = NameValuePair.of(ascii("HTTP_X_LONG"), Bytes.pattern(length));
        NameValuePair after = NameValuePair.of("NEXT", "1");
        assertEquals(List.of(pair, after), decode(ParamsLimits.UNLIMITED, encode(pair, after)));
    }

    @Test
    void namesAndValuesAreBytesNotText() throws Exception {
        byte[] name = hex("48 54 54 50 5f 58 5f 49 4e 56 41 4c ff fe 5f 48 45 41 44"); // HTTP_X_INVAL\xff\xfe_HEAD
        byte[] value = hex("c3 28 00 80 ff");
        List<NameValuePair> pairs = decode(ParamsLimits.DEFAULTS, encode(NameValuePair.of(name, value)));
        assertArrayEquals(name, pairs.get(0).nameBytes());
        assertArrayEquals(value, pairs.get(0).valueBytes());
        assertEquals(value.length, pairs.get(0).value().length()); // ISO-8859-1: one char per byte
    }

    @Test
    void emptyNamesAndValuesAreKept() throws Exception {
        assertEquals(List.of(NameValuePair.of("", ""), NameValuePair.of("CONTENT_LENGTH", "")),
                decode(ParamsLimits.DEFAULTS, hex("00 00 0e 00") , ascii("CONTENT_LENGTH")));
    }

    @Test
    void anEmptyStreamHasNoPairs() throws Exception {
        assertEquals(List.of(), decode(ParamsLimits.DEFAULTS));
    }

    // Limits: each names the limit and the offset of the length that broke it.

    @Test
    void aNameLongerThanTheLimitIsRefusedAtItsLength() {
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS.withMaxNameLength(10), encode(NameValuePair.of("A", "b")),
                        hex("8000000b 01")));
        assertEquals(Violation.NAME_TOO_LONG, e.violation());
        assertEquals(4, e.offset());
        assertTrue(e.getMessage().contains("name length 11 exceeds the limit of 10 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("of the PARAMS stream"), e.getMessage());
    }

    @Test
    void aDeclaredValueOf2To31Minus1IsRefusedBeforeAnyOfItArrives() {
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS, hex("01 ff ff ff ff 41")));
        assertEquals(Violation.VALUE_TOO_LONG, e.violation());
        assertEquals(1, e.offset());
        assertTrue(e.getMessage().contains("value length 2147483647"), e.getMessage());
    }

    @Test
    void withoutLimitsADeclared2To31Minus1ValueThatNeverArrivesIsTruncationNotAnAllocation() throws Exception {
        NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.UNLIMITED);
        List<NameValuePair> pairs = new ArrayList<>();
        decoder.decode(ByteBuffer.wrap(hex("01 ff ff ff ff 41 61 62 63")), pairs);
        assertFalse(decoder.isAtPairBoundary());
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class, decoder::finish);
        assertEquals(Violation.TRUNCATED_PAIR, e.violation());
        assertEquals(9, e.offset());
        assertTrue(e.getMessage().contains("value of 2147483647 bytes, 3 received"), e.getMessage());
    }

    @Test
    void morePairsThanTheLimitAreRefusedAtTheFirstExtraPair() {
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS.withMaxPairs(2), encode(NameValuePair.of("A", "1"),
                        NameValuePair.of("B", "2"), NameValuePair.of("C", "3"))));
        assertEquals(Violation.TOO_MANY_PAIRS, e.violation());
        assertEquals(8, e.offset());
    }

    @Test
    void aStreamLongerThanTheLimitIsRefused() {
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS.withMaxStreamBytes(10), encode(NameValuePair.of("AB", "12")),
                        encode(NameValuePair.of("CD", "34"))));
        assertEquals(Violation.PARAMS_TOO_LARGE, e.violation());
        assertEquals(10, e.offset());
        assertTrue(e.getMessage().contains("limit of 10 bytes"), e.getMessage());
    }

    @Test
    void aStreamEndingInsideALengthIsTruncated() {
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS, hex("01 80 00")));
        assertEquals(Violation.TRUNCATED_PAIR, e.violation());
        assertEquals(3, e.offset());
        assertTrue(e.getMessage().contains("inside the value length"), e.getMessage());
    }

    @Test
    void theDecoderStaysFailed() {
        NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.DEFAULTS.withMaxPairs(0));
        List<NameValuePair> pairs = new ArrayList<>();
        FastCgiProtocolException first = assertThrows(FastCgiProtocolException.class,
                () -> decoder.decode(ByteBuffer.wrap(hex("01 01 41 42")), pairs));
        assertEquals(first, assertThrows(FastCgiProtocolException.class, decoder::finish));
        assertEquals(first, assertThrows(FastCgiProtocolException.class,
                () -> decoder.decode(ByteBuffer.wrap(hex("00 00")), pairs)));
    }

    @Test
    void countsBytesAndPairs() throws Exception {
        NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.DEFAULTS);
        List<NameValuePair> pairs = new ArrayList<>();
        byte[] wire = concat(encode(NameValuePair.of("A", "1")), hex("01"));
        decoder.decode(ByteBuffer.wrap(wire), pairs);
        assertEquals(1, decoder.pairCount());
        assertEquals(wire.length, decoder.bytesConsumed());
    }

    // The fast path: the pairs that lie whole in one piece are copied into one array they share.

    static Stream<Arguments> wholePieces() {
        ParamsLimits tight = ParamsLimits.DEFAULTS.withMaxNameLength(2).withMaxValueLength(3).withMaxPairs(3);
        return Stream.of(
            Arguments.of("one-byte lengths, the last pair ending the piece", ParamsLimits.DEFAULTS,
                    encode(NameValuePair.of("A", "1"), NameValuePair.of("BB", "22"))),
            Arguments.of("empty names and values", ParamsLimits.DEFAULTS,
                    encode(NameValuePair.of("", ""), NameValuePair.of("A", ""), NameValuePair.of("", "1"))),
            Arguments.of("four-byte lengths", ParamsLimits.DEFAULTS,
                    encode(NameValuePair.of(Bytes.pattern(300), Bytes.pattern(200)), NameValuePair.of("A", "1"))),
            Arguments.of("short lengths in the four-byte form, the last pair empty",
                    ParamsLimits.DEFAULTS, hex("80000001 80000001 41 31 80000000 80000000")),
            Arguments.of("names, values and pairs exactly at their limits", tight,
                    encode(NameValuePair.of("AB", "123"), NameValuePair.of("CD", "456"), NameValuePair.of("E", "7"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wholePieces")
    void thePairsOfAPieceThatHoldsThemWholeShareOneArray(String what, ParamsLimits limits, byte[] wire)
            throws Exception {
        for (List<NameValuePair> pairs : List.of(decode(limits, wire), decodeInto(new NameValuePairs(), limits, wire))) {
            for (NameValuePair pair : pairs) {
                assertTrue(pair.data() == pairs.get(0).data(), what + ": " + pairs);
            }
        }
    }

    @Test
    void pairsAfterTheBufferPositionDecodeTheSame() throws Exception {
        // The record decoder hands over content as views that start anywhere in the connection's buffer.
        byte[] pairs = encode(NameValuePair.of("A", "1"), NameValuePair.of("BB", "22"));
        ByteBuffer in = ByteBuffer.wrap(concat(hex("ff ff ff"), pairs)).position(3);
        NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.DEFAULTS);
        List<NameValuePair> out = new ArrayList<>();
        decoder.decode(in, out);
        assertEquals(List.of(NameValuePair.of("A", "1"), NameValuePair.of("BB", "22")), out);
        assertEquals(pairs.length, decoder.bytesConsumed());
        assertFalse(in.hasRemaining());
    }

    @ParameterizedTest(name = "length {0} cut after byte {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "81020304, 1", "81020304, 2", "81020304, 3", "81020304, 4", "ff7f8001, 2", "80ffffff, 3"})
    void aFourByteLengthCutAnywhereReadsAsAllFourBytes(String length, int cut) {
        byte[] wire = hex("01" + length);
        long expected = Long.parseLong(length, 16) & 0x7FFF_FFFF;
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS.withMaxValueLength(1000), java.util.Arrays.copyOf(wire, cut),
                        java.util.Arrays.copyOfRange(wire, cut, wire.length)));
        assertTrue(e.getMessage().contains("value length " + expected + " exceeds"), e.getMessage());
    }

    @ParameterizedTest(name = "{2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "01 01 41 31 80 00       | 6 | the pair that began at byte 4 (inside the name length)",
        "01 01 41 31 05 01 41 42 | 8 | the pair that began at byte 4 (name of 5 bytes, 2 received)",
        "01 01 41 31 01 03 41 42 | 8 | the pair that began at byte 4 (value of 3 bytes, 1 received)",
    })
    void aStreamEndingInsideAPairNamesWhereThePairBeganAndWhatIsMissing(String wire, long offset, String detail) {
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS, hex(wire)));
        assertEquals(Violation.TRUNCATED_PAIR, e.violation());
        assertEquals(offset, e.offset());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void aStreamOfExactlyTheLimitIsAccepted() throws Exception {
        assertEquals(List.of(NameValuePair.of("AB", "12"), NameValuePair.of("CD", "34")),
                decode(ParamsLimits.DEFAULTS.withMaxStreamBytes(12), encode(NameValuePair.of("AB", "12")),
                        encode(NameValuePair.of("CD", "34"))));
    }

    @Test
    void thePairLimitCountsThePairsOfEarlierPieces() {
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                () -> decode(ParamsLimits.DEFAULTS.withMaxPairs(2), encode(NameValuePair.of("A", "1")),
                        encode(NameValuePair.of("B", "2"), NameValuePair.of("C", "3"))));
        assertEquals(Violation.TOO_MANY_PAIRS, e.violation());
        assertEquals(8, e.offset());
    }

    @Test
    void countsPairsCompletedAcrossPieces() throws Exception {
        NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.DEFAULTS);
        List<NameValuePair> pairs = new ArrayList<>();
        byte[] wire = encode(NameValuePair.of("A", "1"), NameValuePair.of("BB", "22"), NameValuePair.of("C", "3"));
        decoder.decode(ByteBuffer.wrap(wire, 0, 6), pairs); // A=1 whole, BB=22 cut after its name
        decoder.decode(ByteBuffer.wrap(wire, 6, wire.length - 6), pairs);
        assertEquals(3, decoder.pairCount());
        assertEquals(wire.length, decoder.bytesConsumed());
    }
}
