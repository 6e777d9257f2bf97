package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.bytes;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multiplexing web server (HAProxy) is told FCGI_MAX_REQS, and every request it sends below that is answered:
 * those the process cannot run yet wait on their connection instead of getting 503. Over a real socket.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MultiplexedAdmissionTest {

    /** Waits until the test lets handlers go, then answers with its URI. */
    private static Handler gated(CountDownLatch release, CountDownLatch started) {
        return (request, response) -> {
            started.countDown();
            assertTrue(release.await(20, TimeUnit.SECONDS));
            response.write("answer " + request.requestUri());
        };
    }

    private static byte[] requests(int from, int to) {
        List<byte[]> parts = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            parts.add(getRequest(id, "/r" + id, true));
        }
        return Wire.concat(parts.toArray(byte[][]::new));
    }

    /** Reads until {@code count} requests have ended: their records by id. */
    private static Map<Integer, List<Record>> readEnds(Wire wire, int count) throws IOException {
        Map<Integer, List<Record>> byId = new HashMap<>();
        int ended = 0;
        while (ended < count) {
            Record record = wire.read();
            if (record == null) {
                throw new IOException("EOF after " + ended + " of " + count + " requests ended");
            }
            byId.computeIfAbsent(record.requestId(), k -> new ArrayList<>()).add(record);
            if (record instanceof EndRequest) {
                ended++;
            }
        }
        return byId;
    }

    /** Requests {@code from} to {@code to} each ended complete, with their own answer. */
    private static void assertAnswered(Map<Integer, List<Record>> answers, int from, int to) {
        for (int id = from; id <= to; id++) {
            List<Record> records = answers.get(id);
            assertEquals(EndRequest.complete(id, 0), records.get(records.size() - 1), "request " + id);
            assertEquals("answer /r" + id, body(records, id), "request " + id);
        }
    }

    @Test
    void threeHundredRequestsOnOneConnectionToTwoWorkersAreAllAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try (TestServer server = TestServer.start(gated(release, started),
                b -> b.workers(2).queueCapacity(2).maxRequestsPerConnection(300));
             Wire wire = server.connect()) {
            wire.send(requests(1, 300));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            release.countDown();
            assertAnswered(readEnds(wire, 300), 1, 300);
        }
    }

    @Test
    void pastTheAdvertisedCountABeginIsRefusedAsCantMpxConn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (TestServer server = TestServer.start(gated(release, started),
                b -> b.workers(1).queueCapacity(0).maxRequestsPerConnection(4));
             Wire wire = server.connect()) {
            wire.send(bytes(GetValues.of(GetValues.MAX_REQS)));
            assertEquals(new GetValuesResult(List.of(NameValuePair.of(GetValues.MAX_REQS, "4"))), wire.read());
            wire.send(requests(1, 5));
            assertEquals(new EndRequest(5, 0, ProtocolStatus.CANT_MPX_CONN), wire.read());
            release.countDown();
            assertAnswered(readEnds(wire, 4), 1, 4);
        }
    }

    @Test
    void getValuesAdvertisesWhatOneConnectionTakesNotWorkersPlusQueue() throws Exception {
        try (TestServer server = TestServer.start((request, response) -> { },
                b -> b.workers(4).queueCapacity(6).maxRequestsPerConnection(300));
             Wire wire = server.connect()) {
            wire.send(bytes(GetValues.of(GetValues.MAX_REQS, GetValues.MPXS_CONNS)));
            assertEquals(new GetValuesResult(List.of(NameValuePair.of(GetValues.MAX_REQS, "300"),
                    NameValuePair.of(GetValues.MPXS_CONNS, "1"))), wire.read());
        }
    }

    @Test
    void aPeerThatAskedGetValuesWaitsWhenFullWhileOneRequestPerConnectionGets503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (TestServer server = TestServer.start(gated(release, started), b -> b.workers(1).queueCapacity(0));
             Wire nginx = server.connect(); Wire haproxy = server.connect(); Wire refused = server.connect()) {
            nginx.send(getRequest(1, "/first", true));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            haproxy.send(bytes(GetValues.of(GetValues.MPXS_CONNS)));
            haproxy.read();
            haproxy.send(getRequest(1, "/waits", true)); // id 1 alone, as HAProxy's first request on a connection
            refused.send(getRequest(1, "/refused", true));
            assertTrue(stdoutText(refused.readUntilEnd(1), 1).startsWith("Status: 503 Service Unavailable\r\n"));
            release.countDown();
            assertEquals("answer /first", body(nginx.readUntilEnd(1), 1));
            assertEquals("answer /waits", body(haproxy.readUntilEnd(1), 1));
        }
    }

    @Test
    void pastTheMuxQueueAMultiplexedRequestGets503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (TestServer server = TestServer.start(gated(release, started),
                b -> b.workers(1).queueCapacity(0).muxQueueCapacity(1));
             Wire wire = server.connect()) {
            wire.send(requests(1, 2));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            wire.send(requests(3, 3));
            List<Record> refused = wire.readUntilEnd(3);
            assertTrue(stdoutText(refused, 3).startsWith("Status: 503 Service Unavailable\r\n"), refused.toString());
            release.countDown();
            assertAnswered(readEnds(wire, 2), 1, 2);
        }
    }

    @Test
    void requestsParkedOnAConnectionThatEndsHoldNoPlace() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (TestServer server = TestServer.start(gated(release, started), b -> b.workers(1).queueCapacity(0))) {
            try (Wire gone = server.connect()) {
                gone.send(requests(1, 20));
                assertTrue(started.await(10, TimeUnit.SECONDS));
            }
            server.awaitOpenConnections(0);
            release.countDown();
            // The released request gives its admission back after its handler returns; until then a new
            // connection's first request, not yet seen to multiplex, would rightly get 503.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.server.scheduler().admitted() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, server.server.scheduler().admitted(), "admitted after the gone connection's request");
            try (Wire wire = server.connect()) {
                wire.send(requests(1, 3));
                assertAnswered(readEnds(wire, 3), 1, 3);
            }
        }
    }
}
