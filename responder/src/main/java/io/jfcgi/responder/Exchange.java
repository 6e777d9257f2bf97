package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.NameValuePairs;
import io.jfcgi.codec.NameValuePairDecoder;
import io.jfcgi.codec.Role;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request from BEGIN_REQUEST to END_REQUEST: what the I/O thread feeds in, and the handler, run on a
 * worker or on the I/O thread itself. END_REQUEST is sent exactly once, by whoever moves the state to DONE first.
 */
final class Exchange implements Runnable, BodyPipe.Source {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(Exchange.class);
    }

    private static final int PARAMS = 0;
    private static final int QUEUED = 1;
    private static final int RUNNING = 2;
    private static final int DONE = 3;

    final int id;
    final Role role;
    final boolean keepConn;
    final long startedNanos = System.nanoTime();
    final NameValuePairDecoder paramsDecoder;
    /** Filled while PARAMS arrive, then handed to the request's {@link Parameters}, and no longer touched. */
    final NameValuePairs pairs = new NameValuePairs();
    final BodyPipe stdin;
    final BodyPipe data;
    private final Connection connection;
    private final AtomicInteger state = new AtomicInteger(PARAMS);
    private volatile boolean aborted;
    /** Set once END_REQUEST has been written: nothing more may follow for this id. */
    private volatile boolean completed;
    private volatile String abortReason;
    private Thread worker;
    private Request request;

    Exchange(Connection connection, int id, Role role, boolean keepConn) {
        this.connection = connection;
        this.id = id;
        this.role = role;
        this.keepConn = keepConn;
        ServerSettings settings = connection.settings();
        this.paramsDecoder = new NameValuePairDecoder(settings.paramsLimits());
        // An authorizer gets no STDIN at all (§6.3; mod_authnz_fcgi sends no STDIN record).
        this.stdin = role == Role.AUTHORIZER ? BodyPipe.empty() : new BodyPipe(settings.bodyBufferBytes());
        this.data = role == Role.FILTER ? new BodyPipe(settings.bodyBufferBytes()) : BodyPipe.empty();
        stdin.pullFrom(this);
        data.pullFrom(this);
    }

    /** The handler found its body empty: it may read the connection itself. */
    @Override
    public boolean pull() throws IOException {
        return connection.pullInput(this);
    }

    /**
     * PARAMS has ended: the request is ready for a worker.
     *
     * @return false if the request was ended meanwhile (the watchdog's PARAMS timeout, an abort)
     */
    boolean paramsComplete() {
        request = new Request(id, role, Parameters.adopt(pairs), stdin, data);
        return state.compareAndSet(PARAMS, QUEUED);
    }

    boolean isReceivingParams() {
        return state.get() == PARAMS;
    }

    Request request() {
        return request;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return; // aborted while queued; END_REQUEST already sent
            }
            worker = Thread.currentThread();
        }
        RecordWriter writer = connection.writer();
        ResponseStream.ErrorStream errors = new ResponseStream.ErrorStream(this, writer, id);
        ResponseStream body = new ResponseStream(this, writer, id, connection.settings().bodyBufferBytes(),
                request.params().valueEquals("REQUEST_METHOD", "HEAD"));
        Response response = new Response(body, errors);
        int appStatus = 0;
        try {
            connection.server().handler().handle(request, response);
        } catch (Throwable t) {
            appStatus = 1;
            if (aborted) {
                Log.LOG.debug("request {} {} ended after abort: {}", id, request.requestUri(), t.toString());
            } else {
                Log.LOG.error("handler failed on request {} {}", id, request.requestUri(), t);
                if (!response.isCommitted()) {
                    writeErrorPage(response, 500);
                    appStatus = 0;
                }
            }
        } finally {
            synchronized (this) {
                worker = null;
                Thread.interrupted(); // an abort's interrupt must not leak into the next task
            }
            stdin.close();
            data.close();
        }
        end(body, errors.isUsed(), appStatus, response);
    }

    /** ABORT_REQUEST (§5.4) or the connection died: cancel the handler; one END_REQUEST follows. */
    void abort(String reason, boolean connectionAlive) {
        aborted = true;
        abortReason = reason;
        RequestAbortedException cause = new RequestAbortedException("request " + id + " aborted: " + reason);
        stdin.fail(cause);
        data.fail(cause);
        synchronized (this) {
            if (state.compareAndSet(PARAMS, DONE) || state.compareAndSet(QUEUED, DONE)) {
                connection.finished(this);
                completed = true;
                if (connectionAlive) {
                    connection.sendQuietly(EndRequest.complete(id, 1), keepConn);
                }
                return;
            }
            if (worker != null) {
                worker.interrupt();
            }
        }
    }

    /** Answers without running the handler (overload, params too large): status page and END_REQUEST. */
    void reject(int status, String retryAfter) {
        if (!state.compareAndSet(QUEUED, DONE) && !state.compareAndSet(PARAMS, DONE)) {
            return;
        }
        stdin.close();
        data.close();
        RecordWriter writer = connection.writer();
        ResponseStream body = new ResponseStream(this, writer, id, 1024, false);
        Response response = new Response(body, new ResponseStream.ErrorStream(this, writer, id));
        connection.finished(this);
        try {
            writeErrorPage(response, status);
            if (retryAfter != null) {
                response.setHeader("Retry-After", retryAfter);
            }
            completed = true;
            body.finish(0, false);
            connection.afterEnd(keepConn);
        } catch (IOException e) {
            connection.ioFailed(e);
        }
    }

    boolean isAborted() {
        return aborted;
    }

    /** Called before every write of the response. */
    void checkWritable() throws IOException {
        if (aborted) {
            throw new RequestAbortedException("request " + id + " aborted: " + abortReason);
        }
        if (completed) {
            throw new IOException("request " + id + " has ended; nothing more can be written");
        }
    }

    private void end(ResponseStream body, boolean stderrUsed, int appStatus, Response response) {
        if (!state.compareAndSet(RUNNING, DONE)) {
            return;
        }
        // Leave the map before END_REQUEST goes out: the web server may reuse the id at once.
        connection.finished(this);
        if (aborted) {
            completed = true;
            connection.sendQuietly(EndRequest.complete(id, appStatus == 0 ? 1 : appStatus), keepConn);
            return;
        }
        completed = true;
        try {
            body.finish(appStatus, stderrUsed);
            connection.logAccess(this, response, body.bodyBytes());
            connection.afterEnd(keepConn);
        } catch (IOException e) {
            connection.ioFailed(e);
        }
    }

    private static void writeErrorPage(Response response, int status) {
        try {
            response.reset();
            response.setStatus(status).setContentType("text/plain; charset=utf-8");
            response.write(status + " " + HttpStatus.reason(status) + "\n");
        } catch (IOException | RuntimeException e) {
            Log.LOG.debug("could not write the {} page", status, e);
        }
    }
}
