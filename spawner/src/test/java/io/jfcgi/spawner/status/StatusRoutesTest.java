package io.jfcgi.spawner.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which page a request gets, from the parameters nginx sends, and the CGI answer's headers. */
class StatusRoutesTest {

    private final StatusRoutes routes = new StatusRoutes("/status", "/ping", () -> StatusPageTest.SNAPSHOT);

    private static Map<String, String> params(String... pairs) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals("null")) {
                params.put(pairs[i], pairs[i + 1]);
            }
        }
        return params;
    }

    @ParameterizedTest(name = "SCRIPT_NAME {0}, DOCUMENT_URI {1}, REQUEST_URI {2}, QUERY_STRING {3} -> {4} {5}")
    @CsvSource({
        "/status, /status, /status,        null,   200, text/plain; charset=utf-8",
        "/ping,   /ping,   /ping,          null,   200, text/plain",
        "/status, /status, /status?json,   json,   200, application/json",
        "null,    /status, /x,             xml,    200, text/xml; charset=utf-8",
        "null,    null,    /status?html,   null,   200, text/html; charset=utf-8",
        "null,    null,    /ping?x,        null,   200, text/plain",
        "/status.php, /status.php, /status.php, null, 404, text/plain",
        "/other,  /status, /status,        null,   404, text/plain",
        "null,    null,    null,           null,   404, text/plain",
    })
    void theScriptNameChoosesThePageAsPhpFpmMatchesIt(String script, String document, String uri, String query,
            int status, String type) {
        StatusRoutes.Answer answer = routes.answer(params("SCRIPT_NAME", script, "DOCUMENT_URI", document,
                "REQUEST_URI", uri, "QUERY_STRING", query)::get);
        assertEquals(status + " " + type, answer.status() + " " + answer.contentType());
    }

    @Test
    void pingAnswersPong() {
        StatusRoutes.Answer answer = routes.answer(params("SCRIPT_NAME", "/ping")::get);
        assertEquals("pong", new String(answer.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void theCgiAnswerHasStatusTypeLengthAndNoCaching() {
        String cgi = new String(routes.answer(params("SCRIPT_NAME", "/ping")::get).cgi(false),
                StandardCharsets.US_ASCII);
        assertEquals("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nExpires: Thu, 01 Jan 1970 "
                + "00:00:00 GMT\r\nCache-Control: no-cache, no-store, must-revalidate, max-age=0\r\n\r\npong", cgi);
    }

    @Test
    void headGetsTheHeadersOnly() {
        String cgi = new String(routes.answer(params("SCRIPT_NAME", "/ping")::get).cgi(true),
                StandardCharsets.US_ASCII);
        assertTrue(cgi.endsWith("max-age=0\r\n\r\n"), cgi);
    }

    @Test
    void beforeTheFirstSnapshotTheStatusIs503AndPingStillAnswers() {
        StatusRoutes starting = new StatusRoutes("/status", "/ping", () -> null);
        assertEquals(503, starting.answer(params("SCRIPT_NAME", "/status")::get).status());
        assertEquals(200, starting.answer(params("SCRIPT_NAME", "/ping")::get).status());
    }
}
