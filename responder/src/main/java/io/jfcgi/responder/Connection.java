package io.jfcgi.responder;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.Data;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.ProtocolStatus;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.StreamRecord;
import io.jfcgi.codec.UnknownRecord;
import io.jfcgi.codec.UnknownType;
import io.jfcgi.codec.Violation;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One accepted connection. Its reader thread decodes records and routes them by request id; handlers run on
 * workers and write through the connection's {@link RecordWriter}. An idle connection holds only this reader
 * (and no worker), so nginx may keep as many open as it likes.
 */
final class Connection implements Runnable {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(Connection.class);
    }
    private static final int READ_BUFFER = 64 << 10;

    private final FastCgiServer server;
    private final ServerSettings settings;
    private final SocketChannel channel;
    private final String peer;
    private final RecordWriter writer;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ConcurrentHashMap<Integer, Exchange> exchanges = new ConcurrentHashMap<>();
    private volatile long lastReadNanos = System.nanoTime();
    /** A request whose PARAMS ended in the current buffer: run here or on the pool once the buffer is read. */
    private Exchange ready;
    /** The body that got bytes from the current read and has not been told yet. */
    private BodyPipe fed;
    /** The peer has shown it multiplexes: requests then always go to the pool, so none waits for another. */
    private boolean multiplexing;
    private volatile long closingSince;
    /**
     * Requests begun and not yet ended on the wire (their END_REQUEST written), or {@link #CLOSED} once an idle
     * connection is being closed: the one atomic step that keeps a closing connection from taking a new request
     * and a request's last records from meeting a closed output.
     */
    private final AtomicInteger unended = new AtomicInteger();
    private static final int CLOSED = -1;
    private final long openedNanos = System.nanoTime();
    /** Something has been read: a silent new connection may have its first request on the way. */
    private volatile boolean heard;

    Connection(FastCgiServer server, SocketChannel channel, String peer) {
        this.server = server;
        this.settings = server.settings();
        this.channel = channel;
        this.peer = peer;
        this.writer = new RecordWriter(channel);
    }

    ServerSettings settings() {
        return settings;
    }

    FastCgiServer server() {
        return server;
    }

    RecordWriter writer() {
        return writer;
    }

    String peer() {
        return peer;
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
        String reason = "the web server closed the connection";
        try {
            while (true) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    break;
                }
                lastReadNanos = System.nanoTime();
                heard = true;
                if (closingSince != 0) {
                    continue; // lingering close: drain and drop, so no RST eats the response
                }
                buffer.flip();
                Record record;
                while ((record = decoder.decode(buffer)) != null) {
                    dispatch(record);
                }
                publishInput();
                if (ready != null) {
                    runReady();
                }
            }
            if (closingSince == 0 && !exchanges.isEmpty()) {
                Log.LOG.debug("{} closed the connection with {} request(s) in flight", peer, exchanges.size());
            }
        } catch (FastCgiProtocolException e) {
            reason = "protocol error";
            Log.LOG.warn("protocol error from {}: {}; closing the connection", peer, e.getMessage());
        } catch (InterruptedException e) {
            reason = "server stopping";
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            reason = closingSince != 0 ? "connection closed" : "I/O error: " + e.getMessage();
            if (closingSince == 0 && !(e instanceof ClosedChannelException)) {
                Log.LOG.debug("read from {} failed: {}", peer, e.toString());
            }
        } finally {
            abortAll(reason);
            if (ready != null) {
                server.dispatch(ready); // admitted but never run: running it (aborted, a no-op) releases its slot
                ready = null;
            }
            closeChannel();
            server.connectionClosed(this);
        }
    }

    private void dispatch(Record record) throws IOException, InterruptedException {
        if (record instanceof StreamRecord stream) {
            Exchange exchange = exchanges.get(stream.requestId());
            if (exchange == null) {
                return; // §3.3: records of an inactive request id are ignored (e.g. STDIN after an early reply)
            }
            if (stream instanceof Params params) {
                onParams(exchange, params);
            } else if (stream instanceof Stdin || stream instanceof Data) {
                onInput(exchange, stream, stream instanceof Stdin ? exchange.stdin : exchange.data);
            } else {
                Log.LOG.debug("{} sent {}, an application-to-server record; ignored", peer, stream);
            }
        } else if (record instanceof BeginRequest begin) {
            onBegin(begin);
        } else if (record instanceof AbortRequest abort) {
            Exchange exchange = exchanges.get(abort.requestId());
            if (exchange != null) {
                exchange.abort("the web server sent ABORT_REQUEST", true);
            }
        } else if (record instanceof GetValues query) {
            writer.write(answer(query));
        } else if (record instanceof UnknownRecord unknown) {
            // §4.2; a type we do not know may be a newer protocol's management record.
            writer.write(new UnknownType(unknown.typeCode()));
        } else {
            Log.LOG.debug("{} sent {}, an application-to-server record; ignored", peer, record);
        }
    }

    private void onBegin(BeginRequest begin) throws IOException {
        if (!beginExchange()) {
            return; // closing: the web server sees the close and retries the request on another connection
        }
        int id = begin.requestId();
        // nginx, Apache and lighttpd always use id 1, one request at a time; HAProxy counts 1, 3, 5...
        multiplexing |= id != 1 || !exchanges.isEmpty();
        if (exchanges.containsKey(id)) {
            Log.LOG.warn("{} sent BEGIN_REQUEST for request {}, which is still in flight; ignored", peer, id);
            unended.decrementAndGet();
            return;
        }
        Role role = begin.role();
        if (role == null) {
            Log.LOG.warn("{} asked for unknown role {} in request {}; answered UNKNOWN_ROLE", peer, begin.roleCode(), id);
            reply(new EndRequest(id, 0, ProtocolStatus.UNKNOWN_ROLE), begin.keepConn());
            return;
        }
        if (exchanges.size() >= settings.maxRequestsPerConnection()) {
            reply(new EndRequest(id, 0, ProtocolStatus.CANT_MPX_CONN), true);
            return;
        }
        exchanges.put(id, new Exchange(this, id, role, begin.keepConn()));
    }

    private void onParams(Exchange exchange, Params params) {
        if (!exchange.isReceivingParams()) {
            return;
        }
        try {
            if (!params.isEndOfStream()) {
                exchange.paramsDecoder.decode(params.content(), exchange.pairs);
                return;
            }
            exchange.paramsDecoder.finish();
        } catch (FastCgiProtocolException e) {
            boolean tooLarge = e.violation() != Violation.TRUNCATED_PAIR;
            Log.LOG.warn("request {} from {}: {}; answered {}", exchange.id, peer, e.getMessage(), tooLarge ? 431 : 400);
            exchange.reject(tooLarge ? 431 : 400, null);
            return;
        }
        if (!exchange.paramsComplete()) {
            return;
        }
        if (!server.admit(exchange)) {
            exchange.reject(503, "1");
        } else if (!multiplexing && exchanges.size() == 1) {
            ready = exchange; // its STDIN may end later in this same buffer
        } else {
            server.dispatch(exchange);
        }
    }

    /**
     * A request that arrived whole, alone on its connection, runs right here: one thread and no hand-off per
     * request, as libfcgi does. The connection is not read meanwhile, which costs nothing to a peer that sends one
     * request at a time (nginx, Apache, lighttpd). Anything else goes to the pool, so that the reader keeps
     * feeding bodies and noticing aborts.
     */
    private void runReady() {
        Exchange exchange = ready;
        ready = null;
        boolean whole = exchange.stdin.isEnded() && exchange.data.isEnded();
        if (!(whole && !multiplexing && exchanges.size() == 1 && server.runInline(exchange))) {
            server.dispatch(exchange);
        }
    }

    private void onInput(Exchange exchange, StreamRecord input, BodyPipe pipe) throws InterruptedException {
        if (input.isEndOfStream()) {
            pipe.end();
            return;
        }
        if (fed != pipe) {
            if (fed != null) {
                fed.publish(); // requests take turns on a multiplexed connection
            }
            fed = pipe;
        }
        if (!pipe.offer(input.content(), settings.readTimeout().toNanos())) {
            Log.LOG.warn("request {} from {}: the handler read none of its {} for {} while its buffer was full; aborted",
                    exchange.id, peer, input.type(), settings.readTimeout());
            exchange.abort("the handler stopped reading its input", true);
        }
    }

    private void publishInput() {
        if (fed != null) {
            fed.publish();
            fed = null;
        }
    }

    private GetValuesResult answer(GetValues query) {
        List<NameValuePair> values = new ArrayList<>();
        for (NameValuePair asked : query.variables()) {
            String name = asked.name();
            switch (name) {
                case GetValues.MAX_CONNS:
                    values.add(NameValuePair.of(name, Integer.toString(settings.maxConnections())));
                    break;
                case GetValues.MAX_REQS:
                    values.add(NameValuePair.of(name, Integer.toString(settings.maxRequests())));
                    break;
                case GetValues.MPXS_CONNS:
                    values.add(NameValuePair.of(name, settings.maxRequestsPerConnection() > 1 ? "1" : "0"));
                    break;
                default:
                    break; // §4.1: answer only the names we understand
            }
        }
        return new GetValuesResult(values);
    }

    /** How long the oldest request on this connection has been in flight, in nanoseconds; 0 with none. */
    long oldestRequestAgeNanos(long now) {
        long age = 0;
        for (Exchange exchange : exchanges.values()) {
            age = Math.max(age, now - exchange.startedNanos);
        }
        return age;
    }

    /** A request is no longer in flight; its id may be reused from now on. */
    void finished(Exchange exchange) {
        exchanges.remove(exchange.id, exchange);
    }

    /** After END_REQUEST: without FCGI_KEEP_CONN the application closes the connection (§5.1). */
    void afterEnd(boolean keepConn) {
        int left = unended.decrementAndGet();
        if ((!keepConn || server.isStopping()) && left == 0) {
            closeIfNothingInFlight();
        }
    }

    private boolean beginExchange() {
        int n;
        do {
            n = unended.get();
            if (n == CLOSED) {
                return false;
            }
        } while (!unended.compareAndSet(n, n + 1));
        return true;
    }

    /** Closes the connection unless a request is in flight or has just begun; the check and the close are one. */
    private void closeIfNothingInFlight() {
        if (unended.compareAndSet(0, CLOSED)) {
            beginClose();
        }
    }

    private void reply(Record record, boolean keepConn) throws IOException {
        writer.write(record);
        afterEnd(keepConn);
    }

    /** Writes a record on a worker's behalf; a failure closes the connection. */
    void sendQuietly(Record record, boolean keepConn) {
        try {
            reply(record, keepConn);
        } catch (IOException e) {
            ioFailed(e);
        }
    }

    void ioFailed(IOException e) {
        Log.LOG.debug("write to {} failed: {}", peer, e.toString());
        closeChannel();
    }

    void logAccess(Exchange exchange, Response response, long bytes) {
        if (settings.accessLog()) {
            // Log4j starts on another thread, off the first request's path; until it has its configuration, an
            // INFO line from here would be dropped. The response has gone already, so waiting costs the client
            // nothing, and it only ever happens in the first few hundred milliseconds.
            server.awaitLogging();
            Request request = exchange.request();
            Log.LOG.info("{} {} {} {} {} {}ms", peer, request.method(), request.requestUri(), response.status(), bytes,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.startedNanos));
        }
    }

    /** Shuts our side down and keeps draining the peer's, until it closes or the linger time is up. */
    void beginClose() {
        if (closingSince != 0) {
            return;
        }
        closingSince = Math.max(1, System.nanoTime());
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeChannel();
        }
    }

    /** The watchdog's look at this connection: enforces the timeouts. */
    void checkTimeouts(long now) {
        if (closingSince != 0) {
            if (now - closingSince > settings.lingerTimeout().toNanos()) {
                closeChannel();
            }
            return;
        }
        long writing = writer.writingSince();
        if (writing != 0 && now - writing > settings.writeTimeout().toNanos()) {
            Log.LOG.warn("{} has not read its response for {}; closing the connection", peer, settings.writeTimeout());
            closeChannel();
            return;
        }
        if (exchanges.isEmpty()) {
            if (now - lastReadNanos > settings.idleTimeout().toNanos()) {
                Log.LOG.debug("{} idle for {}; closing", peer, settings.idleTimeout());
                closeIfNothingInFlight();
            }
            return;
        }
        for (Exchange exchange : exchanges.values()) {
            if (exchange.isReceivingParams() && now - exchange.startedNanos > settings.paramsTimeout().toNanos()) {
                Log.LOG.warn("request {} from {}: PARAMS incomplete after {}; answered 408", exchange.id, peer,
                        settings.paramsTimeout());
                exchange.reject(408, null);
            } else if (now - lastReadNanos > settings.readTimeout().toNanos() && !exchange.stdin.isEnded()
                    && !exchange.isAborted()) {
                Log.LOG.warn("request {} from {}: no request body for {}; aborted", exchange.id, peer,
                        settings.readTimeout());
                exchange.abort("the request body stalled", true);
            }
        }
    }

    /** Graceful stop: a connection with nothing in flight is closed now, others after their last request. */
    /**
     * Graceful stop: a connection with nothing in flight is closed, except one just opened that has sent nothing
     * yet: the web server connected to send a request, which would fail if dropped, so it gets {@code fresh}.
     */
    void closeIfIdle(long now, long freshNanos) {
        if (heard || now - openedNanos > freshNanos) {
            closeIfNothingInFlight();
        }
    }

    void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.LOG.debug("closing {}: {}", peer, e.toString());
        }
    }

    private void abortAll(String reason) {
        for (Exchange exchange : exchanges.values()) {
            exchange.abort(reason, false);
        }
    }
}
