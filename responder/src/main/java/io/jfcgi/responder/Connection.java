package io.jfcgi.responder;

import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.responder.ReadOwner.Owner;
import io.jfcgi.responder.RequestTable.Held;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One accepted connection, driven by its {@link EventLoop}: each time the socket is readable the loop reads what
 * is there, decodes the records and routes them by request id. A request that arrived whole runs right on the
 * loop's thread; others run on workers, which write through the connection's {@link RecordWriter}. An idle
 * connection holds no thread at all, so nginx may keep as many open as it likes. Who reads the socket at any
 * moment is its {@link ReadOwner}'s to say; which requests are in flight, its {@link InFlight} and id table's.
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
    private final Scheduler scheduler;
    private final SocketChannel channel;
    private final EventLoop loop;
    /** Who is connected (null: unknown), as accepted. */
    private final SocketAddress remote;
    /** {@link #remote} for the logs: made on first use, so that a connection nobody logs about never pays for it. */
    private String peer;
    private final RecordWriter writer;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ReadOwner<Exchange, Held> reading = new ReadOwner<>(this::setReadInterest);
    private final RequestTable requests;
    private final InFlight inFlight = new InFlight();
    private final long openedNanos = System.nanoTime();
    private volatile long lastReadNanos = openedNanos;
    /**
     * A request has begun on this connection. Until then a stop leaves it open for a moment: the web server
     * connected to send one, which may be on the way. Set after the request is counted in flight, never before,
     * so that a stop that sees it finds the request and does not close under it.
     */
    private volatile boolean heard;
    /** When our output was shut down, and the peer's input is drained until it closes (0: not closing). */
    private volatile long closingSince;
    /**
     * The request that ended last had read all its input (its STDIN's and DATA's empty records) when it let go of
     * its id: the web server has nothing more to send on a connection it does not keep, so closing it at once
     * sends no RST that could cost the web server the response it has not read yet.
     */
    private volatile boolean inputWhole;
    /** The last request has ended without FCGI_KEEP_CONN and all its input read: the next drive ends the connection. */
    private volatile boolean done;
    private volatile SelectionKey key;

    // Below: the drive holder's own (ReadOwner's drive orders them between threads).
    /**
     * Borrowed from the server's pool for a read, and given back as soon as nothing in it is left to decode (all
     * but a pause): an idle or dead connection holds none. Null while it holds none.
     */
    private ByteBuffer buffer;
    /** Socket reads that brought bytes: how a handler reading the socket knows whether it got any. */
    private long reads;
    /** The last read took less than it asked for: the socket had no more then. */
    private boolean drained;
    /** Where a handler reading the connection itself waits for bytes. */
    private final ReadableWait readable;

    /** Made once: handed to every body record that finds its buffer full, and to closes from other threads. */
    private final Runnable driveTask = this::tryDrive;
    /**
     * Requests answered on this connection, counted up to 2 only (so that the count costs one volatile read per
     * request after the second). A worker waits only on one that has carried two: nginx closes the connections
     * past its keepalive pool after one request each, and a wait on those would cost a selector for nothing.
     */
    private volatile int answered;
    /** How to ask back the worker waiting on this connection, while one does: the connection's end does. */
    private volatile Runnable waiter;

    Connection(FastCgiServer server, SocketChannel channel, EventLoop loop, SocketAddress remote) {
        this.server = server;
        this.settings = server.settings();
        this.scheduler = server.scheduler();
        this.channel = channel;
        this.loop = loop;
        this.remote = remote;
        this.writer = new RecordWriter(channel, scheduler.slots(), scheduler.writablePoller());
        this.readable = new ReadableWait(channel);
        this.requests = new RequestTable(this, scheduler, reading, loop, driveTask);
    }

    ServerSettings settings() {
        return settings;
    }

    PeerWarnings peerWarnings() {
        return server.peerWarnings();
    }

    Handler handler() {
        return server.handler();
    }

    MemoryBudget budget() {
        return server.budget();
    }

    RecordWriter writer() {
        return writer;
    }

    /** From any thread (two that race make the same string). */
    String peer() {
        String described = peer;
        if (described == null) {
            described = describe(remote);
            peer = described;
        }
        return described;
    }

    /** A peer's address and port, for the logs ("unix peer" on a unix socket). */
    static String describe(SocketAddress remote) {
        if (remote == null) {
            return "unknown peer";
        }
        return remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : "unix peer";
    }

    /**
     * On the loop's thread: registers the connection, and on a unix socket reads it at once. There a connect
     * completes in the call, and the web server writes its request right after it, so by our accept the request is
     * in: it is answered without waiting for the next select, and a connection that ends before that select
     * (nginx's default, a request per connection) is never added to epoll nor removed from it (the JDK adds a
     * key at the next select, and skips one cancelled by then). Over TCP our accept mostly comes before the
     * request (measured: three reads in four found nothing), so the selector says when it is there.
     */
    void start() {
        try {
            key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        } catch (IOException e) {
            Log.LOG.debug("registering {} failed: {}", peer(), e.toString());
            end("the connection could not be registered");
            return;
        }
        if (!(remote instanceof InetSocketAddress)) {
            onSelected();
        }
    }

    /** The loop found the socket readable. */
    void onSelected() {
        if (reading.loopSawReadable()) {
            driveHeld();
        }
    }

    /** ReadOwner's one side effect, under its lock. */
    private void setReadInterest(boolean read) {
        SelectionKey registered = key;
        if (registered == null || !KeyInterest.set(registered, read ? SelectionKey.OP_READ : 0)) {
            return; // not registered yet, or closed by another thread: nothing to watch
        }
        if (read) {
            loop.wakeUnlessOnLoop();
        }
    }

    /**
     * A handler found its body empty: it reads the socket itself, as libfcgi does, rather than wait to be fed by
     * the I/O thread at the price of two thread switches per socket read. Waits up to a quarter second for bytes.
     *
     * @return false if this thread cannot read the connection now: the handler waits to be fed or kicked
     */
    boolean pullInput(Exchange exchange) throws IOException {
        if (!reading.beginPull(exchange, requests.isAlone(exchange), System.nanoTime())) {
            return false;
        }
        try {
            // At most what the empty body buffer takes, in one read: it never fills, so the I/O thread is never
            // needed to resume it.
            int limit = Math.min(READ_BUFFER, settings.bodyBufferBytes());
            if (drained) {
                // The last read emptied the socket, and the handler has used it all since: a read now would most
                // likely find nothing, so wait for bytes first, as a blocking read would (libfcgi's one call).
                readable.await(250);
            }
            long before = reads;
            driveOnce(limit, true);
            if (reads == before && reading.mayRead(Thread.currentThread())) {
                readable.await(250);
                driveOnce(limit, true);
            }
        } finally {
            giveBackDrive();
            reading.endPull(exchange, Math.max(1, System.nanoTime()));
        }
        return true;
    }

    /**
     * A worker, its request just ended: if that left the connection kept, idle and unmultiplexed, it waits on the
     * connection for the next request and runs that too, as libfcgi's thread blocks in {@code read}: no hand-off
     * from the I/O thread per request, and the I/O thread sleeps. The wait ends after
     * {@link FastCgiServer#DEFAULT_WAIT_FOR_NEXT_REQUEST} without a request, when the pool asks the worker back for
     * a queued task or a stop, or at what this thread does not run itself (a body still to come, a second request
     * at once); the loop reads the connection again from then on. The worker can be asked back only while it
     * waits, not while it runs a request: the task that asks goes to a worker that is free now.
     */
    void waitForNextRequest() {
        ConnectionWaiters waiters = scheduler.waiters();
        if (!mayWait() || !waiters.worthWaiting() || !reading.beginWait()) {
            return;
        }
        Thread me = Thread.currentThread();
        int served = 0;
        try (WorkerWait wait = WorkerWait.on(channel)) {
            if (wait == null) {
                return; // closed meanwhile
            }
            Runnable asker = wait::askBack;
            waiter = asker;
            try {
                while (true) {
                    long before = reads;
                    waiters.add(asker);
                    try {
                        // Closed or stopping: an end or a stop that came before the waiter was there to ask back.
                        if (reading.isClosed() || server.isStopping()) {
                            break;
                        }
                        wait.await(server.waitForNextRequestMillis());
                    } finally {
                        waiters.remove(asker);
                    }
                    if (wait.askedBack() || !reading.isWaiter(me) || !reading.tryTakeDrive()) {
                        break; // another thread drives (a close): it drives once more for us, as the loop would
                    }
                    driveHeld(); // a whole request runs here, within
                    if (reads == before) {
                        break; // nothing came in the wait: timed out, woken, or the peer closed
                    }
                    served++;
                    if (!reading.isWaiter(me) || !mayWait()) {
                        break; // what came is not this thread's to run, or waiting no longer pays
                    }
                }
            } finally {
                waiter = null;
                waiters.waited(served);
            }
        } catch (IOException e) {
            Log.LOG.debug("waiting on {} for its next request: {}", peer(), e.toString());
        } finally {
            reading.endWait();
        }
    }

    /**
     * Kept open, idle, unmultiplexed, among few connections (see {@link ConnectionWaiters}): a worker may wait on
     * it for the next request.
     */
    private boolean mayWait() {
        return answered >= 2 && server.waitForNextRequestMillis() > 0 && !done && closingSince == 0
                && requests.size() == 0 && !requests.mayMultiplex() && channel.isOpen() && !server.isStopping()
                && server.openConnections() <= ConnectionWaiters.MOST_CONNECTIONS && scheduler.workerMayWait();
    }

    /** Drives the connection here unless another thread does; then that thread drives it once more. */
    private void tryDrive() {
        if (reading.tryTakeDrive()) {
            driveHeld();
        }
    }

    /** Drives while holding the drive, then gives it back; a waiting puller is told the connection is free. */
    private void driveHeld() {
        driveOnce(READ_BUFFER, false);
        giveBackDrive();
        Exchange puller = reading.puller();
        if (puller != null) {
            puller.stdin.kick(); // its handler may have found the connection busy, and waits
            puller.data.kick();
        }
    }

    /** Gives back the drive, driving again for each one others asked for meanwhile (a close, a resume, bytes). */
    private void giveBackDrive() {
        int missed = 1;
        while ((missed = reading.giveBackDrive(missed)) != 0) {
            driveOnce(READ_BUFFER, false);
        }
    }

    /** Reads at most {@code limit} bytes a read, while the socket fills them (or {@code once}), and acts on them. */
    private void driveOnce(int limit, boolean once) {
        if (reading.isClosed()) {
            return;
        }
        try {
            if (done || !channel.isOpen()) {
                end(done ? "the request ended without FCGI_KEEP_CONN" : "connection closed");
                return;
            }
            if (reading.owner() == Owner.PAUSED && !resume()) {
                return;
            }
            while (reading.mayRead(Thread.currentThread())) {
                if (buffer == null) {
                    buffer = server.readBuffers().take();
                }
                buffer.clear().limit(limit);
                int n = channel.read(buffer);
                if (n < 0) {
                    if (closingSince == 0 && requests.size() > 0) {
                        Log.LOG.debug("{} closed the connection with {} request(s) in flight", peer(),
                                requests.size());
                    }
                    end("the web server closed the connection");
                    return;
                }
                if (n == 0) {
                    return;
                }
                lastReadNanos = System.nanoTime();
                reads++;
                drained = n < limit;
                if (closingSince == 0) { // else a lingering close: drain and drop, so no RST eats the response
                    buffer.flip();
                    if (!decodeBuffer()) {
                        return; // paused: a request's body buffer is full
                    }
                }
                if (n < limit || once || reading.isClosed()) {
                    return; // the selector says when there is more; reading until EAGAIN costs a syscall
                }
            }
        } catch (FastCgiProtocolException e) {
            peerWarnings().warn(PeerWarnings.Fault.PROTOCOL_ERROR,
                    "protocol error from {}: {}; closing the connection", peer(), e.getMessage());
            end("protocol error");
        } catch (IOException e) {
            if (closingSince == 0 && !(e instanceof ClosedChannelException)) {
                Log.LOG.debug("read from {} failed: {}", peer(), e.toString());
            }
            end(closingSince != 0 ? "connection closed" : "I/O error: " + e.getMessage());
        } catch (RuntimeException e) {
            Log.LOG.error("unexpected failure on the connection from {}; closing it", peer(), e);
            end("internal error");
        } finally {
            giveBackBuffer();
        }
    }

    /**
     * Unless paused (the held record views the buffer, and the rest of it is still to decode), everything read
     * has been decoded by now, and copied where it is kept: the buffer goes back to the pool.
     */
    private void giveBackBuffer() {
        if (buffer != null && reading.owner() != Owner.PAUSED) {
            server.readBuffers().give(buffer);
            buffer = null;
        }
    }

    /** Decodes and acts on the rest of the buffer; false if it stopped at a body record that does not fit. */
    private boolean decodeBuffer() throws IOException, FastCgiProtocolException {
        Record record;
        boolean paused = false;
        while (!paused && (record = decoder.decode(buffer)) != null) {
            requests.route(record);
            paused = reading.owner() == Owner.PAUSED;
        }
        requests.endOfRead();
        return !paused;
    }

    /** Offers the held record again; if it fits now, decodes the rest of the buffer. */
    private boolean resume() throws IOException, FastCgiProtocolException {
        Held held = reading.held();
        if (!held.pipe().offer(held.record().content(), driveTask)) {
            return false;
        }
        requests.resumedFeeding(held.pipe());
        reading.resumed();
        return decodeBuffer();
    }

    /** The end of the connection, once, on the drive holder: aborts what is in flight, closes, leaves the server. */
    private void end(String reason) {
        if (reading.isClosed()) {
            return;
        }
        reading.close();
        Runnable waiting = waiter;
        if (waiting != null) {
            waiting.run(); // the worker waiting on this connection: its selector may not see the close
        }
        boolean idle = requests.size() == 0;
        requests.abortAll(reason);
        releaseSocket(idle);
        writer.close();
        try {
            readable.close();
        } catch (IOException e) {
            Log.LOG.debug("closing a selector of {}: {}", peer(), e.toString());
        }
        // Only the thread driving the connection gets here, and nothing read from the buffer outlives this.
        if (buffer != null) {
            server.readBuffers().give(buffer);
            buffer = null;
        }
        server.connectionEnded(this);
    }

    /** The server's slowlog, queue-wait shedding and JSON access log. */
    RequestWatch watch() {
        return server.watch();
    }

    /** The requests in flight on this connection, for the watchdog's slowlog. */
    Iterable<Exchange> inFlight() {
        return requests.inFlight();
    }

    /** A request lets go of its id, just before its END_REQUEST: the web server may reuse the id from then on. */
    void releaseId(Exchange exchange) {
        inputWhole = exchange.stdin.isEnded() && exchange.data.isEnded();
        requests.release(exchange);
    }

    /** How long the oldest request on this connection has been in flight, in nanoseconds; 0 with none. */
    long oldestRequestAgeNanos(long now) {
        return requests.oldestAgeNanos(now);
    }

    /** BEGIN_REQUEST: one more request in flight, unless the connection is closing. */
    boolean beginRequest() {
        if (!inFlight.tryBegin()) {
            return false;
        }
        inputWhole = false;
        heard = true;
        return true;
    }

    /** A BEGIN_REQUEST that is ignored (its id is in use): in flight no more, and nothing to write for it. */
    void requestDropped() {
        inFlight.end();
    }

    /**
     * A request's END_REQUEST is written: without FCGI_KEEP_CONN the application closes the connection (§3.5,
     * §5.1). With all of the request's input read, at once, as libfcgi does: the web server sends nothing more.
     * Else gracefully: our output is shut down and the rest of its input drained, so that no RST overtakes the
     * response (a close with unread bytes in the socket sends one, and the web server may then lose the response).
     */
    void endRequestWritten(boolean keepConn) {
        if (answered < 2) {
            answered++; // a lost count on a multiplexed connection is harmless: no worker waits on one
        }
        if (inFlight.end() != 0) {
            return;
        }
        switch (AfterRequest.decide(keepConn, server.isStopping(), inputWhole)) {
            case CLOSE -> {
                if (inFlight.closeIfNone()) {
                    done = true;
                    tryDrive(); // here, or the thread that holds the drive ends it when it gives it back
                }
            }
            case LINGER -> closeIfNone();
            case STAY_OPEN -> { }
        }
    }

    /** Writes a request's only or last record: END_REQUEST. */
    void reply(Record record, boolean keepConn) throws IOException {
        writer.write(record);
        endRequestWritten(keepConn);
    }

    /** Writes a request's last record on a worker's behalf; a failure closes the connection. */
    void sendQuietly(Record record, boolean keepConn) {
        try {
            reply(record, keepConn);
        } catch (IOException e) {
            ioFailed(e);
        }
    }

    void ioFailed(IOException e) {
        Log.LOG.debug("write to {} failed: {}", peer(), e.toString());
        close();
    }

    void logAccess(Exchange exchange, Response response, long bytes) {
        if (settings.accessLog()) {
            // Log4j starts on another thread, off the first request's path; until it has its configuration, an
            // INFO line from here would be dropped. The response has gone already, so waiting costs the client
            // nothing, and it only ever happens in the first few hundred milliseconds.
            server.awaitLogging();
            Request request = exchange.request();
            Log.LOG.info("{} {} {} {} {} {}ms", peer(), request.method(), request.requestUri(), response.status(),
                    bytes, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.startedNanos));
        }
    }

    /** The watchdog's look at this connection: enforces the timeouts, and gives an idle puller's reading back. */
    void checkTimeouts(long now) {
        if (closingSince != 0) {
            if (now - closingSince > settings.lingerTimeout().toNanos()) {
                close();
            }
            return;
        }
        long writing = writer.writingSince();
        if (writing != 0 && now - writing > settings.writeTimeout().toNanos()) {
            peerWarnings().warn(PeerWarnings.Fault.UNREAD_RESPONSE,
                    "{} has not read its response for {}; closing the connection", peer(), settings.writeTimeout());
            close();
            return;
        }
        if (requests.size() == 0) {
            if (now - lastReadNanos > settings.idleTimeout().toNanos()) {
                Log.LOG.debug("{} idle for {}; closing", peer(), settings.idleTimeout());
                closeIfNone();
            }
            return;
        }
        ReadOwner.State<Exchange, Held> seen = reading.state();
        if (seen.owner() == Owner.PULLER_IDLE && now - seen.since() > PULLER_IDLE_NANOS) {
            // Its handler is busy elsewhere: the loop reads on its behalf, up to its buffer.
            loop.execute(() -> reading.releaseIdlePuller(seen));
        }
        boolean paused = seen.owner() == Owner.PAUSED;
        if (paused && now - seen.since() > settings.readTimeout().toNanos() && !seen.held().exchange().isAborted()) {
            Log.LOG.warn("request {} from {}: the handler read none of its input for {} while its buffer was full; "
                    + "aborted", seen.held().exchange().id, peer(), settings.readTimeout());
            seen.held().exchange().abort("the handler stopped reading its input", true);
            return;
        }
        requests.checkTimeouts(now, lastReadNanos, paused);
    }

    /**
     * Graceful stop: a connection with nothing in flight is closed, except one just opened on which no request has
     * begun yet (its first bytes may be in): the web server connected to send a request, which would fail if
     * dropped, so it gets {@code fresh}, and longer while bytes wait in the socket that its loop has not read yet
     * (a loop kept from running on a loaded machine; the stop's deadline still bounds it).
     */
    void closeIfIdleAtStop(long now, long freshNanos) {
        if (heard || now - openedNanos > freshNanos && !bytesWaiting()) {
            closeIfNone();
        }
    }

    /** Any thread: the peer has sent bytes that no read has taken yet (FIONREAD; unknown on a unix socket). */
    private boolean bytesWaiting() {
        try {
            return channel.socket().getInputStream().available() > 0;
        } catch (IOException | UnsupportedOperationException e) { // closed meanwhile; not an Internet socket
            return false;
        }
    }

    /** From any thread: false once the socket is closed (by either side, a timeout or the stop). */
    boolean isOpen() {
        return channel.isOpen();
    }

    /** From any thread: the socket is closed, or a write to it failed (the peer went while a handler wrote). */
    boolean peerGone() {
        return !channel.isOpen() || writer.failed();
    }

    /** From any thread: closes the socket at once; the loop then ends the connection (aborts, bookkeeping). */
    void close() {
        closeSocket();
        loop.execute(driveTask);
    }

    /** Closes gracefully unless a request is in flight or has just begun; the check and the close are one. */
    private void closeIfNone() {
        if (inFlight.closeIfNone()) {
            shutdownOutput();
        }
    }

    /** Shuts our side down and keeps draining the peer's, until it closes or the linger time is up. */
    private void shutdownOutput() {
        if (closingSince != 0) {
            return;
        }
        closingSince = Math.max(1, System.nanoTime());
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
        }
    }

    /**
     * At the end, on the drive holder. With nothing in flight, the loop closes the socket once its selector has let
     * go of it: the JDK's close of a channel still registered costs a getsockopt and a shutdown more, and is put off
     * until the selector's next look anyway. Off the loop's thread our output is shut down first, so that the web
     * server sees the end now, and the loop is not woken for it: the web server's close wakes it (or, if it never
     * closes, the watchdog). With requests in flight, the socket is closed at once, so that their writes fail now.
     */
    private void releaseSocket(boolean idle) {
        SelectionKey registered = key;
        if (idle && registered != null && channel.isOpen()) {
            if (!loop.inLoop()) {
                try {
                    channel.shutdownOutput();
                } catch (IOException e) {
                    Log.LOG.debug("shutting down the output to {}: {}", peer(), e.toString());
                }
            }
            loop.closeWhenDeregistered(registered);
        } else {
            closeSocket();
        }
    }

    private void closeSocket() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.LOG.debug("closing {}: {}", peer(), e.toString());
        }
        // A registered channel's socket is released when its selector next looks at it.
        loop.wakeUnlessOnLoop();
    }
}
