package io.jfcgi.responder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The flags an {@code app.jar} built on this library understands, so that every such app is configured the same
 * way from a command line, a systemd unit or jspawn-fcgi. Environment: {@code FCGI_WEB_SERVER_ADDRS} (§3.2),
 * and {@code JFCGI_LISTEN} as a default for {@code --listen}.
 */
final class CommandLine {

    static final String USAGE = String.join("\n",
            "options:",
            "  --listen ADDR             HOST:PORT, [IPv6]:PORT, :PORT or unix:/path (repeatable);",
            "                            default: the listening socket inherited on fd 0",
            "  --workers N               worker threads (at most N handlers run at once)",
            "  --io-threads N            event loops that read connections and run quick requests",
            "  --queue N                 requests that may wait for a worker before 503",
            "  --max-conns N             concurrent connections",
            "  --max-reqs-per-conn N     concurrent requests per connection (1: no multiplexing)",
            "  --body-buffer BYTES       request body buffered per request",
            "  --read-timeout SECONDS    stalled request body",
            "  --write-timeout SECONDS   web server not reading the response",
            "  --idle-timeout SECONDS    connection with nothing in flight",
            "  --shutdown-grace SECONDS  time in-flight requests get on SIGTERM",
            "  --access-log              one log line per request",
            "  --virtual-threads         run handlers on virtual threads, at most --workers at once (JDK 21+)",
            "  --help                    this text");

    private CommandLine() {
    }

    /**
     * Applies {@code args} and {@code env} to {@code builder}.
     *
     * @return the arguments that are not ours, for the application
     * @throws IllegalArgumentException naming the bad flag or value and what is expected
     */
    static List<String> apply(String[] args, Map<String, String> env, FastCgiServer.Builder builder) {
        List<String> rest = new ArrayList<>();
        boolean listened = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--listen":
                    builder.listen(value != null ? value : next(args, ++i, arg));
                    listened = true;
                    break;
                case "--workers":
                    builder.workers(number(arg, value != null ? value : next(args, ++i, arg), 1));
                    break;
                case "--io-threads":
                    builder.ioThreads(number(arg, value != null ? value : next(args, ++i, arg), 1));
                    break;
                case "--queue":
                    builder.queueCapacity(number(arg, value != null ? value : next(args, ++i, arg), 0));
                    break;
                case "--max-conns":
                    builder.maxConnections(number(arg, value != null ? value : next(args, ++i, arg), 1));
                    break;
                case "--max-reqs-per-conn":
                    builder.maxRequestsPerConnection(number(arg, value != null ? value : next(args, ++i, arg), 1));
                    break;
                case "--body-buffer":
                    builder.bodyBufferBytes(number(arg, value != null ? value : next(args, ++i, arg), 1));
                    break;
                case "--read-timeout":
                    builder.readTimeout(seconds(arg, value != null ? value : next(args, ++i, arg)));
                    break;
                case "--write-timeout":
                    builder.writeTimeout(seconds(arg, value != null ? value : next(args, ++i, arg)));
                    break;
                case "--idle-timeout":
                    builder.idleTimeout(seconds(arg, value != null ? value : next(args, ++i, arg)));
                    break;
                case "--shutdown-grace":
                    builder.shutdownGrace(seconds(arg, value != null ? value : next(args, ++i, arg)));
                    break;
                case "--access-log":
                    builder.accessLog(true);
                    break;
                case "--virtual-threads":
                    builder.virtualThreads(true);
                    break;
                case "--help":
                    rest.add(arg);
                    break;
                default:
                    if (arg.startsWith("--") && !arg.equals("--")) {
                        throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                    }
                    rest.add(args[i]);
            }
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
        return rest;
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
}
