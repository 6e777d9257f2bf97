package io.jfcgi.responder;

import io.jfcgi.codec.supervision.StatusChannel;
import io.jfcgi.codec.supervision.StatusMessage;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.Logger;

/**
 * The child's half of jspawn-fcgi's status channel (docs/status-channel.md, {@link StatusMessage}): {@code ready}
 * once accepting, then {@code active <in flight> <served> <oldest ms>} whenever those change (at most every
 * {@value #PERIOD_MILLIS} ms) and {@code alive} every second (so that the launcher can tell a frozen child from an
 * idle one), with {@code request <method> <uri>} in the same write as an {@code active} line when the latest
 * request changed, and a graceful stop when the control channel reaches EOF, which means the launcher has gone. Only when the launcher names the fds in the environment; any other way of starting the app is
 * unaffected.
 */
final class SupervisorChannel {

    private static final String STATUS_FD = StatusChannel.STATUS_FD_VARIABLE;
    private static final String CONTROL_FD = StatusChannel.CONTROL_FD_VARIABLE;
    static final long PERIOD_MILLIS = 100;
    private static final StatusMessage.Counts NO_COUNTS = new StatusMessage.Counts(0, 0, 0);

    private static final class Log {
        static final Logger LOG = Loggers.get(SupervisorChannel.class);
    }

    private SupervisorChannel() {
    }

    /** Starts reporting when the environment names a status fd; does nothing otherwise. */
    static void startIfSupervised(Map<String, String> environment, FastCgiServer server, IntSupplier active,
            LongSupplier served, LongSupplier oldestMillis, Supplier<StatusMessage.Counts> counts,
            Supplier<Parameters> latest) {
        String statusFd = environment.get(STATUS_FD);
        if (statusFd != null && statusFd.matches("\\d+")) {
            try {
                OutputStream out = new FileOutputStream("/proc/self/fd/" + statusFd);
                daemon("jspawn-status", () -> report(out, active, served, oldestMillis, counts, latest)).start();
            } catch (IOException e) {
                Log.LOG.warn("{}={} but that fd cannot be opened ({}); not reporting to jspawn-fcgi", STATUS_FD,
                        statusFd, e.getMessage());
            }
        }
        String controlFd = environment.get(CONTROL_FD);
        if (controlFd != null && controlFd.matches("\\d+")) {
            try {
                InputStream in = new FileInputStream("/proc/self/fd/" + controlFd);
                daemon("jspawn-control", () -> watch(in, server)).start();
            } catch (IOException e) {
                Log.LOG.warn("{}={} but that fd cannot be opened ({})", CONTROL_FD, controlFd, e.getMessage());
            }
        }
    }

    /**
     * Writes {@code ready} and {@code alive}, then {@code active} lines as they change and {@code alive} every
     * second, until {@code out} fails or an interrupt; with an {@code active} line, a {@code request} line when
     * {@code latest} (the parameters of the request admitted last) has changed.
     */
    static void report(OutputStream out, IntSupplier active, LongSupplier served, LongSupplier oldest) {
        report(out, active, served, oldest, () -> NO_COUNTS, () -> null);
    }

    /**
     * As above, and a {@code counts} line (slowlog, shed, log failures, budget and overload refusals) whenever one
     * of them changes.
     */
    static void report(OutputStream out, IntSupplier active, LongSupplier served, LongSupplier oldest,
            Supplier<StatusMessage.Counts> counts, Supplier<Parameters> latest) {
        try (out) {
            // One write, so that no child is ready without having said it sends alive: one that froze in between
            // would look like an older child, never judged by its silence.
            write(out, List.of(new StatusMessage.Ready(), new StatusMessage.Alive()));
            StatusMessage last = null;
            StatusMessage lastCounts = NO_COUNTS; // none sent while all are zero: most apps never count any
            Parameters lastRequest = null;
            long alivePeriod = TimeUnit.MILLISECONDS.toNanos(StatusMessage.ALIVE_PERIOD_MILLIS);
            long aliveAt = System.nanoTime();
            while (true) {
                // The oldest request's age tells the launcher of a stuck request (--request-timeout); while one
                // runs it changes every period, which costs a line per 100 ms, no more.
                StatusMessage now = new StatusMessage.Active(active.getAsInt(), served.getAsLong(),
                        oldest.getAsLong());
                // Compared by identity: a new request is a new Parameters, so the strings are made once per change.
                Parameters request = latest.get();
                boolean newRequest = request != null && request != lastRequest;
                if (newRequest) {
                    lastRequest = request;
                }
                if (!now.equals(last) || newRequest) {
                    write(out, newRequest ? List.of(now, StatusMessage.Request.of(request.get("REQUEST_METHOD"),
                            request.get("REQUEST_URI"))) : List.of(now));
                    last = now;
                }
                // On the same period, never per request: a storm of slow or shed requests costs a line per 100 ms.
                StatusMessage nowCounts = counts.get();
                if (!nowCounts.equals(lastCounts)) {
                    write(out, List.of(nowCounts));
                    lastCounts = nowCounts;
                }
                // From this thread, not a timer of its own: a JVM too stuck to run it is what the launcher looks for.
                if (System.nanoTime() - aliveAt >= alivePeriod) {
                    write(out, List.of(new StatusMessage.Alive()));
                    aliveAt = System.nanoTime();
                }
                Thread.sleep(PERIOD_MILLIS);
            }
        } catch (IOException | InterruptedException e) {
            // The launcher has gone (EPIPE) or we are stopping: the control channel's EOF handles the rest.
        }
    }

    private static void write(OutputStream out, List<StatusMessage> messages) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (StatusMessage message : messages) {
            lines.append(message.format()).append('\n');
        }
        out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Blocks until the launcher closes its end (or dies), then stops the server gracefully. */
    private static void watch(InputStream in, FastCgiServer server) {
        try (in) {
            byte[] buffer = new byte[64];
            while (in.read(buffer) != -1) {
                // No commands yet: the launcher signals instead. Reading only to see EOF.
            }
        } catch (IOException e) {
            // Treated as EOF.
        }
        if (!server.isStopping()) {
            server.awaitLogging();
            Log.LOG.info("the launcher has gone: stopping gracefully");
            server.close();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
