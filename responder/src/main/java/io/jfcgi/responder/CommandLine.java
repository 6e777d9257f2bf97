package io.jfcgi.responder;

import io.jfcgi.codec.ParamsLimits;

import io.jfcgi.codec.supervision.ChildEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jfcgi.responder.ServerSettings.DEFAULT_BODY_BUFFER_BYTES;
import static io.jfcgi.responder.ServerSettings.DEFAULT_IDLE_TIMEOUT;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MAX_CONNECTIONS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MAX_IO_THREADS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MAX_REQUESTS_PER_CONNECTION;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MAX_WRITE_WAITERS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_MUX_QUEUE_CAPACITY;
import static io.jfcgi.responder.ServerSettings.DEFAULT_PARAMS_LIMITS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_QUEUE_CAPACITY;
import static io.jfcgi.responder.ServerSettings.DEFAULT_READ_TIMEOUT;
import static io.jfcgi.responder.ServerSettings.DEFAULT_SHUTDOWN_GRACE;
import static io.jfcgi.responder.ServerSettings.DEFAULT_WORKERS;
import static io.jfcgi.responder.ServerSettings.DEFAULT_WRITE_TIMEOUT;

/**
 * The flags an {@code app.jar} built on this library understands, so that every such app is configured the same
 * way from a command line, a systemd unit or jspawn-fcgi. Environment: {@code FCGI_WEB_SERVER_ADDRS} (§3.2),
 * and {@code JFCGI_LISTEN} as a default for {@code --listen}. One table of flags makes both the parsing and
 * {@link #usage()}, whose defaults come from {@link ServerSettings}.
 */
final class CommandLine {

