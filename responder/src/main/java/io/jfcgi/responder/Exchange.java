package io.jfcgi.responder;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.NameValuePairs;
import io.jfcgi.codec.NameValuePairDecoder;
import io.jfcgi.codec.Role;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One request from BEGIN_REQUEST to END_REQUEST: what the I/O thread feeds in, and the handler, run on a
 * worker or on the I/O thread itself. Its phase is a {@link RequestLifecycle}; END_REQUEST is sent exactly once,
 * by the thread that moves it to ENDING.
 */
final class Exchange implements BodyPipe.Source {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(Exchange.class);
    }

    final int id;
    final Role role;
    final boolean keepConn;
    final long startedNanos = System.nanoTime();
    final NameValuePairDecoder paramsDecoder;
    /** Filled while PARAMS arrive, then handed to the request's {@link Parameters}, and no longer touched. */
    final NameValuePairs pairs = new NameValuePairs();
    /** The PARAMS bytes it holds against the server's {@link MemoryBudget}, given back when it ends. */
    private final BudgetAccount paramsHeld;
    final BodyPipe stdin;
    final BodyPipe data;
    private final Connection connection;
    private final RequestLifecycle lifecycle = new RequestLifecycle();
    /** Why the request was aborted (ABORT_REQUEST, the connection died, a timeout); null while it was not. */
    private volatile String abortReason;
    /** The thread running the handler, to interrupt on abort; guarded by this, so no interrupt outlives the run. */
    private Thread runner;
    private Request request;
    /** The response, made as the handler starts; a suspended request's ending thread finishes it. */
    private Response response;
    private ResponseStream body;
    private ResponseStream.ErrorStream errors;
    /** Made by the handler's {@link Request#suspend()}; guarded by this until the handler returns. */
    private Suspension suspension;
    /** Told when a suspended request ends; set before it is SUSPENDED, read by the thread that ends it. */
    private Consumer<Exchange> suspendedEnded;
    /** The web server's REQUEST_START in epoch ms ({@link QueueWait#NONE}: none, or not looked for); I/O thread. */
    long stampMillis = QueueWait.NONE;
    /** How long it waited before its handler started (or before it was shed); {@link QueueWait#NONE} unknown. */
    long queueWaitMillis = QueueWait.NONE;
    /** Its slowlog entry is written; the watchdog's alone. */
    boolean slowlogged;
    /**
     * The thread that holds a handler slot for this request, from its start to its last write, or null; set by
     * the {@link Scheduler}, compared only by threads with themselves (so a plain field): its writes that wait for
     * the peer give that slot back meanwhile.
     */
    Thread slotHolder;

    Exchange(Connection connection, int id, Role role, boolean keepConn) {
        this.connection = connection;
        this.id = id;
        this.role = role;
        this.keepConn = keepConn;
        ServerSettings settings = connection.settings();
        MemoryBudget budget = connection.budget();
        this.paramsDecoder = new NameValuePairDecoder(settings.paramsLimits());
        this.paramsHeld = new BudgetAccount(budget);
        // An authorizer gets no STDIN at all (§6.3; mod_authnz_fcgi sends no STDIN record).
        this.stdin = role == Role.AUTHORIZER ? BodyPipe.empty(budget)
                : new BodyPipe(settings.bodyBufferBytes(), budget);
        this.data = role == Role.FILTER ? new BodyPipe(settings.bodyBufferBytes(), budget) : BodyPipe.empty(budget);
        stdin.pullFrom(this);
        data.pullFrom(this);
    }

    /** The handler found its body empty: it may read the connection itself. */
    @Override
    public boolean pull() throws IOException {
        return connection.pullInput(this);
    }

    /**
     * The I/O thread: PARAMS has ended, the request is ready for a handler.
     *
     * @return false if the request was ended meanwhile (the watchdog's PARAMS timeout, an abort)
     */
    boolean paramsEnded() {
        request = new Request(this, role, Parameters.adopt(pairs), stdin, data);
        stdin.expectReader();
        data.expectReader();
        return lifecycle.paramsEnded();
    }

    /**
     * The I/O thread, before one PARAMS record is decoded: charges its bytes to the server's {@link MemoryBudget}.
     * Past the budget the request is answered 503 with Retry-After and ends, giving back what it held: a peer that
     * stalls in PARAMS holds at most the budget, and the web server may retry elsewhere.
     *
     * @return false if the request was refused (or had ended): its PARAMS are no longer read
     */
    boolean chargeParams(int bytes) {
        if (paramsHeld.charge(bytes)) {
            return true;
        }
        if (!isReceivingParams()) {
            return false; // it ended meanwhile (a timeout, the connection's end): nothing was refused
        }
        connection.budget().refusedRequest(id, connection.peer());
        reject(503, "1");
        return false;
    }

    boolean isReceivingParams() {
        return lifecycle.phase() == RequestLifecycle.Phase.PARAMS;
    }

    /** The connection the request came on. */
    Connection connection() {
        return connection;
    }

    Request request() {
        return request;
    }

    /**
     * Runs the handler, on the thread that holds its slot; when it returns, ends the request, unless the handler
     * suspended it ({@link Request#suspend()}): then the request goes on without this thread, and whichever thread
     * ends it later tells {@code suspendedEnded}.
     *
     * @return true if the request was suspended: {@code suspendedEnded} hears its end (which may have come
     *         already, from another thread, or from this one when a completion or abort came first)
     */
    boolean run(Consumer<Exchange> suspendedEnded) {
        synchronized (this) {
            if (!lifecycle.start()) {
                return false; // aborted while queued; END_REQUEST already sent
            }
            runner = Thread.currentThread();
        }
        RecordWriter writer = connection.writer();
        errors = new ResponseStream.ErrorStream(this, writer, id);
        body = new ResponseStream(this, writer, id, connection.settings().bodyBufferBytes(),
                request.params().valueEquals("REQUEST_METHOD", "HEAD"));
        response = new Response(body, errors);
        int appStatus = 0;
        boolean returned = false;
        try {
            connection.handler().handle(request, response);
            returned = true;
        } catch (Throwable t) {
            appStatus = 1;
            if (isAborted()) {
                Log.LOG.debug("request {} {} ended after abort: {}", id, request.requestUri(), t.toString());
            } else if (connection.peerGone()) {
                // A write timeout, the web server closed it, or a write found it gone (a broken pipe before the
                // loop saw the close); the closer has said why. Not the handler's fault.
                Log.LOG.debug("request {} {} ended with its connection: {}", id, request.requestUri(), t.toString());
            } else {
                Log.LOG.error("handler failed on request {} {}", id, request.requestUri(), t);
                if (!response.isCommitted()) {
                    writeErrorPage(response, 500);
                    appStatus = 0;
                }
            }
        } finally {
            synchronized (this) {
                runner = null;
                Thread.interrupted(); // an abort's interrupt must not leak into the next task
            }
        }
        if (returned && suspension != null) { // a handler that threw ends its request, suspended or not
            this.suspendedEnded = suspendedEnded;
            if (lifecycle.suspend()) {
                // A completion or an abort before the suspension found it RUNNING and left the end to this thread.
                if (suspension.isCompleted() || isAborted()) {
                    endSuspended();
                }
                return true;
            }
        }
        stdin.close();
        data.close();
        endRun(appStatus);
        return false;
    }

    /**
     * The running handler's {@link Request#suspend()}: the request outlives the handler's return. Only the thread
     * running the handler, while it runs; a second call gives the same suspension.
     */
    synchronized Suspension suspend() {
        if (runner != Thread.currentThread()) {
            throw new IllegalStateException("suspend() is for the handler's own thread, while it runs");
        }
        if (suspension == null) {
            suspension = new Suspension(this, response);
        }
        return suspension;
    }

    /**
     * Any thread: ends a suspended request, once: its suspension was completed, or the request was aborted. Does
     * nothing unless it is SUSPENDED (the handler's thread does it as the handler returns, if it came before).
     */
    void endSuspended() {
        if (!lifecycle.endSuspended()) {
            return;
        }
        stdin.close();
        data.close();
        finishEnding(0);
        try {
            if (isAborted()) {
                suspension.aborted(); // after the end: the listener finds its writes failing
            }
        } catch (RuntimeException e) {
            Log.LOG.warn("the abort listener of request {} {} failed", id, request.requestUri(), e);
        } finally {
            suspendedEnded.accept(this);
        }
    }

    /** The thread running the handler, or null when it is not running; for the slowlog. Any thread. */
    synchronized Thread runner() {
        return runner;
    }

    /** ABORT_REQUEST (§5.4) or the connection died: cancel the handler; one END_REQUEST follows. */
    void abort(String reason, boolean connectionAlive) {
        abortReason = reason;
        RequestAbortedException cause = new RequestAbortedException("request " + id + " aborted: " + reason);
        stdin.fail(cause);
        data.fail(cause);
        synchronized (this) {
            if (lifecycle.endUnrun()) {
                paramsHeld.close();
                connection.releaseId(this);
                lifecycle.ended();
                if (connectionAlive) {
                    connection.sendQuietly(EndRequest.complete(id, 1), keepConn);
                }
                return;
            }
            if (runner != null) {
                runner.interrupt();
            }
        }
        endSuspended(); // a suspended request ends now; its writes fail, its complete() does nothing
    }

    /** Answers without running the handler (overload, params too large): status page and END_REQUEST. */
    void reject(int status, String retryAfter) {
        if (!lifecycle.endUnrun()) {
            return;
        }
        paramsHeld.close();
        stdin.close();
        data.close();
        RecordWriter writer = connection.writer();
        ResponseStream body = new ResponseStream(this, writer, id, 1024, false);
        Response response = new Response(body, new ResponseStream.ErrorStream(this, writer, id));
        connection.releaseId(this);
        try {
            writeErrorPage(response, status);
            if (retryAfter != null) {
                response.setHeader("Retry-After", retryAfter);
            }
            lifecycle.ended();
            body.finish(0, false);
            if (request != null) { // null: PARAMS never completed
                connection.watch().logAccess(this, status, body.bodyBytes());
            }
            connection.endRequestWritten(keepConn);
        } catch (IOException e) {
            connection.ioFailed(e);
        }
    }

    boolean isAborted() {
        return abortReason != null;
    }

    /** Called before every write of the response. */
    void checkWritable() throws IOException {
        String aborted = abortReason;
        if (aborted != null) {
            throw new RequestAbortedException("request " + id + " aborted: " + aborted);
        }
        if (lifecycle.phase() == RequestLifecycle.Phase.ENDED) {
            throw new IOException("request " + id + " has ended; nothing more can be written");
        }
    }

    /** The handler has returned: the rest of the response and END_REQUEST, unless the request ended already. */
    private void endRun(int appStatus) {
        if (lifecycle.endRun()) {
            finishEnding(appStatus);
        }
    }

    /** The thread that moved the request to ENDING (from RUNNING or SUSPENDED): the last records, END_REQUEST. */
    private void finishEnding(int appStatus) {
        paramsHeld.close();
        // Leave the id table before END_REQUEST goes out: the web server may reuse the id at once.
        connection.releaseId(this);
        lifecycle.ended();
        if (isAborted()) {
            connection.sendQuietly(EndRequest.complete(id, appStatus == 0 ? 1 : appStatus), keepConn);
            return;
        }
        try {
            body.finish(appStatus, errors.isUsed());
            connection.logAccess(this, response, body.bodyBytes());
            connection.watch().logAccess(this, response.status(), body.bodyBytes());
            connection.endRequestWritten(keepConn);
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
