package io.jfcgi.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pairs of a PARAMS stream as ranges of shared arrays: the same pairs, looked up without objects. */
class NameValuePairsTest {

    /** REQUEST_METHOD=GET, a name repeated, an empty value, and a value beyond 127 bytes (four-byte length). */
    private static final List<NameValuePair> SENT = List.of(
            NameValuePair.of("REQUEST_METHOD", "GET"),
            NameValuePair.of("HTTP_COOKIE", "a=1"),
            NameValuePair.of("CONTENT_TYPE", ""),
            NameValuePair.of("HTTP_COOKIE", "b=2"),
            NameValuePair.of("HTTP_USER_AGENT", "x".repeat(300)));

    private static NameValuePairs decoded(List<NameValuePair> pairs) throws FastCgiProtocolException {
        ByteBuffer wire = ByteBuffer.allocate(pairs.stream().mapToInt(p -> (int) p.encodedLength()).sum());
        pairs.forEach(pair -> pair.writeTo(wire));
        NameValuePairs out = new NameValuePairs();
        NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.DEFAULTS);
        decoder.decode(wire.flip(), out);
        decoder.finish();
        return out;
    }

    @Test
    void holdsTheDecodedPairsInTheOrderSent() throws Exception {
        assertEquals(SENT, decoded(SENT));
    }

    @Test
    void theLastOfARepeatedNameIsFound() throws Exception {
        NameValuePairs pairs = decoded(SENT);
        int i = pairs.lastIndexOfName("HTTP_COOKIE");
        assertEquals(3, i);
        assertEquals("b=2", pairs.value(i));
    }

    @Test
    void anAbsentNameIsMinusOne() throws Exception {
        assertEquals(-1, decoded(SENT).lastIndexOfName("PATH_INFO"));
    }

    @Test
    void namesCompareExactlyAndCaseSensitively() throws Exception {
        NameValuePairs pairs = decoded(SENT);
        assertEquals(-1, pairs.lastIndexOfName("request_method"));
        assertEquals(-1, pairs.lastIndexOfName("REQUEST_METHO"));
        assertFalse(pairs.nameEquals(0, "REQUEST_METHODS"));
        assertTrue(pairs.nameEquals(0, "REQUEST_METHOD"));
    }

    @Test
    void namesCompareByteForByteAsIso88591() throws Exception {
        NameValuePairs pairs = decoded(List.of(NameValuePair.of(new byte[] {'X', (byte) 0xE9}, new byte[] {1})));
        assertEquals(0, pairs.lastIndexOfName("X\u00e9"));
    }

    @Test
    void valuesCompareExactly() throws Exception {
        NameValuePairs pairs = decoded(SENT);
        assertTrue(pairs.valueEquals(0, "GET"));
        assertFalse(pairs.valueEquals(0, "get"));
        assertFalse(pairs.valueEquals(0, "GE"));
        assertTrue(pairs.valueEquals(2, ""));
    }

    @Test
    void anEmptyValueIsKept() throws Exception {
        NameValuePairs pairs = decoded(SENT);
        assertEquals("", pairs.value(pairs.lastIndexOfName("CONTENT_TYPE")));
    }

    @Test
    void valuesComeAsBytesAndInAnyCharset() throws Exception {
        byte[] utf8 = "/caf\u00e9".getBytes(StandardCharsets.UTF_8);
        NameValuePairs pairs = decoded(List.of(NameValuePair.of("REQUEST_URI".getBytes(StandardCharsets.US_ASCII), utf8)));
        assertArrayEquals(utf8, pairs.valueBytes(0));
        assertEquals("/caf\u00e9", pairs.value(0, StandardCharsets.UTF_8));
        assertEquals("/caf\u00c3\u00a9", pairs.value(0));
    }

    @Test
    void aPairAddedAsAnObjectReadsBackTheSame() {
        NameValuePairs pairs = new NameValuePairs();
        pairs.addAll(SENT);
        assertEquals(SENT, pairs);
        assertEquals("x".repeat(300), pairs.value(4));
    }

    @Test
    void anIndexOutsideTheListIsRefused() throws Exception {
        NameValuePairs pairs = decoded(SENT);
        assertThrows(IndexOutOfBoundsException.class, () -> pairs.get(5));
        assertThrows(IndexOutOfBoundsException.class, () -> pairs.value(-1));
    }

    @Test
    void addingAPairThatIsARangeOfASharedArrayKeepsItsRange() throws Exception {
        NameValuePairs pairs = new NameValuePairs();
        for (NameValuePair pair : decoded(SENT)) { // each one a range of the array the decoder filled
            assertTrue(pairs.add(pair));
        }
        assertEquals(SENT, pairs);
    }
}
