package io.jfcgi.codec.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The status channel's lines: what a child writes reads back as the same message; anything else reads safely. */
class StatusMessageTest {

    static Stream<StatusMessage> messages() {
        return Stream.of(
                new StatusMessage.Ready(),
                new StatusMessage.Alive(),
                new StatusMessage.Active(0, 0, 0),
                new StatusMessage.Active(3, 1234, 250),
                new StatusMessage.Active(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
                new StatusMessage.Counts(0, 0, 0),
                new StatusMessage.Counts(3, 17, 1),
                new StatusMessage.Counts(3, 17, 1, 9),
                new StatusMessage.Counts(3, 17, 1, 9, 42),
                StatusMessage.Request.of("GET", "/status?full&json"),
                StatusMessage.Request.of(null, null),
                StatusMessage.Request.of("POST", "/caf\u00e9 bar\u20ac"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageReadsBackAsItWasWritten(StatusMessage message) {
        assertEquals(message, StatusMessage.parse(message.format()));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "ready                 | Ready[]",
        "'  ready  '           | Ready[]",
        "ready 7               | Ready[]",                                  // fields after the word are ignored
        "alive                 | Alive[]",
        "alive 1               | Alive[]",
        "active 2 10 5         | Active[inFlight=2, served=10, oldestMillis=5]",
        "active 2 10           | Active[inFlight=2, served=10, oldestMillis=0]",  // oldest-ms may be missing
        "active 2 10 5 9 x     | Active[inFlight=2, served=10, oldestMillis=5]",  // newer fields are ignored
        "'active\t1\t2\t3'     | Active[inFlight=1, served=2, oldestMillis=3]",
        "counts 1 2 3 4 5      | Counts[slow=1, shed=2, logFailures=3, budgetRefusals=4, overloadRefusals=5]",
        "counts 1 2 3 4        | Counts[slow=1, shed=2, logFailures=3, budgetRefusals=4, overloadRefusals=0]",
        "counts 1 2 3          | Counts[slow=1, shed=2, logFailures=3, budgetRefusals=0, overloadRefusals=0]",
        "counts 1              | Counts[slow=1, shed=0, logFailures=0, budgetRefusals=0, overloadRefusals=0]",
        "counts 1 2 3 4 5 6 x  | Counts[slow=1, shed=2, logFailures=3, budgetRefusals=4, overloadRefusals=5]",
    })
    void readableLinesGiveTheirMessage(String line, String expected) {
        assertEquals(expected, StatusMessage.parse(line).toString());
    }

    @ParameterizedTest(name = "\"{0}\" is unreadable")
    @CsvSource(delimiter = '|', value = {
        "active              | active needs in-flight and served",
        "active 1            | active needs in-flight and served",
        "active one 2 3      | active takes whole numbers",
        "active 1 2 three    | active takes whole numbers",
        "active 1.5 2 3      | active takes whole numbers",
        "active 2147483648 1 | active takes whole numbers",   // in-flight is an int
    })
    void malformedActiveLinesAreUnreadableWithTheReason(String line, String problem) {
        assertEquals(new StatusMessage.Unreadable(line, problem), StatusMessage.parse(line));
    }

    @Test
    void countsGrowByAppendingSoThatAnOlderLauncherFindsItsFieldsWhereTheyWere() {
        assertEquals("counts 1 2 3 4 5", new StatusMessage.Counts(1, 2, 3, 4, 5).format());
        assertEquals("counts 1 2 3 4 0", new StatusMessage.Counts(1, 2, 3, 4).format());
    }

    @Test
    void countsAddUpFieldByField() {
        assertEquals(new StatusMessage.Counts(11, 22, 33, 44, 55),
                new StatusMessage.Counts(1, 2, 3, 4, 5).plus(new StatusMessage.Counts(10, 20, 30, 40, 50)));
    }

    @ParameterizedTest(name = "\"{0}\" is unreadable")
    @CsvSource({"counts 1 2 3 4 x", "counts 1 2 3 x", "counts x", "counts 1 -", "counts 1 2 3.5"})
    void malformedCountsLinesAreUnreadable(String line) {
        assertEquals(new StatusMessage.Unreadable(line, "counts takes whole numbers"), StatusMessage.parse(line));
    }

    @ParameterizedTest(name = "\"{0}\" is unknown")
    @CsvSource(delimiter = '|', value = {"heartbeat 1", "READY", "''", "'   '", "activex 1 2 3", "ALIVE", "alivex"})
    void linesWithAnUnknownFirstWordAreUnknownSoThatNewerChildrenAreIgnored(String line) {
        assertEquals(new StatusMessage.Unknown(line), StatusMessage.parse(line));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "GET         | /a?b=c           | GET | /a?b=c",
        "PROPFIND    | /%41             | PROPFIND | /%41",                // escapes already there are kept
        "null        | null             | -   | -",
        "''          | ''               | -   | -",
        "'GE T'      | /                | -   | /",                       // not a token
        "GET         | '/a b'           | GET | /a%20b",
    })
    void requestsAreOneAsciiLineWhateverTheRequestWas(String method, String uri, String sentMethod, String sentUri) {
        StatusMessage.Request request = StatusMessage.Request.of(method, uri);
        assertEquals(sentMethod + " " + sentUri, request.method() + " " + request.uri());
    }

    @Test
    void requestUrisBeyondAsciiAreEscapedAsUtf8() {
        assertEquals("/caf%E9/%E2%82%AC%0A", StatusMessage.Request.of("GET", "/caf\u00e9/\u20ac\n").uri());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'/!~'          | /!~",        // printable ASCII stays
        "'/a b'         | /a%20b",     // space and DEL are escaped
        "'/a\u007fb'   | /a%7Fb",
        "'/\u00ff'     | /%FF",       // up to U+00FF: one byte
        "'/\u0100'     | /%C4%80",    // beyond: UTF-8
    })
    void requestUriCharsAreKeptOrEscapedByRange(String uri, String sent) {
        assertEquals(sent, StatusMessage.Request.of("GET", uri).uri());
    }

    @Test
    void aRequestUriOfExactlyTheLongestLengthIsKeptWhole() {
        String uri = "/" + "a".repeat(StatusMessage.Request.MAX_URI_LENGTH - 1);
        assertEquals(uri, StatusMessage.Request.of("GET", uri).uri());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource({"heartbeat 1", "active one 2 3", "request GET"})
    void unknownAndUnreadableLinesFormatAsTheLineRead(String line) {
        assertEquals(line, StatusMessage.parse(line).format());
    }

    @Test
    void longRequestUrisAreCutWithoutSplittingAnEscape() {
        String uri = StatusMessage.Request.of("GET", "/" + "a".repeat(StatusMessage.Request.MAX_URI_LENGTH - 2)
                + " tail").uri();
        assertEquals("/" + "a".repeat(StatusMessage.Request.MAX_URI_LENGTH - 2), uri);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "request GET /x          | Request[method=GET, uri=/x]",
        "request GET /x newer    | Request[method=GET, uri=/x]",
        "request GET             | Unreadable[line=request GET, problem=request needs a method and a URI]",
    })
    void requestLinesRead(String line, String expected) {
        assertEquals(expected, StatusMessage.parse(line).toString());
    }

    @Test
    void theEnvironmentNamesTheTwoFds() {
        assertEquals("3", StatusChannel.environment().get("JSPAWN_FCGI_STATUS_FD"));
        assertEquals("4", StatusChannel.environment().get("JSPAWN_FCGI_CONTROL_FD"));
    }
}
