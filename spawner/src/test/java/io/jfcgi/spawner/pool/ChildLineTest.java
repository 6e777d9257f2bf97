package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which child lines already carry a time, and so get no second one from the launcher. */
class ChildLineTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2026-12-03T16:10:00,123 INFO  [main] AppMain: ready   | true",  // Log4j %d{ISO8601}
        "2026-12-03 16:10:00,123 INFO app started            | true",  // Log4j %d (DEFAULT)
        "2026-12-03T16:10:00.123Z {\"level\":\"info\"}         | true",  // ISO-8601 with a zone
        "[2026-12-03 16:10:00] production.ERROR: boom        | true",  // bracketed
        "16:10:00.123 [main] INFO  App - started             | true",  // Logback's and Log4j's default pattern
        "2026/12/03 16:10:00 listening                       | true",  // Go's log
        "[03-Dec-2026 16:10:00] WARNING: pool www            | true",  // php-fpm
        "INFO FastCgiServer serving FastCGI on [/127.0.0.1:9] | false", // the Log4j API's simple logger (the fixture app)
        "PHP Warning:  Undefined variable $x in /srv/a.php   | false",
        "Exception in thread \"main\" java.lang.Error        | false",
        "\tat io.jfcgi.App.main(App.java:12)                 | false",
        "2026 was a good year                                | false",
        "12:30 is lunch                                      | false",
        "''                                                  | false",
    })
    void aLeadingTimeIsItsOwn(String line, boolean own) {
        assertEquals(own, ChildLine.hasOwnTime(line));
    }

    @Test
    void theMessageNamesTheChild() {
        assertEquals("child 42: hello", ChildLine.message(42, "hello"));
    }
}
