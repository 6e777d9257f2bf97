package io.jfcgi.responder;

import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.Stderr;
import io.jfcgi.codec.Stdout;
import io.jfcgi.codec.StreamRecord;
import io.jfcgi.codec.UnknownRecord;
import io.jfcgi.codec.UnknownType;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a responder's answer on one connection must be, whatever the web server sent (§3-§5): whole FastCGI
 * records of the types an application sends, no more END_REQUESTs for an id than BEGIN_REQUESTs for it, no
 * STDOUT or STDERR for an id after its last END_REQUEST, at most one answer per management record. The input is
 * decoded with the same codec up to its first malformed record, after which the server reads nothing more.
 */
final class AnswerInvariants {

    private final Map<Integer, Integer> begun = new HashMap<>();
    private final Map<Integer, Integer> ended = new HashMap<>();
    private int valuesAsked;
    private int unknownSent;
    private int valuesAnswered;
    private int unknownAnswered;

    private AnswerInvariants() {
    }

    /**
     * @throws AssertionError saying which rule the answer broke
     */
    static void check(byte[] sent, FuzzPeer.Answer answer) {
        AnswerInvariants invariants = new AnswerInvariants();
        decode(sent, invariants::sent);
        try {
            decodeStrictly(answer.bytes(), invariants::answered);
        } catch (FastCgiProtocolException e) {
            throw new AssertionError("the server's answer is not FastCGI: " + e.getMessage(), e);
        }
    }

    private void sent(Record record) {
        if (record instanceof BeginRequest begin) {
            begun.merge(begin.requestId(), 1, Integer::sum);
        } else if (record instanceof GetValues) {
            valuesAsked++;
        } else if (record instanceof UnknownRecord) {
            unknownSent++;
        }
    }

    private void answered(Record record) {
        if (record instanceof EndRequest end) {
            int id = end.requestId();
            if (ended.merge(id, 1, Integer::sum) > begun.getOrDefault(id, 0)) {
                throw new AssertionError("END_REQUEST for request " + id + " number " + ended.get(id) + ", after "
                        + begun.getOrDefault(id, 0) + " BEGIN_REQUEST(s)");
            }
        } else if (record instanceof Stdout || record instanceof Stderr) {
            int id = ((StreamRecord) record).requestId();
            if (ended.getOrDefault(id, 0) >= begun.getOrDefault(id, 0)) {
                throw new AssertionError(record + " for request " + id + ", which is not in flight ("
                        + begun.getOrDefault(id, 0) + " begun, " + ended.getOrDefault(id, 0) + " ended)");
            }
        } else if (record instanceof GetValuesResult) {
            if (++valuesAnswered > valuesAsked) {
                throw new AssertionError("GET_VALUES_RESULT number " + valuesAnswered + " for " + valuesAsked
                        + " GET_VALUES");
            }
        } else if (record instanceof UnknownType) {
            if (++unknownAnswered > unknownSent) {
                throw new AssertionError("UNKNOWN_TYPE number " + unknownAnswered + " for " + unknownSent
                        + " records of unknown types");
            }
        } else {
            throw new AssertionError("a responder sent " + record + ", a record only a web server sends");
        }
    }

    /** What the server decoded: every record up to the first malformed one. */
    private static void decode(byte[] bytes, Consumer<Record> each) {
        try {
            decodeStrictly(bytes, each);
        } catch (FastCgiProtocolException e) {
            // the server closes the connection there too
        }
    }

    private static void decodeStrictly(byte[] bytes, Consumer<Record> each) throws FastCgiProtocolException {
        RecordDecoder decoder = new RecordDecoder();
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        for (Record record = decoder.decode(buffer); record != null; record = decoder.decode(buffer)) {
            each.accept(record);
        }
    }

    /** For the failure message: the records of an answer, as far as they decode. */
    static List<Record> records(byte[] bytes) {
        List<Record> records = new java.util.ArrayList<>();
        decode(bytes, records::add);
        return records;
    }
}
