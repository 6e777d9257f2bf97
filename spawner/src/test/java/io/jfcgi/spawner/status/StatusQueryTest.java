package io.jfcgi.spawner.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query string as PHP-FPM reads it: format words and full, anywhere, with or without values. */
class StatusQueryTest {

    @ParameterizedTest(name = "?{0} -> {1}, full {2}")
    @CsvSource(nullValues = "null", value = {
        "null,                 TEXT,        false",
        "'',                   TEXT,        false",
        "full,                 TEXT,        true",
        "json,                 JSON,        false",
        "json&full,            JSON,        true",
        "full&xml,             XML,         true",
        "html,                 HTML,        false",
        "openmetrics&full,     OPENMETRICS, true",
        "full=1&json=yes,      JSON,        true",
        "jsonx,                TEXT,        false",
        "a=json,               TEXT,        false",
        "json&openmetrics,     OPENMETRICS, false",
    })
    void theQueryChoosesFormatAndRows(String query, StatusPage page, boolean full) {
        assertEquals(new StatusQuery(page, full), StatusQuery.parse(query));
    }
}
