package io.jfcgi.responder;

import io.jfcgi.codec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.params;
import static io.jfcgi.responder.Wire.stdin;
import static io.jfcgi.responder.Wire.stdinEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A worker that has answered a kept connection waits on it for the next request and runs that itself, as
 * libfcgi's thread blocks in {@code read} on its connection, instead of going back to the pool and being handed the
 * next request by the I/O thread. The wait is an hour here, so that only what must end it early does: a task the
 * pool cannot otherwise run, the connection's close, a stop, or a request the waiter cannot run itself. Handlers
 * sleep 2 ms, so that after the first ones they run on the workers (quick ones run on the I/O thread).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NextRequestWaitTest {

    private static final Handler SLOW = (request, response) -> {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = request.body().readAllBytes();
        response.write(body.length == 0 ? "ok " + request.requestUri() : "read " + body.length);
    };

    private static TestServer start(int workers) throws IOException {
        return TestServer.start(SLOW, b -> b.ioThreads(1).workers(workers).waitForNextRequest(Duration.ofHours(1)));
    }

    /** Requests one after another on a kept connection until a worker waits on it for the next. */
    private static void untilAWorkerWaitsOn(Wire wire, TestServer server) throws Exception {
        for (int i = 0; i < 200 && waiting(server) == 0; i++) {
            wire.send(getRequest(1, "/warm", true));
            assertEquals("ok /warm", body(wire.readUntilEnd(1), 1));
            if (i >= 40) {
                Thread.sleep(5); // a loaded machine: give the worker time to begin its wait
            }
        }
        assertEquals(1, waiting(server), "a worker waits on the kept connection it answered");
    }

    /** Waits (up to 10 s) until a worker waits again: it is not among the waiters while it runs a request. */
    private static void awaitWaiting(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiting(server) != 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no worker waits again on the connection: " + waiting(server));
            }
            Thread.sleep(1);
        }
    }

    private static int waiting(TestServer server) {
        return server.server.scheduler().waiters().size();
    }

    @Test
    void theWaitingWorkerAnswersTheNextRequestOnItsConnection() throws Exception {
        try (TestServer server = start(4); Wire wire = server.connect()) {
            untilAWorkerWaitsOn(wire, server);
            for (int i = 0; i < 20; i++) {
                wire.send(getRequest(1, "/next", true));
                assertEquals("ok /next", body(wire.readUntilEnd(1), 1));
            }
            // The loop does not read a connection a worker waits on: answered at all, these were the waiter's.
            awaitWaiting(server); // and it waits again after each
        }
    }

    @Test
    void noWorkerWaitsWhileMoreConnectionsAreOpenThanWaitingPaysFor() throws Exception {
        java.util.List<Wire> others = new java.util.ArrayList<>();
        try (TestServer server = start(4); Wire wire = server.connect()) {
            for (int i = 0; i < ConnectionWaiters.MOST_CONNECTIONS; i++) {
                others.add(server.connect());
            }
            server.awaitOpenConnections(ConnectionWaiters.MOST_CONNECTIONS + 1);
            for (int i = 0; i < 60; i++) {
                wire.send(getRequest(1, "/many", true));
                assertEquals("ok /many", body(wire.readUntilEnd(1), 1));
                assertEquals(0, waiting(server));
            }
            for (Wire other : others) {
                other.close();
            }
            server.awaitOpenConnections(1);
            untilAWorkerWaitsOn(wire, server); // and with the others gone, one does
        } finally {
            for (Wire other : others) {
                other.close();
            }
        }
    }

    @Test
    void aWorkerWaitingOnOneConnectionIsAskedBackForARequestOnAnother() throws Exception {
        try (TestServer server = start(1); Wire waitedOn = server.connect(); Wire other = server.connect()) {
            untilAWorkerWaitsOn(waitedOn, server);
            // The only worker waits on the first connection for an hour; the pool asks it back for this one.
            other.send(getRequest(1, "/other", true));
            assertEquals("ok /other", body(other.readUntilEnd(1), 1));
            waitedOn.send(getRequest(1, "/again", true));
            assertEquals("ok /again", body(waitedOn.readUntilEnd(1), 1), "the loop reads it again meanwhile");
        }
    }

    @Test
    void aConnectionClosedWhileAWorkerWaitsOnItEndsAndFreesTheWorker() throws Exception {
        try (TestServer server = start(1)) {
            try (Wire wire = server.connect()) {
                untilAWorkerWaitsOn(wire, server);
            }
            server.awaitOpenConnections(0);
            try (Wire next = server.connect()) {
                next.send(getRequest(1, "/after", true));
                assertEquals("ok /after", body(next.readUntilEnd(1), 1));
            }
        }
    }

    @Test
    void aRequestWhoseBodyIsStillComingGoesToAHandlerThatReadsIt() throws Exception {
        try (TestServer server = start(1); Wire wire = server.connect()) {
            untilAWorkerWaitsOn(wire, server);
            Map<String, String> post = get("/upload");
            post.put("REQUEST_METHOD", "POST");
            post.put("CONTENT_LENGTH", "200000");
            wire.send(begin(1, Role.RESPONDER, true), params(1, post), stdin(1, new byte[50_000]));
            Thread.sleep(20); // the waiter has read the first part by now, and handed the rest to the handler
            for (int i = 0; i < 3; i++) {
                wire.send(stdin(1, new byte[50_000]));
            }
            wire.send(stdinEnd(1));
            assertEquals("read 200000", body(wire.readUntilEnd(1), 1));
            wire.send(getRequest(1, "/after", true));
            assertEquals("ok /after", body(wire.readUntilEnd(1), 1));
        }
    }
}
