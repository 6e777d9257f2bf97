package io.jfcgi.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** getHeaders: list headers split into their elements, every other header one value. */
class HeaderValuesTest {

    /** Rows: header name | the joined value the web server sent | the values, separated by " ~ ". */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "Accept            | 'text/html, application/json;q=0.9' | 'text/html ~ application/json;q=0.9'",
            "accept-encoding   | 'gzip,deflate , br'                  | 'gzip ~ deflate ~ br'",
            "Cache-Control     | 'no-cache, max-age=0'                | 'no-cache ~ max-age=0'",
            "X-Forwarded-For   | '203.0.113.7, 10.0.0.1'              | '203.0.113.7 ~ 10.0.0.1'",
            "If-None-Match     | '\"a,b\", W/\"c\"'                   | '\"a,b\" ~ W/\"c\"'",
            "Forwarded         | 'for=\"[2001:db8::1]:4711\";proto=https, for=192.0.2.43'"
                    + "| 'for=\"[2001:db8::1]:4711\";proto=https ~ for=192.0.2.43'",
            "Prefer            | 'respond-async, wait=\"10\\\",5\"'   | 'respond-async ~ wait=\"10\\\",5\"'",
            "Accept            | 'a,,b, ,'                            | 'a ~ b'",
            "Accept            | ' , '                                | ''",
            "Cookie            | 'a=1; b=2'                           | 'a=1; b=2'",
            "User-Agent        | 'Mozilla/5.0 (X11, Linux)'           | 'Mozilla/5.0 (X11, Linux)'",
            "If-Modified-Since | 'Sun, 06 Nov 1994 08:49:37 GMT'      | 'Sun, 06 Nov 1994 08:49:37 GMT'",
            "Authorization     | 'Digest a=\"1\", b=\"2\"'            | 'Digest a=\"1\", b=\"2\"'",
            "X-Custom          | 'one, two'                           | 'one, two'",
    })
    void valuesAreTheListsElementsOrTheWholeValue(String name, String value, String expected) {
        List<String> values = expected == null || expected.isEmpty() ? List.of() : List.of(expected.split(" ~ "));
        assertEquals(values, HeaderValues.of(name, value));
    }

    @Test
    void getHeadersThroughTheBridgeSplitsTheParamAWebServerJoined() throws Exception {
        try (BridgeServer server = new BridgeServer(ServletApp.builder().servlet("/h", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(Collections.list(req.getHeaders("Accept")) + " "
                        + Collections.list(req.getHeaders("Cookie")));
            }
        }))) {
            assertEquals("[text/html, application/json] [a=1; b=2]", server.send("GET", "/h",
                    Map.of("HTTP_ACCEPT", "text/html, application/json", "HTTP_COOKIE", "a=1; b=2"), null).bodyText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Accept", "Cookie"})
    void anAbsentHeaderHasNoValues(String name) {
        assertEquals(List.of(), HeaderValues.of(name, null));
    }
}
