package io.jfcgi.spawner.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.ParamsLimits;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.UnknownRecord;
import io.jfcgi.codec.UnknownType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The status listener over real loopback sockets: pages, management records, and every way a peer can misbehave. */
class StatusServerTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    private static final StatusServer.Limits LIMITS = new StatusServer.Limits(2,
            new ParamsLimits(1024, 32, 128, 512), 1024, REQUEST_TIMEOUT, Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private StatusServer server;
    private SocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = StatusServer.bind(new StatusListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "/status", "/ping"), LIMITS, 0660, -1, -1);
        server.serve(new StatusRoutes("/status", "/ping", () -> StatusPageTest.SNAPSHOT));
        address = server.boundAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void within(Executable test) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), test);
    }

    private static Record[] get(int id, boolean keep, String script, String query) {
        return new Record[] {new BeginRequest(id, Role.RESPONDER, keep),
            RawPeer.params(id, "SCRIPT_NAME", script, "QUERY_STRING", query, "REQUEST_METHOD", "GET"),
            Params.endOfStream(id), Stdin.endOfStream(id)};
    }

    @Test
    void aStatusRequestGetsThePageAndTheConnectionClosesWithoutKeepConn() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                List<Record> records = peer.send(get(1, false, "/status", "json&full")).until(EndRequest.class);
                assertEquals(EndRequest.complete(1, 0), records.get(records.size() - 1));
                assertTrue(peer.stdoutText().startsWith("Status: 200 OK\r\nContent-Type: application/json\r\n"),
                        peer.stdoutText());
                assertTrue(peer.stdoutText().contains("\"processes\":[{\"pid\":101"), peer.stdoutText());
                assertTrue(peer.isClosedByPeer());
            }
        });
    }

    @Test
    void aKeptConnectionServesOneRequestAfterAnother() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                for (int round = 1; round <= 3; round++) {
                    peer.send(get(1, true, "/ping", "")).until(EndRequest.class);
                }
                assertEquals(3, peer.stdoutText().split("\r\n\r\npong", -1).length - 1);
            }
        });
    }

    @Test
    void getValuesIsAnsweredWithTheVariablesItKnows() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                Record answer = peer.send(GetValues.of(GetValues.MAX_CONNS, GetValues.MPXS_CONNS, "X_OTHER")).next();
                assertEquals(new GetValuesResult(List.of(NameValuePair.of(GetValues.MAX_CONNS, "2"),
                        NameValuePair.of(GetValues.MPXS_CONNS, "0"))), answer);
            }
        });
    }

    @Test
    void anUnknownManagementRecordGetsUnknownType() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                assertEquals(new UnknownType(42), peer.send(new UnknownRecord(42, 0, ByteBuffer.allocate(3))).next());
            }
        });
    }

    @Test
    void anotherRoleGetsUnknownRole() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                assertEquals(new EndRequest(1, 0, ProtocolStatus.UNKNOWN_ROLE),
                        peer.send(new BeginRequest(1, Role.AUTHORIZER, true)).next());
            }
        });
    }

    @Test
    void aSecondRequestAtOnceGetsCantMpxConn() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                assertEquals(new EndRequest(2, 0, ProtocolStatus.CANT_MPX_CONN), peer.send(
                        new BeginRequest(1, Role.RESPONDER, true), new BeginRequest(2, Role.RESPONDER, true)).next());
            }
        });
    }

    @Test
    void anAbortedRequestEndsAndTheConnectionCloses() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                assertEquals(new EndRequest(1, 0, ProtocolStatus.REQUEST_COMPLETE),
                        peer.send(new BeginRequest(1, Role.RESPONDER, true), new AbortRequest(1)).next());
                assertTrue(peer.isClosedByPeer());
            }
        });
    }

    @Test
    void bytesThatAreNotFastCgiCloseTheConnection() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                assertTrue(peer.sendText("GET /status HTTP/1.1\r\nHost: x\r\n\r\n").isClosedByPeer());
            }
        });
    }

    @Test
    void oversizedParamsGet431AndAClose() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                List<Record> records = peer.send(new BeginRequest(1, Role.RESPONDER, true),
                        RawPeer.params(1, "HTTP_COOKIE", "x".repeat(600))).until(EndRequest.class);
                assertInstanceOf(EndRequest.class, records.get(records.size() - 1));
                assertTrue(peer.stdoutText().startsWith("Status: 431 "), peer.stdoutText());
                assertTrue(peer.isClosedByPeer());
            }
        });
    }

    @Test
    void aBodyOverTheCapGets413AndAClose() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                peer.send(new BeginRequest(1, Role.RESPONDER, true), RawPeer.params(1, "SCRIPT_NAME", "/status"),
                        Params.endOfStream(1), new Stdin(1, ByteBuffer.allocate(2000))).until(EndRequest.class);
                assertTrue(peer.stdoutText().startsWith("Status: 413 "), peer.stdoutText());
                assertTrue(peer.isClosedByPeer());
            }
        });
    }

    @Test
    void aPeerThatStallsMidRequestIsClosedAtTheRequestTimeout() {
        within(() -> {
            try (RawPeer peer = new RawPeer(address)) {
                long start = System.nanoTime();
                peer.send(new BeginRequest(1, Role.RESPONDER, true)).sendBytes(ByteBuffer.wrap(new byte[] {1, 4}));
                assertTrue(peer.isClosedByPeer());
                long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(waited >= REQUEST_TIMEOUT.toMillis() - 50, "closed after " + waited + " ms");
            }
        });
    }

    @Test
    void whenFullOfRequestsInFlightANewConnectionIsClosedAndTheOthersGoOn() {
        within(() -> {
            try (RawPeer a = new RawPeer(address); RawPeer b = new RawPeer(address)) {
                a.send(new BeginRequest(1, Role.RESPONDER, false));
                b.send(new BeginRequest(1, Role.RESPONDER, false));
                a.send(GetValues.of(GetValues.MAX_CONNS)).next(); // both are registered and mid-request now
                b.send(GetValues.of(GetValues.MAX_CONNS)).next();
                try (RawPeer c = new RawPeer(address)) {
                    assertTrue(c.isClosedByPeer());
                }
                a.send(RawPeer.params(1, "SCRIPT_NAME", "/ping"), Params.endOfStream(1), Stdin.endOfStream(1));
                a.until(EndRequest.class);
                assertTrue(a.stdoutText().endsWith("pong"), a.stdoutText());
            }
        });
    }

    @Test
    void whenFullOfIdleConnectionsOneMakesRoomForTheNewcomer() {
        within(() -> {
            try (RawPeer a = new RawPeer(address); RawPeer b = new RawPeer(address)) {
                a.send(GetValues.of(GetValues.MAX_CONNS)).next();
                b.send(GetValues.of(GetValues.MAX_CONNS)).next();
                try (RawPeer c = new RawPeer(address)) {
                    c.send(get(1, false, "/ping", "")).until(EndRequest.class);
                    assertTrue(c.stdoutText().endsWith("pong"), c.stdoutText());
                }
            }
        });
    }

    @Test
    void connectionsKeptAfterARequestAreIdleAndMakeRoomToo() {
        within(() -> {
            try (RawPeer a = new RawPeer(address); RawPeer b = new RawPeer(address)) {
                a.send(get(1, true, "/ping", "")).until(EndRequest.class);
                b.send(get(1, true, "/ping", "")).until(EndRequest.class);
                try (RawPeer c = new RawPeer(address)) {
                    c.send(get(1, false, "/ping", "")).until(EndRequest.class);
                    assertTrue(c.stdoutText().endsWith("pong"), c.stdoutText());
                }
            }
        });
    }

    @Test
    void aUnixSocketLeftByADeadLauncherIsReplacedAndALiveOneRefused() throws Exception {
        Path socket = dir.resolve("status.sock");
        StatusListen listen = new StatusListen(UnixDomainSocketAddress.of(socket), "/status", "/ping");
        Files.createFile(socket); // what a launcher killed with SIGKILL leaves
        try (StatusServer unix = StatusServer.bind(listen, LIMITS, 0600, -1, -1)) {
            unix.serve(new StatusRoutes("/status", "/ping", () -> StatusPageTest.SNAPSHOT));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(socket)));
            assertTrue(assertThrows(java.io.IOException.class, () -> StatusServer.bind(listen, LIMITS, 0600, -1, -1))
                    .getMessage().contains("another process serves on"));
            within(() -> {
                try (RawPeer peer = new RawPeer(UnixDomainSocketAddress.of(socket))) {
                    peer.send(get(1, false, "/ping", "")).until(EndRequest.class);
                    assertTrue(peer.stdoutText().endsWith("pong"));
                }
            });
        }
        assertFalse(Files.exists(socket), "removed at close");
    }
}
