package io.jfcgi.spawner.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every format of one snapshot, read back by a real parser of that format, with and without the processes. */
class StatusPageTest {

    /** A URI with every character the formats must escape: quotes, markup, a backslash. */
    static final String TRICKY_URI = "/a?b=1&c=\"<x>\"\\";

    static final StatusSnapshot SNAPSHOT = StatusSnapshot.of(
            List.of(Map.entry("pool", "app.jar"), Map.entry("process manager", "dynamic"),
                    Map.entry("start time", "03/Dec/2026:16:00:00 +0000"), Map.entry("start since", 42),
                    Map.entry("accepted conn", 1234), Map.entry("listen queue", 0), Map.entry("max listen queue", 3),
                    Map.entry("listen queue len", 1024), Map.entry("idle processes", 1),
                    Map.entry("active processes", 1), Map.entry("total processes", 2),
                    Map.entry("max active processes", 2), Map.entry("max children reached", 0),
                    Map.entry("slow requests", 1), Map.entry("shed requests", 4), Map.entry("log failures", 5),
                    Map.entry("budget refusals", 2), Map.entry("overload refusals", 6),
                    Map.entry("max heartbeat age ms", 950),
                    Map.entry("recycled max requests", 3), Map.entry("recycled crashed", 1),
                    Map.entry("frozen children", 0), Map.entry("listen", "127.0.0.1:9000"),
                    Map.entry("allowed clients", "this host only (loopback)"), Map.entry("max children", 8),
                    Map.entry("boot failures", 0), Map.entry("a newer counter", 7)),
            List.of(process(101, "Busy", "GET", TRICKY_URI, "120"), process(102, "Idle", "-", "-", "-")));

    private static List<Map.Entry<String, Object>> process(int pid, String state, String method, String uri,
            String heartbeat) {
        return List.of(Map.entry("pid", pid), Map.entry("state", state),
                Map.entry("start time", "03/Dec/2026:16:00:01 +0000"), Map.entry("start since", 41),
                Map.entry("requests", 600), Map.entry("request duration", 1500), Map.entry("request method", method),
                Map.entry("request URI", uri), Map.entry("active requests", 1), Map.entry("rss kib", 65536),
                Map.entry("heartbeat age ms", heartbeat));
    }

    static Stream<Arguments> pages() {
        long[] counted = {4, 5, 2, 6};
        String none = StatusPages.summary("app.jar", 1234, counted);
        String both = StatusPages.summary("app.jar", 1234, counted, 101, TRICKY_URI, 102, "-");
        return Stream.of(
                Arguments.of(StatusPage.JSON, false, none),
                Arguments.of(StatusPage.JSON, true, both),
                Arguments.of(StatusPage.XML, false, none),
                Arguments.of(StatusPage.XML, true, both),
                Arguments.of(StatusPage.HTML, false, none),
                Arguments.of(StatusPage.HTML, true, both),
                Arguments.of(StatusPage.OPENMETRICS, false, none),
                Arguments.of(StatusPage.OPENMETRICS, true, both));
    }

    @ParameterizedTest(name = "{0}, full {1}")
    @MethodSource("pages")
    void everyFormatReadsBackWithItsParser(StatusPage page, boolean full, String expected) throws Exception {
        assertEquals(expected, StatusPages.read(page, page.render(SNAPSHOT, full)));
    }

    @Test
    void theTextFormatReadsBackAsTheSameSnapshot() {
        assertEquals(SNAPSHOT, TextPage.parse(StatusPage.TEXT.render(SNAPSHOT, true)));
        assertEquals(new StatusSnapshot(SNAPSHOT.pool(), List.of()),
                TextPage.parse(StatusPage.TEXT.render(SNAPSHOT, false)));
    }

    @Test
    void theTextFormatAlignsValuesAsPhpFpmDoes() {
        String text = StatusPage.TEXT.render(SNAPSHOT, false);
        assertTrue(text.startsWith("pool:                 app.jar\nprocess manager:      dynamic\n"), text);
        assertTrue(text.contains("\nmax active processes: 2\n"), text);
    }

