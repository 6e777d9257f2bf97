package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection past --max-conns, once every slot has stayed taken for the wait: its request is answered 503 with
 * Retry-After and the connection closed with a FIN after its input was read, not reset; it takes no slot.
 */
@Timeout(60)
class MaxConnsRefusalTest {

    private static final Handler HELLO = (request, response) -> response.write("hello");

    @ParameterizedTest(name = "FCGI_KEEP_CONN {0}")
    @ValueSource(booleans = {false, true})
    void aConnectionPastMaxConnsIsAnswered503AndClosedWithoutReset(boolean keepConn) throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxConnections(2));
             Wire first = server.connect();
             Wire second = server.connect()) {
            server.awaitOpenConnections(2);
            try (Socket refused = new Socket()) {
                refused.connect(server.address, 10_000);
                refused.setSoTimeout(30_000);
                refused.getOutputStream().write(getRequest(1, "/", keepConn));
                // readAllBytes ends at the server's FIN; a RST would throw "Connection reset" instead.
                List<Record> records = decode(refused.getInputStream().readAllBytes());
                // With FCGI_KEEP_CONN the answer comes twice, so that nginx does not pool the connection (Refusal).
                assertEquals(keepConn ? 6 : 3, records.size(), records.toString());
                List<Record> answer = records.subList(0, 3);
                String page = stdoutText(answer, 1);
                assertTrue(page.startsWith("Status: 503 Service Unavailable\r\n"), page);
                assertTrue(page.contains("\r\nRetry-After: 1\r\n"), page);
                EndRequest end = assertInstanceOf(EndRequest.class, answer.get(2));
                assertEquals(ProtocolStatus.REQUEST_COMPLETE, end.protocolStatus());
                assertEquals(answer, records.subList(records.size() - 3, records.size()));
            }
            assertEquals(2, server.server.openConnections(), "the refused connection took no slot");
        }
    }

    @Test
    void theSlotsServeAgainOnceAConnectionHasEnded() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxConnections(1))) {
            try (Wire first = server.connect()) {
                server.awaitOpenConnections(1);
                try (Socket refused = new Socket()) {
                    refused.connect(server.address, 10_000);
                    refused.setSoTimeout(30_000);
                    refused.getOutputStream().write(getRequest(1, "/", false));
                    assertTrue(stdoutText(decode(refused.getInputStream().readAllBytes()), 1)
                            .startsWith("Status: 503"));
                }
            }
            server.awaitOpenConnections(0);
            try (Wire wire = server.connect()) {
                wire.send(getRequest(1, "/", false));
                assertEquals("hello", Wire.body(wire.readUntilEnd(1), 1));
            }
        }
    }

    private static List<Record> decode(byte[] bytes) throws Exception {
        ByteBuffer input = ByteBuffer.wrap(bytes);
        RecordDecoder decoder = new RecordDecoder();
        List<Record> records = new ArrayList<>();
        for (Record record; (record = decoder.decode(input)) != null; ) {
            records.add(record);
        }
        assertTrue(!records.isEmpty(), "closed without an answer");
        return records;
    }
}
