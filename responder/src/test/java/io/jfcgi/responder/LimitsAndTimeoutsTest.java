package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdin;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing a web server does, or fails to do, holds a worker or a connection forever. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LimitsAndTimeoutsTest {

    private static final Handler HELLO = (request, response) -> response.write("hello");

    @Test
    void paramsThatNeverEndAreAnswered408() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.paramsTimeout(Duration.ofMillis(300)));
             Wire wire = server.connect()) {
            byte[] params = Wire.params(1, get("/stuck"));
            wire.send(begin(1, Role.RESPONDER, true), java.util.Arrays.copyOf(params, params.length - 8));
            List<Record> records = wire.readUntilEnd(1);
            assertTrue(stdoutText(records, 1).startsWith("Status: 408 Request Timeout\r\n"), records.toString());
            wire.send(getRequest(2, "/next", true));
            assertEquals("hello", body(wire.readUntilEnd(2), 2));
        }
    }

    @Test
    void aBodyThatStopsArrivingAbortsTheRequest() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Handler reader = (request, response) -> {
            try {
                request.body().readAllBytes();
            } catch (IOException e) {
                seen.set(e);
                throw e;
            }
        };
        try (TestServer server = TestServer.start(reader, b -> b.readTimeout(Duration.ofMillis(300)));
             Wire wire = server.connect()) {
            wire.send(begin(1, Role.RESPONDER, true), Wire.params(1, get("/upload")), stdin(1, new byte[10]));
            List<Record> records = wire.readUntilEnd(1);
            assertEquals(1, ((EndRequest) records.get(records.size() - 1)).appStatus());
            assertInstanceOf(RequestAbortedException.class, seen.get());
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        // The timeout runs from the accept too: 1 s (not 300 ms), so that a loaded machine's pause between connect
        // and send does not close the connection before its request; the close is then read within Wire's 5 s.
        try (TestServer server = TestServer.start(HELLO, b -> b.idleTimeout(Duration.ofSeconds(1)));
             Wire wire = server.connect()) {
            wire.send(getRequest(1, "/", true));
            wire.readUntilEnd(1);
            assertTrue(wire.closedByServer());
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxConnections(1));
             Wire first = server.connect(); Wire second = server.connect()) {
            first.send(getRequest(1, "/", true));
            assertEquals("hello", body(first.readUntilEnd(1), 1));
            assertTrue(second.closedByServer());
        }
    }

    @Test
    void withOneRequestPerConnectionAConcurrentBeginIsRefusedAsCantMpxConn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Handler slow = (request, response) -> {
            release.await(10, TimeUnit.SECONDS);
            response.write("first");
        };
        try (TestServer server = TestServer.start(slow, b -> b.maxRequestsPerConnection(1));
             Wire wire = server.connect()) {
            wire.send(getRequest(1, "/a", true), begin(3, Role.RESPONDER, true));
            assertEquals(new EndRequest(3, 0, io.jfcgi.codec.ProtocolStatus.CANT_MPX_CONN), wire.read());
            release.countDown();
            assertEquals("first", body(wire.readUntilEnd(1), 1));
        }
    }

    @Test
    void getValuesAdvertisesNoMultiplexingWhenItIsOff() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxRequestsPerConnection(1));
             Wire wire = server.connect()) {
            wire.send(Wire.bytes(io.jfcgi.codec.GetValues.of(io.jfcgi.codec.GetValues.MPXS_CONNS)));
            assertEquals(new io.jfcgi.codec.GetValuesResult(List.of(io.jfcgi.codec.NameValuePair.of(
                    io.jfcgi.codec.GetValues.MPXS_CONNS, "0"))), wire.read());
        }
    }
}
