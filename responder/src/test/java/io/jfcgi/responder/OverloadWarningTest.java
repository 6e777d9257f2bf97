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

/**
 * An overload answers every refused request and counts it for jspawn-fcgi's status, but the log gets one warning
 * per interval, not one per 503.
 */
@Timeout(60)
class OverloadWarningTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    /** Holds the one worker until released. */
    private final Handler gated = (request, response) -> {
        started.countDown();
        release.await();
        response.write("answer " + request.path());
    };

    @Test
    void manyRequestsRefusedInABurstMakeOneWarningLine() throws Exception {
        try (ServerFaults log = ServerFaults.watch();
             TestServer server = TestServer.start(gated, b -> b.workers(1).queueCapacity(0));
             Wire busy = server.connect()) {
            busy.send(getRequest(1, "/busy", true));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            refuse(server, 20);
            assertTrue(log.warnings() <= 2, log.warnings() + " warnings for 20 refusals within 10 s, not one or two");
            release.countDown();
            assertEquals("answer /busy", body(busy.readUntilEnd(1), 1));
            log.check();
        }
    }

    @Test
    void eachRequestRefusedForAnOverloadIsCountedForTheLaunchersStatus() throws Exception {
        try (TestServer server = TestServer.start(gated, b -> b.workers(1).queueCapacity(0));
             Wire busy = server.connect()) {
            assertEquals(0, server.server.counts().overloadRefusals());
            busy.send(getRequest(1, "/busy", true));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            refuse(server, 3);
            assertEquals(3, server.server.counts().overloadRefusals());
            release.countDown();
            assertEquals("answer /busy", body(busy.readUntilEnd(1), 1));
            busy.send(getRequest(1, "/served", true));
            assertEquals("answer /served", body(busy.readUntilEnd(1), 1));
            assertEquals(3, server.server.counts().overloadRefusals(), "a served request is no refusal");
            assertEquals(0, server.server.counts().budgetRefusals(), "counted apart from the budget's");
        }
    }

    /** Sends {@code count} requests on connections of their own while the worker is busy: each is answered 503. */
    private static void refuse(TestServer server, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (Wire refused = server.connect()) {
                refused.send(getRequest(1, "/refused", true));
                assertTrue(stdoutText(refused.readUntilEnd(1), 1).startsWith("Status: 503 Service Unavailable\r\n"));
            }
        }
    }
}
