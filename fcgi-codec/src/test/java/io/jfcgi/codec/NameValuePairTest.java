package io.jfcgi.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameValuePairTest {

    @Test
    void stringViewsAreIso88591ByteForByte() {
        NameValuePair pair = NameValuePair.of(new byte[] {'K'}, new byte[] {(byte) 0xc3, (byte) 0xa9});
        assertEquals("\u00c3\u00a9", pair.value());
        assertEquals("\u00e9", pair.value(StandardCharsets.UTF_8));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] value = {'a'};
        NameValuePair pair = NameValuePair.of(new byte[] {'K'}, value);
        value[0] = 'b';
        pair.valueBytes()[0] = 'c';
        assertArrayEquals(new byte[] {'a'}, pair.valueBytes());
    }

    @Test
    void nameEqualsComparesWithoutDecoding() {
        NameValuePair pair = NameValuePair.of("REQUEST_URI", "/");
        assertTrue(pair.nameEquals("REQUEST_URI"));
        assertFalse(pair.nameEquals("REQUEST_UR"));
        assertFalse(pair.nameEquals("REQUEST_URL"));
    }

    @Test
    void equalityIsByContent() {
        assertEquals(NameValuePair.of("A", "1"), NameValuePair.of("A".getBytes(), "1".getBytes()));
        assertEquals(NameValuePair.of("A", "1").hashCode(), NameValuePair.of("A", "1").hashCode());
        assertNotEquals(NameValuePair.of("A", "1"), NameValuePair.of("A", "2"));
    }

    @Test
    void charsOutsideIso88591AreRefusedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NameValuePair.of("A", "\u20ac"));
        assertTrue(e.getMessage().contains("pass bytes instead"), e.getMessage());
    }

    @Test
    void encodedLengthCountsBothLengthFields() {
        assertEquals(1 + 1 + 1 + 1, NameValuePair.of("A", "1").encodedLength());
        assertEquals(1 + 4 + 1 + 128, NameValuePair.of("A", "x".repeat(128)).encodedLength());
    }

    /** Pairs made from strings, and the same pairs decoded, each a range of an array the pairs share. */
    private static List<NameValuePair> madeAndDecoded() throws FastCgiProtocolException {
        List<NameValuePair> made = List.of(NameValuePair.of("A", "1"), NameValuePair.of("REQUEST_URI", "/x?y"),
                NameValuePair.of("", ""), NameValuePair.of("\u00ff", "x".repeat(200)));
        ByteBuffer wire = ByteBuffer.allocate(made.stream().mapToInt(p -> (int) p.encodedLength()).sum());
        made.forEach(pair -> pair.writeTo(wire));
        List<NameValuePair> all = new ArrayList<>(made);
        new NameValuePairDecoder(ParamsLimits.DEFAULTS).decode(wire.flip(), all);
        return all;
    }

    @Test
    void theHashCodeIsThatOfTheNameAndValueBytesWhereverTheyLie() throws Exception {
        for (NameValuePair pair : madeAndDecoded()) {
            assertEquals(31 * Arrays.hashCode(pair.nameBytes()) + Arrays.hashCode(pair.valueBytes()), pair.hashCode(),
                    pair.toString());
        }
    }

    @Test
    void theStringViewsReadTheirOwnRange() throws Exception {
        List<NameValuePair> pairs = madeAndDecoded();
        for (int i = 0; i < pairs.size() / 2; i++) {
            NameValuePair made = pairs.get(i);
            NameValuePair decoded = pairs.get(i + pairs.size() / 2);
            assertEquals(made.name(), decoded.name());
            assertEquals(made.value(), decoded.value());
        }
        assertEquals("REQUEST_URI", pairs.get(5).name());
        assertEquals("/x?y", pairs.get(5).value());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"\u00ff, true", "\u0100, false", "\u00e9t\u00e9, true", "\u20ac, false"})
    void namesAndValuesUpToU00ffAreTakenAsOneByteEach(String text, boolean taken) {
        if (taken) {
            assertEquals(text.length(), NameValuePair.of(text, text).valueLength());
            assertEquals(text, NameValuePair.of(text, text).name());
        } else {
            assertThrows(IllegalArgumentException.class, () -> NameValuePair.of(text, "v"));
            assertThrows(IllegalArgumentException.class, () -> NameValuePair.of("N", text));
        }
    }

    @ParameterizedTest(name = "value of {0} bytes")
    @CsvSource(delimiter = '|', value = {
        "0  | A=",
        "3  | A=xxx",
        "64 | A=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "65 | A=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...(65 bytes)",
    })
    void toStringShowsNameEqualsValueWithLongValuesCutAt64(int length, String expected) {
        assertEquals(expected, NameValuePair.of("A", "x".repeat(length)).toString());
    }
}
