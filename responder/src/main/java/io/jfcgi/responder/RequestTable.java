package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.Data;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.StreamRecord;
import io.jfcgi.codec.UnknownRecord;
import io.jfcgi.codec.UnknownType;
import io.jfcgi.codec.Violation;
import io.jfcgi.responder.ReadOwner.Owner;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of one connection by id (§3.3): routes each decoded record to its request, begins and refuses
 * requests, and decides where each runs once its PARAMS have come. Routing runs on the connection's drive holder
 * only (see {@link ReadOwner}); the table itself is also read by the watchdog and by ending requests.
 */
final class RequestTable {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(RequestTable.class);
    }

    /** A body record that did not fit its request's full buffer: reading waits until the handler takes some. */
    record Held(StreamRecord record, Exchange exchange, BodyPipe pipe) {
    }

    private final Connection connection;
    private final ServerSettings settings;
    private final Scheduler scheduler;
    private final ReadOwner<Exchange, Held> reading;
    private final EventLoop loop;
    /** Told when a full body buffer has room again: the connection drives on. */
    private final Runnable onRoom;
    /** The requests in flight by id, until just before their END_REQUEST is written (see RequestLifecycle). */
    private final ConcurrentHashMap<Integer, Exchange> exchanges = new ConcurrentHashMap<>();

    // Below: the drive holder's own.
    /** A request whose PARAMS ended in the current buffer: run here or on the pool once the buffer is read. */
    private Exchange ready;
    /** The body that got bytes from the current read and has not been told yet. */
    private BodyPipe fed;
    /** The peer has shown it multiplexes: requests then always go to the pool, so none waits for another. */
    private boolean multiplexing;
    /** The peer asked FCGI_GET_VALUES (HAProxy does, first thing on a connection): it may multiplex. */
    private boolean askedValues;
    /**
     * Where this connection's requests wait while the process is full, once its peer multiplexes (or may): it
     * was told FCGI_MAX_REQS, so it is not refused below that. Null for a peer that sends one at a time.
     */
    private ParkedRequests.Lane<Exchange> lane;

    RequestTable(Connection connection, Scheduler scheduler, ReadOwner<Exchange, Held> reading, EventLoop loop,
            Runnable onRoom) {
        this.connection = connection;
        this.settings = connection.settings();
        this.scheduler = scheduler;
        this.reading = reading;
        this.loop = loop;
        this.onRoom = onRoom;
    }

    int size() {
        return exchanges.size();
    }

    Iterable<Exchange> inFlight() {
        return exchanges.values();
    }

    /** {@code exchange} is the only request of a peer that sends one at a time: its handler may read the socket. */
    boolean isAlone(Exchange exchange) {
        return !multiplexing && exchanges.size() == 1 && exchanges.get(exchange.id) == exchange;
    }

    /**
     * The peer multiplexes, or may (it asked FCGI_GET_VALUES): no worker waits on the connection for its next
     * request. Any thread; a stale false costs nothing, since a second request at once ends the wait.
     */
    boolean mayMultiplex() {
        return multiplexing || askedValues;
    }

    /** Acts on one record from the web server, by its type and request id. */
    void route(Record record) throws IOException {
        if (record instanceof StreamRecord stream) {
            Exchange exchange = exchanges.get(stream.requestId());
            if (exchange == null) {
                return; // §3.3: records of an inactive request id are ignored (e.g. STDIN after an early reply)
            }
            if (stream instanceof Params params) {
                onParams(exchange, params);
            } else if (stream instanceof Stdin || stream instanceof Data) {
                if (exchange.isReceivingParams()) {
                    inputBeforeParamsEnded(exchange, stream);
                } else {
                    onInput(exchange, stream, stream instanceof Stdin ? exchange.stdin : exchange.data);
                }
            } else {
                Log.LOG.debug("{} sent {}, an application-to-server record; ignored", connection.peer(), stream);
            }
        } else if (record instanceof BeginRequest begin) {
            onBegin(begin);
        } else if (record instanceof AbortRequest abort) {
            Exchange exchange = exchanges.get(abort.requestId());
            if (exchange != null) {
                exchange.abort("the web server sent ABORT_REQUEST", true);
            }
        } else if (record instanceof GetValues query) {
            askedValues = true;
            connection.writer().write(ValuesAnswer.to(query, settings));
        } else if (record instanceof UnknownRecord unknown) {
            // §4.2; a type we do not know may be a newer protocol's management record.
            connection.writer().write(new UnknownType(unknown.typeCode()));
        } else {
            Log.LOG.debug("{} sent {}, an application-to-server record; ignored", connection.peer(), record);
        }
    }

    /** After the records of one socket read: bodies that got bytes are told, a request that is ready runs. */
    void endOfRead() {
        if (fed != null) {
            fed.publish();
            fed = null;
        }
        if (ready != null) {
            runReady(); // when paused too: its handler must start, or nothing will ever make room
        }
    }

    /** The held record fitted after a pause: its body is the one being fed. */
    void resumedFeeding(BodyPipe pipe) {
        fed = pipe;
    }

    /** A request lets go of its id, just before its END_REQUEST: the web server may reuse the id from then on. */
    void release(Exchange exchange) {
        exchanges.remove(exchange.id, exchange);
        reading.releasePuller(exchange); // if it ended before its body did: the I/O thread reads (and drops) the rest
    }

    /** The connection has ended: every request is aborted, and one admitted but not run yet frees its slot. */
    void abortAll(String reason) {
        for (Exchange exchange : exchanges.values()) {
            exchange.abort(reason, false);
        }
        if (ready != null) {
            scheduler.runOnWorker(ready); // running it (aborted, a no-op) releases its admission
            ready = null;
        }
        if (lane != null) {
            scheduler.forget(lane); // after the aborts: a request taken from it meanwhile runs as a no-op
        }
    }

    /** How long the oldest request on this connection has been in flight, in nanoseconds; 0 with none. */
    long oldestAgeNanos(long now) {
        long age = 0;
        for (Exchange exchange : exchanges.values()) {
            age = Math.max(age, now - exchange.startedNanos);
        }
        return age;
    }

    /** The watchdog: PARAMS that never end get 408; a body that stopped coming (not paused by us) is aborted. */
    void checkTimeouts(long now, long lastReadNanos, boolean paused) {
        for (Exchange exchange : exchanges.values()) {
            if (exchange.isReceivingParams() && now - exchange.startedNanos > settings.paramsTimeout().toNanos()) {
                connection.peerWarnings().warn(PeerWarnings.Fault.PARAMS_TIMEOUT,
                        "request {} from {}: PARAMS incomplete after {}; answered 408", exchange.id,
                        connection.peer(), settings.paramsTimeout());
                exchange.reject(408, null);
            } else if (!paused && now - lastReadNanos > settings.readTimeout().toNanos() && !exchange.stdin.isEnded()
                    && !exchange.isAborted()) {
                connection.peerWarnings().warn(PeerWarnings.Fault.BODY_STALLED,
                        "request {} from {}: no request body for {}; aborted", exchange.id, connection.peer(),
                        settings.readTimeout());
                exchange.abort("the request body stalled", true);
            }
        }
    }

    private void onBegin(BeginRequest begin) throws IOException {
        if (!connection.beginRequest()) {
            return; // closing: the web server sees the close and retries the request on another connection
        }
        int id = begin.requestId();
        // nginx, Apache and lighttpd always use id 1, one request at a time; HAProxy counts 1, 3, 5...
        multiplexing |= id != 1 || !exchanges.isEmpty();
        Exchange puller = reading.puller();
        if (multiplexing && puller != null) {
            reading.releasePuller(puller); // the I/O thread reads for all of them now, so none waits for another
        }
        if (exchanges.containsKey(id)) {
            connection.peerWarnings().warn(PeerWarnings.Fault.DUPLICATE_BEGIN,
                    "{} sent BEGIN_REQUEST for request {}, which is still in flight; ignored", connection.peer(), id);
            connection.requestDropped();
            return;
        }
        Role role = begin.role();
        if (role == null) {
            connection.peerWarnings().warn(PeerWarnings.Fault.UNKNOWN_ROLE,
                    "{} asked for unknown role {} in request {}; answered UNKNOWN_ROLE", connection.peer(),
                    begin.roleCode(), id);
            connection.reply(new EndRequest(id, 0, ProtocolStatus.UNKNOWN_ROLE), begin.keepConn());
            return;
        }
        if (exchanges.size() >= settings.maxRequestsPerConnection()) {
            connection.peerWarnings().warn(PeerWarnings.Fault.TOO_MANY_AT_ONCE, "{} sent more than {} requests at "
                    + "once on one connection (--max-reqs-per-conn); answered CANT_MPX_CONN, which HAProxy leaves "
                    + "unanswered until its server timeout: give it option get-values, or a max-reqs of at most "
                    + "--max-reqs-per-conn", connection.peer(), settings.maxRequestsPerConnection());
            connection.reply(new EndRequest(id, 0, ProtocolStatus.CANT_MPX_CONN), true);
            return;
        }
        exchanges.put(id, new Exchange(connection, id, role, begin.keepConn()));
    }

    private void onParams(Exchange exchange, Params params) {
        if (!exchange.isReceivingParams()) {
            return;
        }
        try {
            if (!params.isEndOfStream()) {
                ByteBuffer content = params.content(); // a new view each call: one is enough
                if (!exchange.chargeParams(content.remaining())) {
                    return; // past --max-buffered-bytes: answered 503
                }
                exchange.paramsDecoder.decode(content, exchange.pairs);
                return;
            }
            exchange.paramsDecoder.finish();
        } catch (FastCgiProtocolException e) {
            boolean tooLarge = e.violation() != Violation.TRUNCATED_PAIR;
            connection.peerWarnings().warn(PeerWarnings.Fault.MALFORMED_PARAMS, "request {} from {}: {}; answered {}",
                    exchange.id, connection.peer(), e.getMessage(), tooLarge ? 431 : 400);
            exchange.reject(tooLarge ? 431 : 400, null);
            return;
        }
        if (!exchange.paramsEnded()) {
            return;
        }
        Admission.Outcome admission = scheduler.admit(exchange, laneIfMultiplexing());
        if (admission == Admission.Outcome.REFUSED) {
            exchange.reject(503, "1");
        } else if (admission == Admission.Outcome.PARKED) {
            return; // run by the request whose end makes room
        } else if (!multiplexing && exchanges.size() == 1) {
            if (ready != null) {
                runReady(); // it ended before it ran (an ABORT_REQUEST in this buffer), and must free its admission
            }
            ready = exchange; // its STDIN may end later in this same buffer
        } else {
            scheduler.runOnWorker(exchange);
        }
    }

    /**
     * This connection's lane, made with its first request, if its peer multiplexes or asked FCGI_GET_VALUES; null
     * for one that sends a request at a time (nginx), which keeps getting 503 at once when the process is full.
     */
    private ParkedRequests.Lane<Exchange> laneIfMultiplexing() {
        if (lane == null && (multiplexing || askedValues) && settings.maxRequestsPerConnection() > 1) {
            lane = scheduler.lane();
        }
        return lane;
    }

    /**
     * A request that arrived whole, alone on its connection, runs right here: one thread and no hand-off per
     * request, as libfcgi does. The connection is not read meanwhile, which costs nothing to a peer that sends one
     * request at a time (nginx, Apache, lighttpd). Anything else goes to the pool, so that the reader keeps
     * feeding bodies and noticing aborts. (A handler pulling its body never gets here with a ready request: a
     * second request on its connection makes the peer a multiplexing one.) A worker waiting on the connection
     * (ReadOwner's WAITER) runs it here too, however long handlers take: it holds up nobody else.
     */
    private void runReady() {
        Exchange exchange = ready;
        ready = null;
        if (exchanges.get(exchange.id) != exchange) {
            scheduler.runOnWorker(exchange); // ended before it ran: running it does nothing but free its admission
            return;
        }
        boolean whole = exchange.stdin.isEnded() && exchange.data.isEnded();
        boolean alone = !multiplexing && exchanges.size() == 1;
        if (whole && alone && (scheduler.handlersAreQuick() || reading.isWaiter(Thread.currentThread()))
                && reading.owner() != Owner.PULLING
                && loop.runInline(start -> scheduler.runHere(exchange, start))) {
            return;
        }
        if (!whole && alone) {
            reading.handToPuller(exchange, Math.max(1, System.nanoTime())); // it reads the rest of its body itself
        }
        scheduler.runOnWorker(exchange);
    }

    /**
     * §6.2, §6.4: a request's PARAMS end before its STDIN and DATA begin, as every web server sends them. Input
     * that comes first cannot wait for a handler that cannot start before PARAMS end: it would fill its buffer,
     * stop the connection's reading, and the connection would then not even see its peer close. The request gets
     * 400 instead; the rest of its records are those of an inactive id (§3.3), ignored.
     */
    private void inputBeforeParamsEnded(Exchange exchange, StreamRecord input) {
        connection.peerWarnings().warn(PeerWarnings.Fault.INPUT_BEFORE_PARAMS,
                "request {} from {}: {} before the end of its PARAMS; answered 400", exchange.id, connection.peer(),
                input instanceof Stdin ? "STDIN" : "DATA");
        exchange.reject(400, null);
    }

    private void onInput(Exchange exchange, StreamRecord input, BodyPipe pipe) {
        if (input.isEndOfStream()) {
            pipe.end();
            if (exchange.stdin.isEnded() && exchange.data.isEnded()) {
                reading.releasePuller(exchange); // the whole body is in: the I/O thread watches for aborts, EOF
            }
            return;
        }
        if (fed != pipe) {
            if (fed != null) {
                fed.publish(); // requests take turns on a multiplexed connection
            }
            fed = pipe;
        }
        if (!pipe.offer(input.content(), onRoom)) {
            // Full: stop reading (TCP back-pressure) until the handler takes some; the watchdog gives up on a
            // handler that takes none for the read timeout.
            reading.pause(new Held(input, exchange, pipe), System.nanoTime());
        }
    }
}
