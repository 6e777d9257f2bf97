package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An overload answers every refused request, but the log gets one warning per interval, not one per 503. */
@Timeout(60)
class OverloadWarningTest {

    @Test
    void manyRequestsRefusedInABurstMakeOneWarningLine() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Handler gated = (request, response) -> {
            started.countDown();
            release.await();
            response.write("answer " + request.path());
        };
        try (ServerFaults log = ServerFaults.watch();
             TestServer server = TestServer.start(gated, b -> b.workers(1).queueCapacity(0));
             Wire busy = server.connect()) {
            busy.send(getRequest(1, "/busy", true));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 20; i++) {
                try (Wire refused = server.connect()) {
                    refused.send(getRequest(1, "/refused", true));
                    assertTrue(stdoutText(refused.readUntilEnd(1), 1).startsWith("Status: 503 Service Unavailable\r\n"));
                }
            }
            assertTrue(log.warnings() <= 2, log.warnings() + " warnings for 20 refusals within 10 s, not one or two");
            release.countDown();
            assertEquals("answer /busy", body(busy.readUntilEnd(1), 1));
            log.check();
        }
    }
}