    @Test
    void openMetricsHasUnitsCountersAndTheEnd() {
        String page = StatusPage.OPENMETRICS.render(SNAPSHOT, true);
        assertTrue(page.endsWith("\n# EOF\n"), page);
        assertTrue(page.contains("# TYPE jspawn_fcgi_accepted_connections counter\n"
                + "# HELP jspawn_fcgi_accepted_connections Requests the pool has served\n"
                + "jspawn_fcgi_accepted_connections_total{pool=\"app.jar\"} 1234\n"), page);
        assertTrue(page.contains("# UNIT jspawn_fcgi_process_rss_bytes bytes\n"), page);
        assertTrue(page.contains("jspawn_fcgi_process_rss_bytes{pool=\"app.jar\",pid=\"101\"} 67108864\n"), page);
        assertTrue(page.contains("jspawn_fcgi_process_request_duration_seconds{pool=\"app.jar\",pid=\"101\"} 0.0015\n"),
                page);
        assertTrue(page.contains("jspawn_fcgi_recycled_children_total{pool=\"app.jar\",reason=\"max requests\"} 3\n"),
                page);
        assertTrue(page.contains("jspawn_fcgi_a_newer_counter{pool=\"app.jar\"} 7\n"), page);
        assertTrue(page.contains("# TYPE jspawn_fcgi_shed_requests counter\n"), page);
        assertTrue(page.contains("jspawn_fcgi_shed_requests_total{pool=\"app.jar\"} 4\n"), page);
        assertTrue(page.contains("# TYPE jspawn_fcgi_log_failures counter\n"), page);
        assertTrue(page.contains("jspawn_fcgi_log_failures_total{pool=\"app.jar\"} 5\n"), page);
        assertTrue(page.contains("request_uri=\"/a?b=1&c=\\\"<x>\\\"\\\\\""), page);
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", StatusPage.OPENMETRICS.contentType());
    }

    static Stream<Arguments> budgetRefusals() {
        return Stream.of(
                Arguments.of(StatusPage.TEXT, "\nbudget refusals:      2\n"),
                Arguments.of(StatusPage.JSON, "\"budget refusals\":2,"),
                Arguments.of(StatusPage.XML, "\n<budget-refusals>2</budget-refusals>\n"),
                Arguments.of(StatusPage.HTML, "\n<tr><th>budget refusals</th><td>2</td></tr>\n"),
                Arguments.of(StatusPage.OPENMETRICS, "# TYPE jspawn_fcgi_budget_refusals counter\n"
                        + "# HELP jspawn_fcgi_budget_refusals Requests answered 503 because the children's "
                        + "--max-buffered-bytes was full\n"
                        + "jspawn_fcgi_budget_refusals_total{pool=\"app.jar\"} 2\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("budgetRefusals")
    void budgetRefusalsShowInEveryFormat(StatusPage page, String expected) {
        String rendered = page.render(SNAPSHOT, false);
        assertTrue(rendered.contains(expected), rendered);
    }

    static Stream<Arguments> overloadRefusals() {
        return Stream.of(false, true).flatMap(full -> Stream.of(
                Arguments.of(StatusPage.TEXT, full, "\noverload refusals:    6\n"),
                Arguments.of(StatusPage.JSON, full, "\"overload refusals\":6,"),
                Arguments.of(StatusPage.XML, full, "\n<overload-refusals>6</overload-refusals>\n"),
                Arguments.of(StatusPage.HTML, full, "\n<tr><th>overload refusals</th><td>6</td></tr>\n"),
                Arguments.of(StatusPage.OPENMETRICS, full, "# TYPE jspawn_fcgi_overload_refusals counter\n"
                        + "# HELP jspawn_fcgi_overload_refusals Requests answered 503 because the children's "
                        + "--workers and --queue were full\n"
                        + "jspawn_fcgi_overload_refusals_total{pool=\"app.jar\"} 6\n")));
    }

    @ParameterizedTest(name = "{0}, full {1}")
    @MethodSource("overloadRefusals")
    void overloadRefusalsShowInEveryFormatWithAndWithoutTheChildren(StatusPage page, boolean full, String expected) {
        String rendered = page.render(SNAPSHOT, full);
        assertTrue(rendered.contains(expected), rendered);
    }

    @Test
    void aChildNeverHeardHasNoHeartbeatSample() {
        String page = StatusPage.OPENMETRICS.render(SNAPSHOT, true);
        assertTrue(page.contains("jspawn_fcgi_process_heartbeat_age_seconds{pool=\"app.jar\",pid=\"101\"} 0.12\n"),
                page);
        assertTrue(!page.contains("jspawn_fcgi_process_heartbeat_age_seconds{pool=\"app.jar\",pid=\"102\"}"), page);
    }

    @Test
    void jsonWritesNumbersBareAndTextQuoted() {
        String json = StatusPage.JSON.render(SNAPSHOT, false);
        assertTrue(json.startsWith("{\"pool\":\"app.jar\",\"process manager\":\"dynamic\""), json);
        assertTrue(json.contains("\"accepted conn\":1234,"), json);
        assertTrue(!json.contains("processes\":["), json);
    }
}