    /**
     * One flag: its name, what its value is called in the usage (null for a switch, which takes none), what it
     * does, its default as the usage shows it (null for a switch: off unless given), and how it is applied. An enum
     * with a body per constant rather than a table of lambdas: an app.jar reads its flags at every start, and each
     * lambda costs a class spun at run time (18 of them made an idle app 10 MiB larger, from the compiler's work).
     */
    private enum Flag {
        LISTEN("--listen", "ADDR", "HOST:PORT, [IPv6]:PORT, :PORT or unix:/path (repeatable)",
                "none: the listening socket inherited on fd 0") {
            @Override
            void apply(Parse p, String v) {
                p.listen(v);
            }
        },
        WORKERS("--workers", "N", "worker threads, started as needed, for handlers that block (at most N at once)",
                "" + DEFAULT_WORKERS) {
            @Override
            void apply(Parse p, String v) {
                p.builder.workers(number(p.flag, v, 1));
            }
        },
        IO_THREADS("--io-threads", "N", "event loops that read connections and run quick requests",
                "one per two cores, 1 to " + DEFAULT_MAX_IO_THREADS) {
            @Override
            void apply(Parse p, String v) {
                p.builder.ioThreads(number(p.flag, v, 1));
            }
        },
        QUEUE("--queue", "N", "requests that may wait for a worker before 503",
                "--max-conns minus --workers, at least " + DEFAULT_QUEUE_CAPACITY) {
            @Override
            void apply(Parse p, String v) {
                p.builder.queueCapacity(number(p.flag, v, 0));
            }
        },
        MAX_CONNS("--max-conns", "N", "concurrent connections", "" + DEFAULT_MAX_CONNECTIONS) {
            @Override
            void apply(Parse p, String v) {
                p.builder.maxConnections(number(p.flag, v, 1));
            }
        },
        MAX_REQS_PER_CONN("--max-reqs-per-conn", "N",
                "concurrent requests per connection, as FCGI_MAX_REQS says (1: no multiplexing)",
                "" + DEFAULT_MAX_REQUESTS_PER_CONNECTION) {
            @Override
            void apply(Parse p, String v) {
                p.builder.maxRequestsPerConnection(number(p.flag, v, 1));
            }
        },
        MUX_QUEUE("--mux-queue", "N", "requests of multiplexing connections that may wait once workers and queue "
                + "are full, before 503", "" + DEFAULT_MUX_QUEUE_CAPACITY) {
            @Override
            void apply(Parse p, String v) {
                p.builder.muxQueueCapacity(number(p.flag, v, 0));
            }
        },
        BODY_BUFFER("--body-buffer", "BYTES", "request body buffered per request", "" + DEFAULT_BODY_BUFFER_BYTES) {
            @Override
            void apply(Parse p, String v) {
                p.builder.bodyBufferBytes(number(p.flag, v, 1));
            }
        },
        MAX_BUFFERED_BYTES("--max-buffered-bytes", "BYTES", "PARAMS and bodies all requests hold together; past it "
                + "a request in PARAMS gets 503 + Retry-After and a body waits", "a quarter of the heap") {
            @Override
            void apply(Parse p, String v) {
                p.builder.maxBufferedBytes(longNumber(p.flag, v, 1));
            }
        },
        MAX_PARAM_NAME("--max-param-name", "BYTES", "longest PARAMS name; a longer one gets 431",
                String.valueOf(DEFAULT_PARAMS_LIMITS.maxNameLength())) {
            @Override
            void apply(Parse p, String v) {
                p.limits = p.limits.withMaxNameLength(p.perPair(number(p.flag, v, 1)));
            }
        },
        MAX_PARAM_VALUE("--max-param-value", "BYTES", "longest PARAMS value; a longer one gets 431",
                String.valueOf(DEFAULT_PARAMS_LIMITS.maxValueLength())) {
            @Override
            void apply(Parse p, String v) {
                p.limits = p.limits.withMaxValueLength(p.perPair(number(p.flag, v, 1)));
            }
        },
        MAX_PARAMS_BYTES("--max-params-bytes", "BYTES", "all of one request's PARAMS; more gets 431",
                String.valueOf(DEFAULT_PARAMS_LIMITS.maxStreamBytes())) {
            @Override
            void apply(Parse p, String v) {
                p.limits = p.limits.withMaxStreamBytes(number(p.flag, v, 1));
            }
        },
        MAX_PARAMS("--max-params", "N", "PARAMS pairs in one request; more gets 431",
                String.valueOf(DEFAULT_PARAMS_LIMITS.maxPairs())) {
            @Override
            void apply(Parse p, String v) {
                p.limits = p.limits.withMaxPairs(number(p.flag, v, 1));
            }
        },
        READ_TIMEOUT("--read-timeout", "SECONDS", "stalled request body", seconds(DEFAULT_READ_TIMEOUT)) {
            @Override
            void apply(Parse p, String v) {
                p.builder.readTimeout(seconds(p.flag, v));
            }
        },
        WRITE_TIMEOUT("--write-timeout", "SECONDS", "web server not reading the response",
                seconds(DEFAULT_WRITE_TIMEOUT)) {
            @Override
            void apply(Parse p, String v) {
                p.builder.writeTimeout(seconds(p.flag, v));
            }
        },
        MAX_WRITE_WAITERS("--max-write-waiters", "N", "handlers that wait for a web server to read their response "
                + "without holding a worker (0: none)", "" + DEFAULT_MAX_WRITE_WAITERS) {
            @Override
            void apply(Parse p, String v) {
                p.builder.maxWriteWaiters(number(p.flag, v, 0));
            }
        },
        IDLE_TIMEOUT("--idle-timeout", "SECONDS", "connection with nothing in flight", seconds(DEFAULT_IDLE_TIMEOUT)) {
            @Override
            void apply(Parse p, String v) {
                p.builder.idleTimeout(seconds(p.flag, v));
            }
        },
        SHUTDOWN_GRACE("--shutdown-grace", "SECONDS", "time in-flight requests get on SIGTERM",
                seconds(DEFAULT_SHUTDOWN_GRACE)) {
            @Override
            void apply(Parse p, String v) {
                p.builder.shutdownGrace(seconds(p.flag, v));
            }
        },
        ACCESS_LOG("--access-log", null, "one log line per request; with =FILE, one JSON object per request "
                + "appended to FILE instead (env " + ChildEnvironment.ACCESS_LOG + ")", null) {
            @Override
            void apply(Parse p, String v) {
                if (v == null) {
                    p.builder.accessLog(true);
                } else {
                    p.accessLogFile = v;
                }
            }

            @Override
            String usageLine() {
                return CommandLine.usageLine(flagName + "[=FILE]", help, byDefault);
            }
        },
        SLOWLOG("--slowlog", "FILE", "append the stack of each request running past --slowlog-timeout (env "
                + ChildEnvironment.SLOWLOG + ")", "none") {
            @Override
            void apply(Parse p, String v) {
                p.slowlog = v;
            }
        },
        SLOWLOG_TIMEOUT("--slowlog-timeout", "T", "how long a request runs before its slowlog entry: 1s, 500ms, 1.5 "
                + "(env " + ChildEnvironment.SLOWLOG_TIMEOUT + ")", Oversight.DEFAULT_SLOWLOG_TIMEOUT.toSeconds() + "s") {
            @Override
            void apply(Parse p, String v) {
                p.slowlogTimeout = v;
            }
        },
        MAX_QUEUE_WAIT("--max-queue-wait", "T", "503 to a request that waited longer since the web server's "
                + "REQUEST_START (env " + ChildEnvironment.MAX_QUEUE_WAIT + ")", "off") {
            @Override
            void apply(Parse p, String v) {
                p.maxQueueWait = v;
            }
        },
        VIRTUAL_THREADS("--virtual-threads", null, "run handlers on virtual threads, at most --workers at once (JDK 21+)",
                null) {
            @Override
            void apply(Parse p, String v) {
                p.builder.virtualThreads(true);
            }
        };

        final String flagName;
        final String value;
        final String help;
        final String byDefault;

        Flag(String flagName, String value, String help, String byDefault) {
            this.flagName = flagName;
            this.value = value;
            this.help = help;
            this.byDefault = byDefault;
        }

        abstract void apply(Parse parse, String value);

        String usageLine() {
            return CommandLine.usageLine(value == null ? flagName : flagName + " " + value, help, byDefault);
        }
    }

