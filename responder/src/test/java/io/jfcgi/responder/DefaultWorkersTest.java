package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default {@code --workers} (200): handlers that block run side by side well past the 16 of before, yet a
 * server that serves blocking requests one after another keeps a thread or two, not one per request.
 */
class DefaultWorkersTest {

    @Test
    void sixtyFourHandlersThatBlockRunAtOnce() throws Exception {
        int clients = 64;
        CountDownLatch running = new CountDownLatch(clients);
        CountDownLatch release = new CountDownLatch(1);
        Handler blocking = (request, response) -> {
            running.countDown();
            release.await(30, TimeUnit.SECONDS);
            response.write("ok");
        };
        List<Wire> wires = new ArrayList<>();
        try (TestServer server = TestServer.start(blocking)) {
            for (int i = 0; i < clients; i++) {
                Wire wire = server.connect();
                wires.add(wire);
                wire.send(Wire.getRequest(1, "/block", false));
            }
            assertTrue(running.await(20, TimeUnit.SECONDS),
                    running.getCount() + " of " + clients + " handlers never started");
            release.countDown();
            for (Wire wire : wires) {
                assertEquals("ok", Wire.body(wire.readUntilEnd(1), 1));
            }
        } finally {
            release.countDown();
            for (Wire wire : wires) {
                wire.close();
            }
        }
    }

    @Test
    void blockingRequestsOneAfterAnotherKeepAFewWorkersNotOnePerRequest() throws Exception {
        Set<String> workers = ConcurrentHashMap.newKeySet();
        Handler sleeping = (request, response) -> {
            Thread.sleep(1); // long enough for QuickHandlers to send it to the workers
            workers.add(Thread.currentThread().getName());
            response.write("slept");
        };
        try (TestServer server = TestServer.start(sleeping)) {
            for (int i = 0; i < 200; i++) {
                try (Wire wire = server.connect()) {
                    wire.send(Wire.getRequest(1, "/sleep", false));
                    assertEquals("slept", Wire.body(wire.readUntilEnd(1), 1));
                }
            }
        }
        long started = workers.stream().filter(name -> name.startsWith("fcgi-worker-")).count();
        // One, unless the next request came before the worker was back waiting; never a thread per request.
        assertTrue(started >= 1 && started <= 8, started + " workers ran 200 requests one after another: " + workers);
    }
}
