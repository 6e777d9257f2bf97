package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.Data;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.Stdout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a connection accepted past {@code --max-conns} says to its web server: every request on it is answered
 * {@code 503} with {@code Retry-After} as soon as its BEGIN_REQUEST is read, and once every request answered has
 * sent its input to the end the connection is done. A close before that input is read would send a RST, which can
 * cost the web server the answer it has not read yet (nginx then logs "Connection reset by peer" and answers 502);
 * a 503 is what the user should see, and what nginx passes on. nginx ignores END_REQUEST's protocolStatus, so the
 * answer is a CGI one with REQUEST_COMPLETE, as for a request refused at admission. A pure decision, fed the
 * records read on the I/O thread: {@link RefusedConnection} does the I/O.
 *
 * <p>A request with FCGI_KEEP_CONN gets its answer twice, in one write, so that no web server pools a connection
 * about to close: nginx keeps an upstream connection only when END_REQUEST ends exactly where its read ended
 * ({@code ngx_http_fastcgi_input_filter}; the {@code Connection: close} header it notes is read by its HTTP proxy
 * only), and with more after it closes the connection itself instead of finding it closed when it reuses it
 * ("upstream prematurely closed").
 * The bytes after are a whole answer, not another record, because a web server that reads record by record and
 * takes bytes left over for a live connection (Apache's {@code enablereuse=on}) reads them as the answer to its
 * next request there, always id 1 (a 503 + Retry-After, as this connection would say); HAProxy drops records of a
 * stream that has ended.
 *
 * <pre>
 * record read                         answer                                    then
 * BEGIN_REQUEST (id not in flight)    STDOUT 503 page, empty STDOUT, END_REQUEST  its input is due
 *   with FCGI_KEEP_CONN               the same, twice
 * empty STDIN / DATA of a request     -                                         done when no input is due
 * ABORT_REQUEST of a request          -                                         its input is due no more
 * GET_VALUES                          GET_VALUES_RESULT                         -
 * anything else                       -                                         -
 * </pre>
 */
final class Refusal {

    /** The answer's CGI headers and body, the same page a request refused at admission gets. */
    private static final byte[] PAGE = ("Status: 503 Service Unavailable\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Retry-After: 1\r\n\r\n"
            + "503 Service Unavailable\n").getBytes(StandardCharsets.US_ASCII);

    private final ServerSettings settings;
    /** The requests answered whose input has not ended: how many streams each still sends (STDIN; DATA too). */
    private final Map<Integer, Integer> inputDue = new HashMap<>(4);
    private int answered;

    Refusal(ServerSettings settings) {
        this.settings = settings;
    }

    /**
     * One record read from the refused connection (I/O thread): adds what to write for it to {@code out}.
     *
     * @return true once the connection is done: a request has been answered and no input is due
     */
    boolean onRecord(Record record, List<Record> out) {
        if (record instanceof BeginRequest begin) {
            if (!inputDue.containsKey(begin.requestId())) {
                answer(begin.requestId(), out);
                if (begin.keepConn()) {
                    answer(begin.requestId(), out); // the spare: see above
                }
                answered++;
                inputDue.put(begin.requestId(), begin.roleCode() == Role.FILTER.code() ? 2 : 1);
            }
        } else if (record instanceof Stdin stdin && stdin.isEndOfStream()) {
            inputEnded(stdin.requestId());
        } else if (record instanceof Data data && data.isEndOfStream()) {
            inputEnded(data.requestId());
        } else if (record instanceof AbortRequest abort) {
            inputDue.remove(abort.requestId());
        } else if (record instanceof GetValues query) {
            out.add(ValuesAnswer.to(query, settings));
        }
        return isDone();
    }

    /** A request has been answered, and none of them sends more input. */
    boolean isDone() {
        return answered > 0 && inputDue.isEmpty();
    }

    /** How many requests have been answered 503. */
    int answered() {
        return answered;
    }

    private void answer(int id, List<Record> out) {
        out.add(new Stdout(id, ByteBuffer.wrap(PAGE).asReadOnlyBuffer()));
        out.add(Stdout.endOfStream(id));
        out.add(EndRequest.complete(id, 0));
    }

    private void inputEnded(int id) {
        Integer left = inputDue.get(id);
        if (left == null) {
            return;
        }
        if (left == 1) {
            inputDue.remove(id);
        } else {
            inputDue.put(id, left - 1);
        }
    }
}