    /** The usage text of {@code --help} and of every error message about the flags; made when asked, rarely. */
    static String usage() {
        StringBuilder text = new StringBuilder("options:");
        for (Flag flag : Flag.values()) {
            text.append('\n').append(flag.usageLine());
        }
        return text.append('\n').append(usageLine("--version", "the library's version", null))
                .append('\n').append(usageLine("--help", "this text", null)).toString();
    }

    private static String usageLine(String flag, String help, String byDefault) {
        String head = String.format("  %-25s %s", flag, help);
        if (byDefault == null) {
            return head;
        }
        String tail = "(default " + byDefault + ")";
        return head.length() + 1 + tail.length() <= 110 ? head + " " + tail : head + "\n" + " ".repeat(28) + tail;
    }

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
                if (flag.value != null && value == null) {
                    value = next(args, ++i, arg);
                }
                parse.flag = arg;
                flag.apply(parse, value);
            } else if (arg.startsWith("--") && !arg.equals("--") && !passedOn(arg)) {
                throw new IllegalArgumentException("unknown option " + arg + "\n" + usage());
            } else {
                rest.add(passedOn(arg) ? arg : args[i]);
            }
        }
        parse.finish(env);
        return rest;
    }

    /** {@code --help} and {@code --version}: not settings, so they go back to the caller, which answers them. */
    private static boolean passedOn(String arg) {
        return arg.equals("--help") || arg.equals("--version");
    }

    private static Flag flag(String name) {
        for (Flag flag : Flag.values()) {
            if (flag.flagName.equals(name)) {
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
        /** As given, or null: the environment's variable then stands in (jspawn-fcgi passes them so). */
        String slowlog;
        String slowlogTimeout;
        String maxQueueWait;
        String accessLogFile;

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
            // Identity, not equals(): a record's equals is bootstrapped through method handles, which cost an
            // idle app.jar several MiB at every start; limits is a new value only if a flag set one.
            if (limits != DEFAULT_PARAMS_LIMITS) {
                builder.paramsLimits(limits);
            }
            finishOversightOf(this, env);
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

    /** The request-watching flags, each from the command line or else from its variable. */
    private static void finishOversightOf(Parse p, Map<String, String> env) {
        String slowlog = given(p.slowlog, env, ChildEnvironment.SLOWLOG);
        if (slowlog != null) {
            p.builder.slowlog(Path.of(slowlog));
        }
        String timeout = given(p.slowlogTimeout, env, ChildEnvironment.SLOWLOG_TIMEOUT);
        if (timeout != null) {
            Duration t = duration(source(p.slowlogTimeout, "--slowlog-timeout", ChildEnvironment.SLOWLOG_TIMEOUT),
                    timeout);
            if (t.isZero()) {
                throw new IllegalArgumentException("--slowlog-timeout must be more than 0 (leave out --slowlog for no "
                        + "slowlog)");
            }
            p.builder.slowlogTimeout(t);
        }
        String wait = given(p.maxQueueWait, env, ChildEnvironment.MAX_QUEUE_WAIT);
        if (wait != null) {
            p.builder.maxQueueWait(duration(source(p.maxQueueWait, "--max-queue-wait",
                    ChildEnvironment.MAX_QUEUE_WAIT), wait));
        }
        String accessLog = given(p.accessLogFile, env, ChildEnvironment.ACCESS_LOG);
        if (accessLog != null) {
            p.builder.accessLogFile(Path.of(accessLog));
        }
    }

    private static String given(String flagValue, Map<String, String> env, String variable) {
        String value = flagValue != null ? flagValue : env.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String source(String flagValue, String flag, String variable) {
        return flagValue != null ? flag : variable;
    }

    /** {@code 1s}, {@code 500ms}, {@code 2m}, or a number of seconds ({@code 1.5}), as jspawn-fcgi takes them. */
    static Duration duration(String flag, String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                long ms = Long.parseLong(t.substring(0, t.length() - 2));
                if (ms >= 0) {
                    return Duration.ofMillis(ms);
                }
            } else if (t.endsWith("m") || t.endsWith("s")) {
                double n = Double.parseDouble(t.substring(0, t.length() - 1));
                if (n >= 0 && n <= 86_400 * 365) {
                    return Duration.ofMillis(Math.round(n * (t.endsWith("m") ? 60_000 : 1000)));
                }
            } else if (!t.isEmpty() && Character.isDigit(t.charAt(t.length() - 1))) {
                return seconds(flag, t);
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(flag + " needs a duration such as 1s, 500ms, 2m or 1.5 (seconds), got '"
                + text + "'");
    }

    private static String next(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value\n" + usage());
        }
        return args[i];
    }

    private static int number(String flag, String text, int min) {
        return (int) longNumber(flag, text, min, Integer.MAX_VALUE);
    }

    private static long longNumber(String flag, String text, long min) {
        return longNumber(flag, text, min, Long.MAX_VALUE);
    }

    private static long longNumber(String flag, String text, long min, long max) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= min && n <= max) {
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
    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? Long.toString(duration.toSeconds())
                : Double.toString(duration.toMillis() / 1000.0);
    }
}
