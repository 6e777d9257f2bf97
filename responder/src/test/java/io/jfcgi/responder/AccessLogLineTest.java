package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's JSON: every field, and strings escaped as RFC 8259 asks. */
class AccessLogLineTest {

    @Test
    void aLineHasEveryFieldAndEndsWithANewline() {
        assertEquals("{\"time\":\"2024-04-05T19:34:38.123Z\",\"pid\":42,\"method\":\"GET\",\"uri\":\"/a?b=c\","
                        + "\"status\":200,\"bytes\":5,\"duration_ms\":12.034,\"queue_wait_ms\":7}\n",
                new AccessLogLine().format(1712345678123L, 42, "GET", "/a?b=c", 200, 5, 12_034_567, 7));
    }

    @Test
    void theQueueWaitIsLeftOutWithoutAStamp() {
        assertEquals("{\"time\":\"1970-01-01T00:00:00.000Z\",\"pid\":1,\"method\":\"POST\",\"uri\":\"/\","
                        + "\"status\":503,\"bytes\":0,\"duration_ms\":0.005}\n",
                new AccessLogLine().format(0, 1, "POST", "/", 503, 0, 5_000, QueueWait.NONE));
    }

    @ParameterizedTest(name = "{0} ms past the second, {1} ns: {2}, {3}")
    @CsvSource({
        "0,   0,         000, 0.000",
        "9,   9000,      009, 0.009",
        "10,  10000,     010, 0.010",
        "99,  99000,     099, 0.099",
        "100, 100000,    100, 0.100",
        "999, 1999999,   999, 1.999",
    })
    void theTimesMillisecondsAndTheDurationsFractionHaveThreeDigits(long millis, long nanos, String time,
            String duration) {
        String line = new AccessLogLine().format(1_712_345_678_000L + millis, 1, "GET", "/", 200, 0, nanos, QueueWait.NONE);
        assertEquals("{\"time\":\"2024-04-05T19:34:38." + time + "Z\",\"pid\":1,\"method\":\"GET\",\"uri\":\"/\","
                + "\"status\":200,\"bytes\":0,\"duration_ms\":" + duration + "}\n", line);
    }

    @Test
    void aLongUriIsWrittenWhole() {
        String uri = "/" + "a".repeat(300);
        assertTrue(new AccessLogLine().format(0, 1, "GET", uri, 200, 0, 0, QueueWait.NONE).contains("\"" + uri + "\""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "/plain                | \"/plain\"",
        "/a\"b                 | \"/a\\\"b\"",
        "/a\\b                 | \"/a\\\\b\"",
        "/caf\u00e9            | \"/caf\u00e9\"",             // non-ASCII stays as is: the file is UTF-8
        "/a\u2028b             | \"/a\u2028b\"",
        "/</script>            | \"/</script>\"",
        "`/a b`                | \"/a b\"",                 // a space is no control character
    })
    void stringsAreQuotedWithQuotesAndBackslashesEscaped(String raw, String json) {
        StringBuilder out = new StringBuilder();
        AccessLogLine.appendString(out, raw.strip());
        assertEquals(json.strip(), out.toString());
    }

    @Test
    void controlCharactersAreEscapedSoThatALineStaysOneLine() {
        StringBuilder out = new StringBuilder();
        AccessLogLine.appendString(out, "a\nb\rc\td\u0000e\u001ff\u007f");
        assertEquals("\"a\\nb\\rc\\td\\u0000e\\u001ff\\u007f\"", out.toString());
    }
}
