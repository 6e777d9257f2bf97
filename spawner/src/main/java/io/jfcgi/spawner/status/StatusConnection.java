package io.jfcgi.spawner.status;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.NameValuePairDecoder;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.Stdout;
import io.jfcgi.codec.UnknownRecord;
import io.jfcgi.codec.UnknownType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One connection to the status listener, without the socket: bytes in ({@link #received}), records decoded and
 * answered, bytes out ({@link #output}). One request at a time ({@link StatusExchange}); GET_VALUES answered, an
 * unknown management record answered UNKNOWN_TYPE, a second request at once END_REQUEST{CANT_MPX_CONN}, another
 * role END_REQUEST{UNKNOWN_ROLE}, too many PARAMS or STDIN bytes 431 or 413 and a close. Malformed bytes throw, and
 * the caller closes. The listener's thread only.
 */
final class StatusConnection {

    private final StatusServer.Limits limits;
    private final StatusRoutes routes;
    private final RecordDecoder decoder = new RecordDecoder();
    private final StatusExchange exchange = new StatusExchange();
    private final Deque<ByteBuffer> output = new ArrayDeque<>();
    private NameValuePairDecoder paramsDecoder;
    private List<NameValuePair> params;
    private long stdinBytes;

    StatusConnection(StatusServer.Limits limits, StatusRoutes routes) {
        this.limits = limits;
        this.routes = routes;
    }

    /**
     * Decodes and answers what {@code in} holds, up to the end of a request: what follows stays in {@code in} until
     * the answer has been written ({@link #flushed}). What to write is then in {@link #output}.
     */
    void received(ByteBuffer in) throws FastCgiProtocolException {
        Record record;
        while (isReading() && (record = decoder.decode(in)) != null) {
            handle(record);
        }
    }

    /** Not answering, and not closing: the next records may be decoded. */
    boolean isReading() {
        return exchange.phase() != StatusExchange.Phase.ANSWERING && exchange.phase() != StatusExchange.Phase.CLOSING;
    }

    /** The peer closed its side: fine between records, a protocol error inside one. */
    void endOfInput() throws FastCgiProtocolException {
        decoder.endOfInput();
    }

    /** Bytes waiting to be written, first buffer first. */
    Deque<ByteBuffer> output() {
        return output;
    }

    /** Everything queued has been written: the request is done, and the connection idle or to be closed. */
    void flushed() {
        exchange.written();
    }

    StatusExchange.Phase phase() {
        return exchange.phase();
    }

    /** Between requests, nothing in flight: may be closed to make room for another connection. */
    boolean isIdle() {
        return exchange.phase() == StatusExchange.Phase.IDLE && output.isEmpty() && decoder.isAtRecordBoundary();
    }

    private void handle(Record record) throws FastCgiProtocolException {
        if (record instanceof GetValues values) {
            queue(new GetValuesResult(answer(values.names())));
        } else if (record instanceof UnknownRecord unknown) {
            if (unknown.requestId() == 0) { // an application record of a type we do not know is ignored (§4.2)
                queue(new UnknownType(unknown.typeCode()));
            }
        } else if (record instanceof BeginRequest begin) {
            begin(begin);
        } else if (record instanceof Params p && exchange.isCurrent(p.requestId())) {
            params(p);
        } else if (record instanceof Stdin s && exchange.isCurrent(s.requestId())) {
            stdin(s);
        } else if (record instanceof AbortRequest abort && exchange.isCurrent(abort.requestId())) {
            exchange.refuse();
            queue(new EndRequest(abort.requestId(), 0, ProtocolStatus.REQUEST_COMPLETE));
        }
        // Anything else (DATA, a record for another request, types only an application sends) is ignored.
    }

    private List<NameValuePair> answer(List<String> names) {
        List<NameValuePair> known = new ArrayList<>();
        for (String name : names) {
            String value = switch (name) {
                case GetValues.MAX_CONNS, GetValues.MAX_REQS -> Integer.toString(limits.maxConnections());
                case GetValues.MPXS_CONNS -> "0";
                default -> null; // unknown variables are left out of the answer (§4.1)
            };
            if (value != null) {
                known.add(NameValuePair.of(name, value));
            }
        }
        return known;
    }

    private void begin(BeginRequest begin) {
        if (begin.role() != Role.RESPONDER) {
            queue(new EndRequest(begin.requestId(), 0, ProtocolStatus.UNKNOWN_ROLE));
        } else if (!exchange.begin(begin.requestId(), begin.keepConn())) {
            queue(new EndRequest(begin.requestId(), 0, ProtocolStatus.CANT_MPX_CONN));
        } else {
            paramsDecoder = new NameValuePairDecoder(limits.params());
            params = new ArrayList<>();
            stdinBytes = 0;
        }
    }

    private void params(Params record) {
        try {
            if (!record.isEndOfStream()) {
                paramsDecoder.decode(record.content(), params);
                return;
            }
            paramsDecoder.finish();
            exchange.paramsEnded();
        } catch (FastCgiProtocolException e) {
            refuse(431, "request header fields too large or malformed: " + e.getMessage());
        }
    }

    private void stdin(Stdin record) {
        if (!record.isEndOfStream()) {
            stdinBytes += record.contentLength();
            if (stdinBytes > limits.maxBodyBytes()) {
                refuse(413, "a status request has no body; this one passed " + limits.maxBodyBytes() + " bytes");
            }
            return;
        }
        if (exchange.stdinEnded()) {
            String method = value("REQUEST_METHOD");
            StatusRoutes.Answer answer = routes.answer(this::value);
            answerWith(answer.cgi("HEAD".equals(method)));
        }
    }

    private void refuse(int status, String why) {
        exchange.refuse();
        answerWith(new StatusRoutes.Answer(status, "text/plain", (why + "\n").getBytes(StandardCharsets.UTF_8))
                .cgi(false));
    }

    private void answerWith(byte[] cgi) {
        int id = exchange.requestId();
        queue(new Stdout(id, ByteBuffer.wrap(cgi)));
        queue(Stdout.endOfStream(id));
        queue(EndRequest.complete(id, 0));
        params = null;
        paramsDecoder = null;
    }

    private String value(String name) {
        String found = null;
        for (NameValuePair pair : params) {
            if (pair.nameEquals(name)) {
                found = pair.value(StandardCharsets.UTF_8); // the last one counts, as in the responder
            }
        }
        return found;
    }

    private void queue(Record record) {
        output.add(RecordEncoder.encode(record));
    }
}
