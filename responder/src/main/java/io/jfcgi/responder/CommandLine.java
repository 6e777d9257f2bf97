package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import static io.jfcgi.responder.ServerSettings.DEFAULT_BODY_BUFFER_BYTES;
import static io.jfcgi.responder.ServerSettings.DEFAULT_IDLE_TIMEOUT;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MAX_CONNECTIONS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MAX_IO_THREADS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MAX_REQUESTS_PER_CONNECTION;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MIN_WORKERS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_PARAMS_LIMITS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_QUEUE_CAPACITY;
import static io.jfcgi.responder.ServerSettings.DEFAULT_READ_TIMEOUT;
import static io.jfcgi.responder.ServerSettings.DEFAULT_SHUTDOWN_GRACE;
import static io.jfcgi.responder.ServerSettings.DEFAULT_WORKERS_PER_CORE;
import static io.jfcgi.responder.ServerSettings.DEFAULT_WRITE_TIMEOUT;

/**
 * The flags an {@code app.jar} built on this library understands, so that every such app is configured the same
 * way from a command line, a systemd unit or jspawn-fcgi. Environment: {@code FCGI_WEB_SERVER_ADDRS} (§3.2),
 * and {@code JFCGI_LISTEN} as a default for {@code --listen}. One table of flags makes both the parsing and
 * {@link #USAGE}, whose defaults come from {@link ServerSettings}.
 */
final class CommandLine {

    /**
     * One flag: its name, what its value is called in the usage (null for a switch, which takes none), what it
     * does, its default as the usage shows it (null for a switch: off unless given), and how it is applied.
     */
    private record Flag(String name, String value, String help, String byDefault, BiConsumer<Parse, String> apply) {

        String usageLine() {
            String head = String.format("  %-25s %s", value == null ? name : name + " " + value, help);
            if (byDefault == null) {
                return head;
            }
            String tail = "(default " + byDefault + ")";
            return head.length() + 1 + tail.length() <= 110 ? head + " " + tail
                    : head + "\n" + " ".repeat(28) + tail;
        }
    }

    private static final List<Flag> FLAGS = List.of(
            new Flag("--listen", "ADDR", "HOST:PORT, [IPv6]:PORT, :PORT or unix:/path (repeatable)",
                    "none: the listening socket inherited on fd 0", Parse::listen),
            new Flag("--workers", "N", "worker threads (at most N handlers run at once)",
                    DEFAULT_WORKERS_PER_CORE + " per core, at least " + DEFAULT_MIN_WORKERS,
                    (p, v) -> p.builder.workers(number(p.flag, v, 1))),
            new Flag("--io-threads", "N", "event loops that read connections and run quick requests",
                    "one per two cores, 1 to " + DEFAULT_MAX_IO_THREADS,
                    (p, v) -> p.builder.ioThreads(number(p.flag, v, 1))),
            new Flag("--queue", "N", "requests that may wait for a worker before 503", "" + DEFAULT_QUEUE_CAPACITY,
                    (p, v) -> p.builder.queueCapacity(number(p.flag, v, 0))),
            new Flag("--max-conns", "N", "concurrent connections", "" + DEFAULT_MAX_CONNECTIONS,
                    (p, v) -> p.builder.maxConnections(number(p.flag, v, 1))),
            new Flag("--max-reqs-per-conn", "N", "concurrent requests per connection (1: no multiplexing)",
                    "" + DEFAULT_MAX_REQUESTS_PER_CONNECTION,
                    (p, v) -> p.builder.maxRequestsPerConnection(number(p.flag, v, 1))),
            new Flag("--body-buffer", "BYTES", "request body buffered per request", "" + DEFAULT_BODY_BUFFER_BYTES,
                    (p, v) -> p.builder.bodyBufferBytes(number(p.flag, v, 1))),
            new Flag("--max-param-name", "BYTES", "longest PARAMS name; a longer one gets 431",
                    "" + DEFAULT_PARAMS_LIMITS.maxNameLength(),
                    (p, v) -> p.limits = p.limits.withMaxNameLength(p.perPair(number(p.flag, v, 1)))),
            new Flag("--max-param-value", "BYTES", "longest PARAMS value; a longer one gets 431",
                    "" + DEFAULT_PARAMS_LIMITS.maxValueLength(),
                    (p, v) -> p.limits = p.limits.withMaxValueLength(p.perPair(number(p.flag, v, 1)))),
            new Flag("--max-params-bytes", "BYTES", "all of one request's PARAMS; more gets 431",
                    "" + DEFAULT_PARAMS_LIMITS.maxStreamBytes(),
                    (p, v) -> p.limits = p.limits.withMaxStreamBytes(number(p.flag, v, 1))),
            new Flag("--max-params", "N", "PARAMS pairs in one request; more gets 431",
                    "" + DEFAULT_PARAMS_LIMITS.maxPairs(),
                    (p, v) -> p.limits = p.limits.withMaxPairs(number(p.flag, v, 1))),
            new Flag("--read-timeout", "SECONDS", "stalled request body", seconds(DEFAULT_READ_TIMEOUT),
                    (p, v) -> p.builder.readTimeout(seconds(p.flag, v))),
            new Flag("--write-timeout", "SECONDS", "web server not reading the response",
                    seconds(DEFAULT_WRITE_TIMEOUT), (p, v) -> p.builder.writeTimeout(seconds(p.flag, v))),
            new Flag("--idle-timeout", "SECONDS", "connection with nothing in flight", seconds(DEFAULT_IDLE_TIMEOUT),
                    (p, v) -> p.builder.idleTimeout(seconds(p.flag, v))),
            new Flag("--shutdown-grace", "SECONDS", "time in-flight requests get on SIGTERM",
                    seconds(DEFAULT_SHUTDOWN_GRACE), (p, v) -> p.builder.shutdownGrace(seconds(p.flag, v))),
            new Flag("--access-log", null, "one log line per request", null, (p, v) -> p.builder.accessLog(true)),
            new Flag("--virtual-threads", null, "run handlers on virtual threads, at most --workers at once (JDK 21+)",
                    null, (p, v) -> p.builder.virtualThreads(true)));

