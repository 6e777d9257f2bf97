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
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One accepted connection, driven by its {@link EventLoop}: each time the socket is readable the loop reads what
 * is there, decodes the records and routes them by request id. A request that arrived whole runs right on the
 * loop's thread; others run on workers, which write through the connection's {@link RecordWriter}. An idle
 * connection holds no thread at all, so nginx may keep as many open as it likes.
 */
final class Connection {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(Connection.class);
    }
    static final int READ_BUFFER = 64 << 10;
    /** A streaming request's handler that has not read its body for this long lets the I/O thread read again. */
    private static final long PULLER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final FastCgiServer server;
    private final ServerSettings settings;
    private final SocketChannel channel;
    private final EventLoop loop;
    private final String peer;
    private final RecordWriter writer;
    private final RecordDecoder decoder = new RecordDecoder();
    /** From the server's pool, given back when the connection ends; null after that. */
    private ByteBuffer buffer;
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
    /**
     * Drive requests not yet served: the thread that raises it from 0 drives the connection until it is back at
     * 0, so one thread at a time reads and decodes, whichever thread asked.
     */
    private final AtomicInteger drives = new AtomicInteger();
    /** Read interest was dropped while another thread drove the connection (after a loop hand-off). */
    private volatile boolean readInterestDropped;
    private SelectionKey key;
    private boolean ended;
    /** A body record that did not fit its request's full buffer: reading waits until the handler takes some. */
    private record Paused(StreamRecord record, Exchange exchange, BodyPipe pipe, long since) {
    }
    private volatile Paused paused;
    /**
     * The request whose handler reads the connection itself while its body streams in (nginx, Apache and
     * lighttpd send one request at a time); the I/O thread keeps off the connection meanwhile.
     */
    private volatile Exchange puller;
    /**
     * Since when the streaming request's handler has not been reading (0 while it reads): one that leaves its body
     * alone for long gets the connection back to the I/O thread, so that a multiplexing peer's next request on it
     * is seen.
     */
    private volatile long pullerIdleSince;
    /** The handler thread reading the connection right now, if any: it must never run another request inline. */
    private volatile Thread pullingThread;
    /** Socket reads that brought bytes: how a handler reading the socket knows whether it got any. */
    private long reads;
    /** The last read took less than it asked for: the socket had no more then. */
    private boolean drained;
    /** Where a handler reading the connection itself waits for bytes; opened on first use. */
    private Selector readable;
    /** {@link #wake}, made once: it is handed to every body record that finds its buffer full. */
    private final Runnable wakeTask = this::wake;
    private final Runnable driveTask = this::tryDrive;

    Connection(FastCgiServer server, SocketChannel channel, EventLoop loop, String peer) {
        this.server = server;
        this.settings = server.settings();
        this.channel = channel;
        this.loop = loop;
        this.peer = peer;
        this.writer = new RecordWriter(channel);
        this.buffer = server.readBuffers().take();
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

    /** On the loop's thread: starts reading. */
    void register() {
        try {
            key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        } catch (IOException e) {
            Log.LOG.debug("registering {} failed: {}", peer, e.toString());
            finish("the connection could not be registered");
        }
    }

    /** The loop found the socket readable. */
    void onSelected() {
        if (puller != null) {
            dropReadInterest(); // a handler reads its body itself; the interest comes back when it is done
            if (puller == null) {
                // Released meanwhile (its request ended): releasePuller may have looked before the drop, and then
                // nobody would restore it. Seen as a kept Apache connection that never read its next request.
                restoreReadInterest();
            }
            return;
        }
        if (!tryDrive()) {
            // Another thread drives it (the loop's previous runner, still in a handler): stop the selector from
            // reporting it again and again until that thread is done, then it restores the interest.
            dropReadInterest();
            if (drives.get() == 0) {
                restoreReadInterest();
            }
        }
    }

    private void dropReadInterest() {
        readInterestDropped = true;
        key.interestOps(0);
    }

    /**
     * A handler found its body empty: it reads the socket itself, as libfcgi does, rather than wait to be fed by
     * the I/O thread at the price of two thread switches per socket read. Waits up to a quarter second for bytes.
     *
     * @return false if this thread cannot read the connection now: the handler waits to be fed or kicked
     */
    boolean pullInput(Exchange exchange) throws IOException {
        if (puller == null && !multiplexing && exchanges.size() == 1 && exchanges.get(exchange.id) == exchange) {
            puller = exchange; // it had left its body alone for a while; it reads again
        }
        if (puller != exchange || paused != null || !drives.compareAndSet(0, 1)) {
            return false;
        }
        pullingThread = Thread.currentThread();
        pullerIdleSince = 0;
        try {
            // At most what the empty body buffer takes, in one read: it never fills, so the I/O thread is never
            // needed to resume it.
            int limit = Math.min(READ_BUFFER, settings.bodyBufferBytes());
            if (drained) {
                // The last read emptied the socket, and the handler has used it all since: a read now would most
                // likely find nothing, so wait for bytes first, as a blocking read would (libfcgi's one call).
                awaitReadable();
            }
            long before = reads;
            driveOnce(limit, true);
            if (reads == before && !ended && paused == null && puller == exchange) {
                awaitReadable();
                driveOnce(limit, true);
            }
            driveWhatWasMissed();
        } finally {
            pullerIdleSince = Math.max(1, System.nanoTime());
            pullingThread = null;
        }
        if (puller != exchange && readInterestDropped) {
            restoreReadInterest(); // the body ended while we read: the connection is the I/O thread's again
        }
        return true;
    }

    private void awaitReadable() throws IOException {
        try {
            if (readable == null) {
                readable = Selector.open();
                channel.register(readable, SelectionKey.OP_READ);
            }
            // Bounded: a close by the watchdog does not wake this selector.
            readable.select(key -> { }, 250); // only to wait: no key set to fill and clear
        } catch (ClosedSelectorException | ClosedChannelException e) {
            // the connection ended meanwhile; the next read finds out
        }
    }

    /** Asks the loop to look at this connection again: a body buffer has room, or the channel was closed. */
    private void wake() {
        loop.execute(driveTask);
    }

    /** Drives the connection here unless another thread does; then that thread drives it once more. */
    private boolean tryDrive() {
        if (drives.getAndIncrement() != 0) {
            return false;
        }
        driveOnce();
        driveWhatWasMissed();
        Exchange streaming = puller;
        if (streaming != null) {
            // Its handler may have found the connection busy, and waits: it is free now.
            streaming.stdin.kick();
            streaming.data.kick();
        } else if (readInterestDropped) {
            restoreReadInterest();
        }
        return true;
    }

    /**
     * Gives up the one drive this thread took, driving again for each one others asked for meanwhile (a close, a
     * resume, a readable socket).
     */
    private void driveWhatWasMissed() {
        int missed = 1;
        while ((missed = drives.addAndGet(-missed)) != 0) {
            driveOnce();
        }
    }

    /** Reads on, unless a full body buffer holds the connection: then {@link #resume} does it. */
    private void restoreReadInterest() {
        if (!key.isValid()) {
            return;
        }
        if (paused != null) {
            readInterestDropped = true;
            return;
        }
        readInterestDropped = false;
        key.interestOps(SelectionKey.OP_READ);
        loop.wakeUnlessOnLoop();
    }

    /** Reads what the socket has (one read, or more while they fill the buffer) and acts on it. */
    private void driveOnce() {
        driveOnce(READ_BUFFER, false);
    }

    /** As {@link #driveOnce()}, reading at most {@code limit} bytes, and only {@code once} if so asked. */
    private void driveOnce(int limit, boolean once) {
        if (ended) {
            return;
        }
        try {
            if (!channel.isOpen()) {
                finish("connection closed");
                return;
            }
            if (paused != null && !resume()) {
                return;
            }
            while (true) {
                if (puller != null && pullingThread != Thread.currentThread()) {
                    return; // the streaming request's handler reads the socket
                }
                buffer.clear().limit(limit);
                int n = channel.read(buffer);
                if (n < 0) {
                    if (closingSince == 0 && !exchanges.isEmpty()) {
                        Log.LOG.debug("{} closed the connection with {} request(s) in flight", peer,
                                exchanges.size());
                    }
                    finish("the web server closed the connection");
                    return;
                }
                if (n == 0) {
                    return;
                }
                lastReadNanos = System.nanoTime();
                reads++;
                drained = n < limit;
                heard = true;
                if (closingSince == 0) { // else a lingering close: drain and drop, so no RST eats the response
                    buffer.flip();
                    if (!decodeBuffer()) {
                        return; // paused: a request's body buffer is full
                    }
                }
                if (n < limit || once || ended) {
                    return; // the selector says when there is more; reading until EAGAIN costs a syscall
                }
            }
        } catch (FastCgiProtocolException e) {
            Log.LOG.warn("protocol error from {}: {}; closing the connection", peer, e.getMessage());
            finish("protocol error");
        } catch (IOException e) {
            if (closingSince == 0 && !(e instanceof ClosedChannelException)) {
                Log.LOG.debug("read from {} failed: {}", peer, e.toString());
            }
            finish(closingSince != 0 ? "connection closed" : "I/O error: " + e.getMessage());
        } catch (RuntimeException e) {
            Log.LOG.error("unexpected failure on the connection from {}; closing it", peer, e);
            finish("internal error");
        }
    }

    /** Decodes and acts on the rest of the buffer; false if it stopped at a body record that does not fit. */
    private boolean decodeBuffer() throws IOException, FastCgiProtocolException {
        Record record;
        while ((record = decoder.decode(buffer)) != null) {
            dispatch(record);
            if (paused != null) {
                publishInput();
                dropReadInterest();
                if (ready != null) {
                    runReady(); // its handler must start, or nothing will ever make room
                }
                return false;
            }
        }
        publishInput();
        if (ready != null) {
            runReady();
        }
        return true;
    }

    /** Offers the paused record again; if it fits now, decodes the rest of the buffer and reads again. */
    private boolean resume() throws IOException, FastCgiProtocolException {
        Paused held = paused;
        if (!held.pipe().offer(held.record().content(), wakeTask)) {
            return false;
        }
        fed = held.pipe();
        paused = null;
        if (!decodeBuffer()) {
            return false;
        }
        if (puller == null) {
            restoreReadInterest();
        } else {
            readInterestDropped = true; // its handler reads; the interest comes back when the puller is released
        }
        return true;
    }

    /** The end of the connection, once: aborts what is in flight, closes the socket, leaves the server. */
    private void finish(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        abortAll(reason);
        if (ready != null) {
            server.dispatch(ready); // admitted but never run: running it (aborted, a no-op) releases its slot
            ready = null;
        }
        closeSocket();
        writer.close();
        closeReadable();
        // Only the thread driving the connection gets here, and nothing read from the buffer outlives this.
        server.readBuffers().give(buffer);
        buffer = null;
        server.connectionClosed(this);
    }

    private void dispatch(Record record) throws IOException {
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
        if (multiplexing && puller != null) {
            releasePuller(); // the I/O thread reads for all of them now, so none waits for another's handler
        }
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
        boolean alone = !multiplexing && exchanges.size() == 1;
        if (whole && alone && server.handlersAreQuick() && pullingThread != Thread.currentThread()) {
            if (loop.runInline(() -> server.runInline(exchange))) {
                return;
            }
        }
        if (!whole && alone) {
            pullerIdleSince = Math.max(1, System.nanoTime());
            puller = exchange; // its handler reads the rest of the body itself
        }
        server.dispatch(exchange);
    }

    private void onInput(Exchange exchange, StreamRecord input, BodyPipe pipe) {
        if (input.isEndOfStream()) {
            pipe.end();
            if (exchange == puller && exchange.stdin.isEnded() && exchange.data.isEnded()) {
                releasePuller(); // the whole body is in: the I/O thread watches the connection again (aborts, EOF)
            }
            return;
        }
        if (fed != pipe) {
            if (fed != null) {
                fed.publish(); // requests take turns on a multiplexed connection
            }
            fed = pipe;
        }
        if (!pipe.offer(input.content(), wakeTask)) {
            // Full: stop reading (TCP back-pressure) until the handler takes some; the watchdog gives up on a
            // handler that takes none for the read timeout.
            paused = new Paused(input, exchange, pipe, System.nanoTime());
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
        if (puller == exchange) {
            releasePuller(); // it ended before its body did: the I/O thread reads (and drops) the rest
        }
    }

    private void releasePuller() {
        puller = null;
        if (readInterestDropped && pullingThread == null) {
            restoreReadInterest();
        }
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
        long idleSince = pullerIdleSince;
        if (puller != null && pullingThread == null && idleSince != 0 && now - idleSince > PULLER_IDLE_NANOS) {
            releasePuller(); // its handler is busy elsewhere: read on its behalf, up to its buffer
        }
        Paused full = paused;
        if (full != null && now - full.since() > settings.readTimeout().toNanos() && !full.exchange().isAborted()) {
            Log.LOG.warn("request {} from {}: the handler read none of its input for {} while its buffer was full; "
                    + "aborted", full.exchange().id, peer, settings.readTimeout());
            full.exchange().abort("the handler stopped reading its input", true);
            return;
        }
        for (Exchange exchange : exchanges.values()) {
            if (exchange.isReceivingParams() && now - exchange.startedNanos > settings.paramsTimeout().toNanos()) {
                Log.LOG.warn("request {} from {}: PARAMS incomplete after {}; answered 408", exchange.id, peer,
                        settings.paramsTimeout());
                exchange.reject(408, null);
            } else if (full == null && now - lastReadNanos > settings.readTimeout().toNanos() && !exchange.stdin.isEnded()
                    && !exchange.isAborted()) {
                Log.LOG.warn("request {} from {}: no request body for {}; aborted", exchange.id, peer,
                        settings.readTimeout());
                exchange.abort("the request body stalled", true);
            }
        }
    }

    /**
     * Graceful stop: a connection with nothing in flight is closed, except one just opened that has sent nothing
     * yet: the web server connected to send a request, which would fail if dropped, so it gets {@code fresh}.
     */
    void closeIfIdle(long now, long freshNanos) {
        if (heard || now - openedNanos > freshNanos) {
            closeIfNothingInFlight();
        }
    }

    /** Closes the socket from any thread; the loop then ends the connection (aborts, bookkeeping). */
    void closeChannel() {
        closeSocket();
        wake();
    }

    private void closeReadable() {
        if (readable != null) {
            try {
                readable.close(); // it holds the socket open otherwise
            } catch (IOException e) {
                Log.LOG.debug("closing a selector of {}: {}", peer, e.toString());
            }
        }
    }

    private void closeSocket() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.LOG.debug("closing {}: {}", peer, e.toString());
        }
        // A registered channel's socket is released when its selector next looks at it.
        loop.wakeUnlessOnLoop();
    }

    private void abortAll(String reason) {
        for (Exchange exchange : exchanges.values()) {
            exchange.abort(reason, false);
        }
    }
}
