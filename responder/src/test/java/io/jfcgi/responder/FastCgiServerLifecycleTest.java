package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A server's life outside serving: built, closed, never started. Serving and stopping: ResponderProtocolTest. */
class FastCgiServerLifecycleTest {

    @Test
    void closingAServerThatNeverStartedIsQuietAndItCannotStartAfterwards() {
        FastCgiServer server = FastCgiServer.builder().listen("127.0.0.1:0").handler((request, response) -> { })
                .build();
        server.close();
        server.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
        assertEquals("this server was closed; build a new one to serve again", e.getMessage());
    }
}
