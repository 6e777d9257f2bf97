package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler's side of the response headers: a refused call changes nothing. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ResponseHeadersTest {

    /** Runs {@code handler} for one request and returns the response's STDOUT text. */
    private static String respond(Handler handler) throws Exception {
        try (TestServer server = TestServer.start(handler); Wire wire = server.connect()) {
            wire.send(getRequest(1, "/", true));
            return stdoutText(wire.readUntilEnd(1), 1);
        }
    }

    @Test
    void aRefusedSetHeaderLeavesTheHeaderItWouldHaveReplaced() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        String stdout = respond((request, response) -> {
            response.setHeader("X-Kept", "a");
            refused.set(assertThrows(IllegalArgumentException.class,
                    () -> response.setHeader("X-Kept", "b\r\nInjected: yes")));
            response.write("ok");
        });
        assertTrue(stdout.contains("X-Kept: a\r\n"), stdout);
        assertTrue(!stdout.contains("Injected"), stdout);
        assertTrue(refused.get().getMessage().contains("value"), refused.get().getMessage());
    }

    @Test
    void aNegativeContentLengthIsRefused() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        respond((request, response) -> {
            refused.set(assertThrows(IllegalArgumentException.class, () -> response.setContentLength(-1)));
            response.write("ok");
        });
        assertEquals("a Content-Length cannot be negative: -1", refused.get().getMessage());
    }

    @Test
    void aVariableWithoutANameIsRefused() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        String stdout = respond((request, response) -> {
            refused.set(assertThrows(IllegalArgumentException.class, () -> response.setVariable(null, "v")));
            response.write("ok");
        });
        assertTrue(!stdout.contains("Variable-null"), stdout);
    }
}