    static final String USAGE = "options:\n"
            + FLAGS.stream().map(Flag::usageLine).collect(Collectors.joining("\n"))
            + "\n" + new Flag("--help", null, "this text", null, null).usageLine();

    private CommandLine() {
    }

    /**
     * Applies {@code args} and {@code env} to {@code builder}.
     *
     * @return the arguments that are not ours, for the application
     * @throws IllegalArgumentException naming the bad flag or value and what is expected
     */
    static List<String> apply(String[] args, Map<String, String> env, FastCgiServer.Builder builder) {
        Parse parse = new Parse(builder);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            Flag flag = flag(arg);
            if (flag != null) {
                if (flag.value() != null && value == null) {
                    value = next(args, ++i, arg);
                }
                parse.flag = arg;
                flag.apply().accept(parse, value);
            } else if (arg.startsWith("--") && !arg.equals("--") && !arg.equals("--help")) {
                throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            } else {
                rest.add(arg.equals("--help") ? arg : args[i]);
            }
        }
        parse.finish(env);
        return rest;
    }

    private static Flag flag(String name) {
        for (Flag flag : FLAGS) {
            if (flag.name().equals(name)) {
                return flag;
            }
        }
        return null;
    }

    /** What one {@link #apply} has gathered so far; the PARAMS limits go to the builder together at the end. */
    private static final class Parse {
        final FastCgiServer.Builder builder;
        String flag;
        boolean listened;
        ParamsLimits limits = DEFAULT_PARAMS_LIMITS;
        /** The largest per-name or per-value limit given, and by which flag: it must fit in one request's PARAMS. */
        int largestPerPair;
        String largestPerPairFlag;

        Parse(FastCgiServer.Builder builder) {
            this.builder = builder;
        }

        void listen(String address) {
            builder.listen(address);
            listened = true;
        }

        int perPair(int bytes) {
            if (bytes > largestPerPair) {
                largestPerPair = bytes;
                largestPerPairFlag = flag;
            }
            return bytes;
        }

        void finish(Map<String, String> env) {
            if (largestPerPair > limits.maxStreamBytes()) {
                // A name or value never fits where all of the PARAMS may not be as long: the limit would do nothing.
                throw new IllegalArgumentException(largestPerPairFlag + " " + largestPerPair + " is more than "
                        + "--max-params-bytes " + limits.maxStreamBytes() + ", which bounds a request's PARAMS as a "
                        + "whole; raise --max-params-bytes too");
            }
            if (!limits.equals(DEFAULT_PARAMS_LIMITS)) {
                builder.paramsLimits(limits);
            }
            String listen = env.get("JFCGI_LISTEN");
            if (!listened && listen != null && !listen.isBlank()) {
                builder.listen(listen.trim());
            }
            String allowed = env.get("FCGI_WEB_SERVER_ADDRS");
            if (allowed != null && !allowed.isBlank()) {
                for (String address : allowed.split(",")) {
                    if (!address.isBlank()) {
                        builder.webServerAddress(address.trim());
                    }
                }
            }
        }
    }

    private static String next(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int number(String flag, String text, int min) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(flag + " needs a whole number of at least " + min + ", got '" + text + "'");
    }

    private static Duration seconds(String flag, String text) {
        try {
            double s = Double.parseDouble(text.trim());
            if (s >= 0 && s <= 86_400 * 365) {
                return Duration.ofMillis(Math.round(s * 1000));
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(flag + " needs a number of seconds, got '" + text + "'");
    }

    /** As a flag of SECONDS takes it. */
    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? Long.toString(duration.toSeconds())
                : Double.toString(duration.toMillis() / 1000.0);
    }
}
