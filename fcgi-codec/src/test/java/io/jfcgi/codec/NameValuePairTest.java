package io.jfcgi.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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
}
