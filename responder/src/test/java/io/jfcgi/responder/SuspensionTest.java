package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.Record;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.bytes;
import static io.jfcgi.responder.Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request#suspend: the handler returns, its worker is free, and the request ends later from another thread. */
class SuspensionTest {

    /** "/hold" suspends and hands the suspension over; anything else is answered at once. */
    private final BlockingQueue<Suspension> held = new LinkedBlockingQueue<>();

    private final Handler handler = (request, response) -> {
        if (request.path().equals("/hold")) {
            response.setContentType("text/plain");
            held.add(request.suspend());
            return;
        }
        response.write("Hello " + request.path());
    };

    private Suspension nextHeld() throws InterruptedException {
        Suspension suspension = held.poll(10, TimeUnit.SECONDS);
        assertNotNull(suspension, "the handler suspended a request");
        return suspension;
    }

    private static void completeWith(Suspension suspension, String text) {
        try {
            suspension.response().write(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        suspension.complete();
    }

    @Test
    void suspendedRequestsHoldNoWorkerSoAPlainRequestIsAnsweredWhileTheyWait() throws Exception {
        List<Wire> wires = new ArrayList<>();
        try (TestServer server = TestServer.start(handler, b -> b.workers(2))) {
            try {
                for (int i = 0; i < 6; i++) {
                    Wire wire = server.connect();
                    wires.add(wire);
                    wire.send(getRequest(1, "/hold", true));
                }
                List<Suspension> suspensions = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    suspensions.add(nextHeld());
                }
                try (Wire plain = server.connect()) {
                    plain.send(getRequest(1, "/plain", true));
                    assertEquals("Hello /plain", body(plain.readUntilEnd(1), 1));
                }
                for (int i = 0; i < 6; i++) {
                    completeWith(suspensions.get(i), "held " + i);
                }
                for (int i = 0; i < 6; i++) {
                    assertEquals("held " + i, body(wires.get(i).readUntilEnd(1), 1));
                }
            } finally {
                for (Wire wire : wires) {
                    wire.close();
                }
            }
        }
    }

    @Test
    void completingFromAnotherThreadDeliversTheResponseWithItsLengthAndEndsTheRequest() throws Exception {
        try (TestServer server = TestServer.start(handler); Wire wire = server.connect()) {
            wire.send(getRequest(1, "/hold", true));
            Suspension suspension = nextHeld();
            CompletableFuture.runAsync(() -> completeWith(suspension, "later")).get(10, TimeUnit.SECONDS);
            List<Record> records = wire.readUntilEnd(1);
            String head = Wire.stdoutText(records, 1);
            assertTrue(head.contains("Content-Length: 5\r\n"), head);
            assertEquals("later", body(records, 1));
            assertEquals(0, ((EndRequest) records.get(records.size() - 1)).appStatus());
            assertThrows(IOException.class, () -> suspension.response().write("after the end"));
            wire.send(getRequest(2, "/next", true));
            assertEquals("Hello /next", body(wire.readUntilEnd(2), 2));
        }
    }

    @Test
    void aCompletionBeforeTheHandlerReturnsEndsTheRequestAsItReturns() throws Exception {
        Handler completesFirst = (request, response) -> {
            Suspension suspension = request.suspend();
            Thread other = new Thread(() -> completeWith(suspension, "done early"));
            other.start();
            other.join();
        };
        try (TestServer server = TestServer.start(completesFirst); Wire wire = server.connect()) {
            wire.send(getRequest(1, "/early", true));
            assertEquals("done early", body(wire.readUntilEnd(1), 1));
        }
    }

    @Test
    void anAbortWhileSuspendedEndsTheRequestTellsTheListenerAndFailsWrites() throws Exception {
        try (TestServer server = TestServer.start(handler); Wire wire = server.connect()) {
            wire.send(getRequest(1, "/hold", true));
            Suspension suspension = nextHeld();
            CountDownLatch told = new CountDownLatch(1);
            suspension.onAbort(told::countDown);
            wire.send(bytes(new AbortRequest(1)));
            List<Record> records = wire.readUntilEnd(1);
            assertInstanceOf(EndRequest.class, records.get(records.size() - 1));
            assertTrue(told.await(10, TimeUnit.SECONDS), "the abort listener was told");
            assertThrows(RequestAbortedException.class, () -> suspension.response().write("too late"));
            suspension.complete(); // does nothing now
            wire.send(getRequest(2, "/next", true));
            assertEquals("Hello /next", body(wire.readUntilEnd(2), 2));
        }
    }

    @Test
    void theLossOfTheConnectionWhileSuspendedTellsTheListener() throws Exception {
        try (TestServer server = TestServer.start(handler)) {
            Suspension suspension;
            try (Wire wire = server.connect()) {
                wire.send(getRequest(1, "/hold", true));
                suspension = nextHeld();
            }
            CountDownLatch told = new CountDownLatch(1);
            suspension.onAbort(told::countDown);
            assertTrue(told.await(10, TimeUnit.SECONDS), "the abort listener was told");
            assertThrows(RequestAbortedException.class, () -> suspension.response().write("too late"));
        }
    }

    @Test
    void aSuspendedRequestKeepsItsAdmissionUntilItEnds() throws Exception {
        try (TestServer server = TestServer.start(handler, b -> b.workers(1).queueCapacity(0));
             Wire first = server.connect(); Wire second = server.connect()) {
            first.send(getRequest(1, "/hold", true));
            Suspension suspension = nextHeld();
            second.send(getRequest(1, "/plain", true));
            assertTrue(Wire.stdoutText(second.readUntilEnd(1), 1).startsWith("Status: 503"),
                    "--workers 1 --queue 0 are taken by the suspended request");
            completeWith(suspension, "held");
            assertEquals("held", body(first.readUntilEnd(1), 1));
            second.send(getRequest(2, "/plain", true));
            assertEquals("Hello /plain", body(second.readUntilEnd(2), 2));
        }
    }

    @Test
    void aGracefulStopWaitsForASuspendedRequestWithinItsGrace() throws Exception {
        TestServer server = TestServer.start(handler, b -> b.shutdownGrace(Duration.ofSeconds(20)));
        CompletableFuture<Void> stop = null;
        try (Wire wire = server.connect()) {
            wire.send(getRequest(1, "/hold", true));
            Suspension suspension = nextHeld();
            stop = CompletableFuture.runAsync(server::close);
            server.awaitStopping();
            assertTrue(wire.silentFor(200), "the stop leaves the suspended request open");
            assertFalse(stop.isDone(), "the stop waits for it");
            completeWith(suspension, "finished in the grace");
            assertEquals("finished in the grace", body(wire.readUntilEnd(1), 1));
            stop.get(20, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    @Test
    void aGracefulStopCutsASuspendedRequestAfterItsGraceAndTellsTheListener() throws Exception {
        TestServer server = TestServer.start(handler, b -> b.shutdownGrace(Duration.ofMillis(300)));
        try (Wire wire = server.connect()) {
            wire.send(getRequest(1, "/hold", true));
            Suspension suspension = nextHeld();
            CountDownLatch told = new CountDownLatch(1);
            suspension.onAbort(told::countDown);
            server.close();
            assertTrue(told.await(10, TimeUnit.SECONDS), "the abort listener was told");
        } finally {
            server.close();
        }
    }

    @Test
    void suspendIsOnlyForTheHandlersOwnThreadWhileItRuns() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Handler offThread = (request, response) -> {
            Thread other = new Thread(() -> {
                try {
                    request.suspend();
                } catch (IllegalStateException e) {
                    refused.set(e);
                }
            });
            other.start();
            other.join();
            response.write("not suspended");
        };
        try (TestServer server = TestServer.start(offThread); Wire wire = server.connect()) {
            wire.send(getRequest(1, "/x", true));
            assertEquals("not suspended", body(wire.readUntilEnd(1), 1));
            assertInstanceOf(IllegalStateException.class, refused.get());
        }
    }

    @Test
    void aHandlerThatThrowsAfterSuspendingEndsItsRequestAsAFailureAndCompleteDoesNothing() throws Exception {
        AtomicReference<Suspension> suspended = new AtomicReference<>();
        Handler throwsAfter = (request, response) -> {
            suspended.set(request.suspend());
            throw new IllegalStateException("the application failed after suspending (expected by the test)");
        };
        try (TestServer server = TestServer.start(throwsAfter); Wire wire = server.connect()) {
            wire.send(getRequest(1, "/x", true));
            assertTrue(Wire.stdoutText(wire.readUntilEnd(1), 1).startsWith("Status: 500"));
            suspended.get().complete();
            assertTrue(wire.silentFor(100), "nothing more is written for the request");
        }
    }
}
