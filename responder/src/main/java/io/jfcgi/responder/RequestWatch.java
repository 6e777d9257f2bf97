package io.jfcgi.responder;

import io.jfcgi.codec.supervision.StatusMessage;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Oversight} at run time: the slowlog (the watchdog looks for requests running past the timeout and
 * writes the running thread's stack), queue-wait shedding (at admission and again at the handler's start), the JSON
 * access log, and their counts for jspawn-fcgi's status. With everything off, a request costs one field test here.
 */
final class RequestWatch implements AutoCloseable {

    private static final class Log {
        static final Logger LOG = Loggers.get(RequestWatch.class);
    }

    /**
     * This process's pid, looked up at the first line that names it: ProcessHandle's class initialisation spins
     * lambdas and a reaper executor's factory, which every child paid before `ready` though most log no such line.
     */
    private static final class Pid {
        static final long PID = ProcessHandle.current().pid();
    }

    private final Oversight oversight;
    private final long maxQueueWaitMillis;
    private final long slowlogNanos;
    /** The stamp is read when shedding or the access log needs it; otherwise not even looked up. */
    private final boolean stamps;
    private final AccessLogLine accessLogLines = new AccessLogLine();
    private final AtomicLong slow = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong logFailures = new AtomicLong();
    private volatile AppendOnlyFile slowlog;
    private volatile AppendOnlyFile accessLog;

    RequestWatch(Oversight oversight) {
        this.oversight = oversight;
        this.maxQueueWaitMillis = oversight.maxQueueWait().toMillis();
        this.slowlogNanos = oversight.slowlogTimeout().toNanos();
        this.stamps = maxQueueWaitMillis > 0 || oversight.accessLog() != null;
    }

    /** Opens the files, at the server's start. */
    void open() throws IOException {
        if (oversight.slowlog() != null) {
            slowlog = open("the slowlog", oversight.slowlog());
        }
        if (oversight.accessLog() != null) {
            accessLog = open("the access log", oversight.accessLog());
        }
    }

    private static AppendOnlyFile open(String what, java.nio.file.Path path) throws IOException {
        try {
            return AppendOnlyFile.open(path);
        } catch (IOException e) {
            throw new IOException("cannot open " + what + " " + path + " for appending: " + e.getMessage(), e);
        }
    }

    /**
     * The I/O thread, PARAMS complete: reads the web server's stamp and measures the wait so far; true if the
     * request has waited past {@code --max-queue-wait} and is to be answered 503 instead of served.
     */
    boolean shedAtAdmission(Exchange exchange) {
        if (!stamps) {
            return false;
        }
        exchange.stampMillis = QueueWait.stampMillis(exchange.request().params().get("REQUEST_START"));
        return measureAndJudge(exchange);
    }

    /** The thread about to run the handler: true if the request has by now waited too long (503 instead). */
    boolean shedAtStart(Exchange exchange) {
        return stamps && measureAndJudge(exchange);
    }

    private boolean measureAndJudge(Exchange exchange) {
        if (exchange.stampMillis == QueueWait.NONE) {
            return false;
        }
        exchange.queueWaitMillis = QueueWait.waitedMillis(exchange.stampMillis, System.currentTimeMillis());
        if (maxQueueWaitMillis == 0 || exchange.queueWaitMillis <= maxQueueWaitMillis) {
            return false;
        }
        if (shed.incrementAndGet() == 1) {
            Log.LOG.warn("request {} waited {} ms since the web server sent it, over --max-queue-wait {}: answered "
                    + "503; such requests are counted as shed, not logged one by one", exchange.request().requestUri(),
                    exchange.queueWaitMillis, oversight.maxQueueWait());
        }
        return true;
    }

    /** Any thread, once the response is complete: one line of JSON, if there is an access log. */
    void logAccess(Exchange exchange, int status, long bodyBytes) {
        AppendOnlyFile file = accessLog;
        if (file == null) {
            return;
        }
        Request request = exchange.request();
        String uri = request.params().get("REQUEST_URI", StandardCharsets.UTF_8);
        String line = accessLogLines.format(System.currentTimeMillis(), Pid.PID, String.valueOf(request.method()),
                uri != null ? uri : request.requestUri(), status, bodyBytes, System.nanoTime() - exchange.startedNanos,
                exchange.queueWaitMillis);
        write(file, line);
    }

    /** The watchdog: slowlog entries for requests past the timeout, and the files reopened if logrotate moved them. */
    void check(Connections connections, long now) {
        AppendOnlyFile file = slowlog;
        if (file != null) {
            connections.forEach(connection -> {
                for (Exchange exchange : connection.inFlight()) {
                    if (!exchange.slowlogged && now - exchange.startedNanos > slowlogNanos) {
                        writeSlow(file, exchange, now);
                    }
                }
            });
            file.reopenIfMoved(now);
        }
        AppendOnlyFile log = accessLog;
        if (log != null) {
            log.reopenIfMoved(now);
        }
    }

    /**
     * The stack of the thread running the request, taken with {@link Thread#getStackTrace} (a handshake with that
     * thread alone); a request still queued has none yet and is looked at again on the next round.
     */
    private void writeSlow(AppendOnlyFile file, Exchange exchange, long now) {
        Thread runner = exchange.runner();
        if (runner == null) {
            return;
        }
        StackTraceElement[] stack = runner.getStackTrace();
        if (exchange.runner() != runner) {
            return; // it ended meanwhile: that stack may be of the thread's next request
        }
        exchange.slowlogged = true;
        slow.incrementAndGet();
        Request request = exchange.request();
        String script = request.param("SCRIPT_NAME");
        String uri = request.params().get("REQUEST_URI", StandardCharsets.UTF_8);
        write(file, SlowlogEntry.format(ZonedDateTime.now(), Pid.PID, request.method(), uri != null ? uri
                : request.requestUri(), script != null ? script : request.param("SCRIPT_FILENAME"), runner.getName(),
                TimeUnit.NANOSECONDS.toMillis(now - exchange.startedNanos), stack));
    }

    private void write(AppendOnlyFile file, String text) {
        try {
            file.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (logFailures.incrementAndGet() == 1) {
                Log.LOG.warn("cannot write to {}: {}; further failures are only counted", file.path(), e.toString());
            }
        }
    }

    /** For jspawn-fcgi's status channel. */
    StatusMessage.Counts counts() {
        return new StatusMessage.Counts(slow.get(), shed.get(), logFailures.get());
    }

    @Override
    public void close() {
        if (slowlog != null) {
            slowlog.close();
        }
        if (accessLog != null) {
            accessLog.close();
        }
    }
}
