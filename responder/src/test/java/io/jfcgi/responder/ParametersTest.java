package io.jfcgi.responder;

import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.NameValuePairs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request's parameters: lookups by name (the last repeat wins), as text, in a charset, as bytes. */
class ParametersTest {

    /** "café" in UTF-8, as nginx passes a raw REQUEST_URI on. */
    private static final byte[] CAFE = "/café".getBytes(StandardCharsets.UTF_8);

    private static Parameters parameters() {
        NameValuePairs pairs = new NameValuePairs();
        pairs.add(NameValuePair.of("REQUEST_METHOD", "GET"));
        pairs.add(NameValuePair.of("HTTP_ACCEPT", "text/html"));
        pairs.add(NameValuePair.of("EMPTY", ""));
        pairs.add(NameValuePair.of("HTTP_ACCEPT", "*/*"));
        pairs.add(NameValuePair.of("REQUEST_URI".getBytes(StandardCharsets.ISO_8859_1), CAFE));
        return Parameters.adopt(pairs);
    }

    @Test
    void aValueReadsAsIso88591ByteForByte() {
        assertEquals("GET", parameters().get("REQUEST_METHOD"));
        assertEquals(new String(CAFE, StandardCharsets.ISO_8859_1), parameters().get("REQUEST_URI"));
    }

    @Test
    void aValueDecodesInTheCharsetAsked() {
        assertEquals("/café", parameters().get("REQUEST_URI", StandardCharsets.UTF_8));
    }

    @Test
    void aValueReadsAsItsBytes() {
        assertArrayEquals(CAFE, parameters().getBytes("REQUEST_URI"));
    }

    @Test
    void theLastOfARepeatedNameWinsEveryLookup() {
        Parameters parameters = parameters();
        assertEquals("*/*", parameters.get("HTTP_ACCEPT"));
        assertEquals("*/*", parameters.get("HTTP_ACCEPT", StandardCharsets.UTF_8));
        assertArrayEquals("*/*".getBytes(StandardCharsets.ISO_8859_1), parameters.getBytes("HTTP_ACCEPT"));
        assertTrue(parameters.valueEquals("HTTP_ACCEPT", "*/*"));
        assertFalse(parameters.valueEquals("HTTP_ACCEPT", "text/html"));
        assertEquals("*/*", parameters.asMap().get("HTTP_ACCEPT"));
    }

    @Test
    void theFirstPairIsFoundByEveryLookup() {
        Parameters parameters = parameters();
        assertEquals("GET", parameters.get("REQUEST_METHOD", StandardCharsets.UTF_8));
        assertArrayEquals("GET".getBytes(StandardCharsets.ISO_8859_1), parameters.getBytes("REQUEST_METHOD"));
        assertTrue(parameters.contains("REQUEST_METHOD"));
        assertTrue(parameters.valueEquals("REQUEST_METHOD", "GET"));
    }

    @Test
    void aNameNotSentHasNoValue() {
        Parameters parameters = parameters();
        assertNull(parameters.get("CONTENT_TYPE"));
        assertNull(parameters.get("CONTENT_TYPE", StandardCharsets.UTF_8));
        assertNull(parameters.getBytes("CONTENT_TYPE"));
        assertFalse(parameters.contains("CONTENT_TYPE"));
        assertFalse(parameters.valueEquals("CONTENT_TYPE", ""));
    }

    @Test
    void namesAreCaseSensitive() {
        assertNull(parameters().get("request_method"));
        assertFalse(parameters().contains("request_method"));
    }

    @Test
    void aNameSentWithAnEmptyValueIsThere() {
        Parameters parameters = parameters();
        assertTrue(parameters.contains("EMPTY"));
        assertEquals("", parameters.get("EMPTY"));
        assertTrue(parameters.valueEquals("EMPTY", ""));
    }

    @Test
    void thePairsAreEveryPairInTheOrderReceivedAndCannotBeChanged() {
        List<NameValuePair> pairs = parameters().pairs();
        assertEquals(List.of("REQUEST_METHOD", "HTTP_ACCEPT", "EMPTY", "HTTP_ACCEPT", "REQUEST_URI"),
                pairs.stream().map(NameValuePair::name).collect(Collectors.toList()));
        assertThrows(UnsupportedOperationException.class, () -> pairs.add(NameValuePair.of("X", "y")));
        assertEquals(5, parameters().size());
    }

    @Test
    void theMapHasEachNameOnceAndCannotBeChanged() {
        Map<String, String> map = parameters().asMap();
        assertEquals(Map.of("REQUEST_METHOD", "GET", "HTTP_ACCEPT", "*/*", "EMPTY", "",
                "REQUEST_URI", new String(CAFE, StandardCharsets.ISO_8859_1)), map);
        assertThrows(UnsupportedOperationException.class, () -> map.put("X", "y"));
    }
}
