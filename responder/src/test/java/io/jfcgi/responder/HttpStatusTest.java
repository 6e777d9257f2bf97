package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The reason phrase a status line gets, and which statuses may carry a body. */
class HttpStatusTest {

    /** The codes with a phrase of their own (RFC 9110 §15 and the few in use beside it). */
    private static final int[] NAMED = {100, 101, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 307,
        308, 400, 401, 402, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 425,
        426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 507, 511};

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"200, OK", "204, No Content", "304, Not Modified", "404, Not Found", "413, Content Too Large",
        "418, I'm a teapot", "503, Service Unavailable", "511, Network Authentication Required"})
    void aKnownCodeHasItsStandardPhrase(int code, String reason) {
        assertEquals(reason, HttpStatus.reason(code));
    }

    @Test
    void everyNamedCodeHasAPhraseOfItsOwn() {
        for (int code : NAMED) {
            String reason = HttpStatus.reason(code);
            assertFalse(reason.isEmpty(), code + " has an empty phrase");
            assertNotEquals(HttpStatus.reason(code / 100 * 100 + 99), reason, code + " has its class's phrase");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"102, Informational", "199, Informational", "250, Success", "299, Success", "305, Redirection",
        "399, Redirection", "420, Client Error", "499, Client Error", "599, Server Error", "600, Server Error",
        "999, Server Error"})
    void anUnknownCodeHasItsClassPhrase(int code, String reason) {
        assertEquals(reason, HttpStatus.reason(code));
    }

    @ParameterizedTest(name = "{0}: body {1}")
    @CsvSource({"100, false", "199, false", "200, true", "203, true", "204, false", "205, true", "303, true",
        "304, false", "305, true", "404, true", "500, true"})
    void informationalNoContentAndNotModifiedCarryNoBody(int code, boolean allowed) {
        assertEquals(allowed, HttpStatus.allowsBody(code));
    }
}
