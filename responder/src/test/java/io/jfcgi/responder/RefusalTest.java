package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.Data;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.Stdout;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a connection refused past --max-conns answers, and when it is done; row by row of Refusal's table. */
class RefusalTest {

    private final Refusal refusal = new Refusal(FastCgiServer.builder().handler((request, response) -> { }).build()
            .settings());
    private final List<Record> out = new ArrayList<>();

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private boolean feed(Record record) {
        return refusal.onRecord(record, out);
    }

    @Test
    void aBeginRequestIsAnswered503WithRetryAfterAndACompleteEndRequest() {
        feed(new BeginRequest(1, Role.RESPONDER, false));
        assertEquals(3, out.size());
        Stdout page = assertInstanceOf(Stdout.class, out.get(0));
        String text = StandardCharsets.US_ASCII.decode(page.content()).toString();
        assertTrue(text.startsWith("Status: 503 Service Unavailable\r\n"), text);
        assertTrue(text.contains("\r\nRetry-After: 1\r\n"), text);
        assertTrue(assertInstanceOf(Stdout.class, out.get(1)).isEndOfStream());
        EndRequest end = assertInstanceOf(EndRequest.class, out.get(2));
        assertEquals(1, end.requestId());
        assertEquals(ProtocolStatus.REQUEST_COMPLETE, end.protocolStatus());
    }

    @Test
    void aRequestWithKeepConnIsAnsweredTwiceSoThatNoWebServerPoolsTheConnection() {
        feed(new BeginRequest(1, Role.RESPONDER, true));
        assertEquals(6, out.size());
        assertEquals(out.subList(0, 3), out.subList(3, 6), "the spare is the same answer");
        assertInstanceOf(EndRequest.class, out.get(2));
        assertEquals(1, refusal.answered(), "one request answered");
    }

    @Test
    void theConnectionIsNotDoneUntilTheAnsweredRequestsInputHasEnded() {
        assertFalse(feed(new BeginRequest(1, Role.RESPONDER, false)));
        assertFalse(feed(new Params(1, bytes("\u0001\u0001ab"))));
        assertFalse(feed(Params.endOfStream(1)));
        assertFalse(feed(new Stdin(1, bytes("body"))));
        assertTrue(feed(Stdin.endOfStream(1)));
    }

    @Test
    void aConnectionWithNoRequestYetIsNotDone() {
        assertFalse(refusal.isDone());
        feed(Stdin.endOfStream(1)); // input of no request answered
        assertFalse(refusal.isDone());
        assertTrue(out.isEmpty());
    }

    @Test
    void aFilterRequestIsDoneOnlyOnceItsDataHasEndedToo() {
        feed(new BeginRequest(1, Role.FILTER, false));
        assertFalse(feed(Stdin.endOfStream(1)));
        assertTrue(feed(Data.endOfStream(1)));
    }

    @Test
    void anAbortEndsTheInputThatWasDue() {
        feed(new BeginRequest(1, Role.RESPONDER, false));
        assertTrue(feed(new AbortRequest(1)));
    }

    @Test
    void multiplexedRequestsAreEachAnsweredAndAllTheirInputAwaited() {
        feed(new BeginRequest(1, Role.RESPONDER, false));
        feed(new BeginRequest(2, Role.RESPONDER, false));
        assertEquals(6, out.size());
        assertEquals(2, refusal.answered());
        assertFalse(feed(Stdin.endOfStream(1)));
        assertTrue(feed(Stdin.endOfStream(2)));
    }

    @Test
    void aBeginRequestForAnIdInFlightIsNotAnsweredTwice() {
        feed(new BeginRequest(1, Role.RESPONDER, true));
        out.clear();
        feed(new BeginRequest(1, Role.RESPONDER, true));
        assertTrue(out.isEmpty());
        assertEquals(1, refusal.answered());
    }

    @Test
    void getValuesIsAnsweredFromTheSettings() {
        feed(new GetValues(List.of(NameValuePair.of(GetValues.MAX_CONNS, ""))));
        GetValuesResult result = assertInstanceOf(GetValuesResult.class, out.get(0));
        assertEquals(GetValues.MAX_CONNS, result.variables().get(0).name());
        assertFalse(refusal.isDone());
    }
}
