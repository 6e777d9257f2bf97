package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The status channel's bytes become its lines; a line past the limit is dropped whole and the next ones read. */
class StatusLinesTest {

    private static final int LIMIT = 8;

    private final StatusLines statusLines = new StatusLines(LIMIT);
    private final List<String> lines = new ArrayList<>();
    private final List<Long> warnings = new ArrayList<>();

    /** Reads separated by {@code /}, {@code \n} for a newline. */
    private void feed(String reads) {
        for (String read : reads.split("/")) {
            byte[] bytes = read.replace("\\n", "\n").replace("\\r", "\r").getBytes(StandardCharsets.UTF_8);
            statusLines.feed(bytes, 0, bytes.length, lines::add, warnings::add);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "one read, two lines                  | ready\\nalive\\n                | ready,alive | ''",
        "a line in pieces                     | act/ive /1\\n                   | active 1    | ''",
        "CRLF loses its CR                    | ready\\r\\n                     | ready       | ''",
        "a line of exactly the limit is kept  | 12345678\\n                     | 12345678    | ''",
        "a line past the limit is dropped     | 123456789\\nready\\n            | ready       | 1",
        "dropped however it arrives           | 12345/6789/\\nready\\n          | ready       | 1",
        "dropped without its newline for long | 123456789/xxxxxxxxx/xx\\nalive\\n | alive       | 1",
        "each long line counts                | 123456789\\nok\\n123456789\\n   | ok          | 1 2",
    })
    void linesWithinTheLimitArePassedOnAndLongerOnesDropped(String name, String reads, String expected,
            String warned) {
        feed(reads);
        assertEquals(List.of(expected.split(",")), lines, name);
        assertEquals(warned.isEmpty() ? List.of() : List.of(warned.split(" ")).stream().map(Long::valueOf).toList(),
                warnings, name);
    }

    @Test
    void overLongLinesAreWarnedAboutAtTheFirstSecondFourthAndEighth() {
        for (int i = 0; i < 10; i++) {
            feed("123456789\\n");
        }
        assertEquals(List.of(1L, 2L, 4L, 8L), warnings);
        assertEquals(List.of(), lines);
    }

    @Test
    void theLastLineWithoutItsNewlineIsPassedOnAtTheEnd() {
        feed("alive");
        assertEquals(List.of(), lines);
        statusLines.finish(lines::add);
        assertEquals(List.of("alive"), lines);
    }

    @Test
    void anOverLongLastLineWithoutItsNewlineIsDroppedAtTheEnd() {
        feed("123456789");
        statusLines.finish(lines::add);
        assertEquals(List.of(), lines);
        assertEquals(List.of(1L), warnings);
    }

    @Test
    void aLimitThatKeepsNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StatusLines(0));
    }
}
