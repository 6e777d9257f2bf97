package io.jfcgi.spawner;

import io.jfcgi.spawner.os.AddressRange;
import io.jfcgi.spawner.systemd.SocketActivation;
import io.jfcgi.spawner.status.StatusListen;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * spawn-fcgi 1.6's command line, with the same letters and meanings, plus the long options of a supervised pool
 * in PHP-FPM's terms. Parsing only: whether users exist or we are root is checked by the launcher.
 */
public final class LaunchCommandLine {

    static final String USAGE_LINE = "jspawn-fcgi [options] -- <program|app.jar> [args...]";
    /** The allow-list's name in the environment, as FastCGI (§3.2) and php-cgi know it. */
    static final String WEB_SERVER_ADDRS = "FCGI_WEB_SERVER_ADDRS";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private LaunchCommandLine() {
    }

    /** The options, for parsing and for {@code --help}. */
    public static Options options() {
        Options o = new Options();
        o.addOption(arg("a", null, "addr", "bind to this IPv4 or IPv6 address (default 127.0.0.1: this host "
                + "only; -a 0.0.0.0 or a LAN address opens the pool to other hosts, then name them with --allow)"));
        o.addOption(arg("p", null, "port", "bind to this TCP port (0: a free port, named in the log and status)"));
        o.addOption(arg("s", null, "path", "bind to this unix socket path"));
        o.addOption(arg("M", null, "mode", "unix socket file mode, octal (default 0660)"));
        o.addOption(arg("b", null, "backlog", "listen backlog (default 1024)"));
        o.addOption(arg("F", null, "n", "children to start; alone: a static pool of n (default 1)"));
        o.addOption(arg("C", null, "n", "set PHP_FCGI_CHILDREN=n for php-cgi children"));
        o.addOption(arg("P", null, "file", "pidfile of the launcher (locked while it runs, removed on exit)"));
        o.addOption(arg("d", null, "dir", "working directory of the children"));
        o.addOption(arg("f", null, "path", "program to run through /bin/sh (deprecated; use -- program)"));
        o.addOption(flag("n", null, "stay in the foreground (systemd, runit, containers); default: daemon"));
        o.addOption(arg("u", null, "user", "run children as this user (root only)"));
        o.addOption(arg("g", null, "group", "run children with this group (root only)"));
        o.addOption(arg("U", null, "user", "owner of the unix socket (root only)"));
        o.addOption(arg("G", null, "group", "group of the unix socket (root only)"));
        o.addOption(arg("c", null, "dir", "chroot to this directory (root only)"));
        o.addOption(flag("S", null, "bind the socket before chroot (root only)"));
        o.addOption(flag("v", "version", "print the version and exit"));
        o.addOption(flag("h", "help", "print this help and exit"));
        o.addOption(flag("?", null, "print this help and exit"));
        o.addOption(arg(null, "allow", "addr[,addr...]", "TCP: serve only these web servers (addresses or CIDR "
                + "ranges, IPv4/IPv6; loopback is always allowed), like php-fpm's listen.allowed_clients; the "
                + "launcher drops other peers and passes the list to children as FCGI_WEB_SERVER_ADDRS (default: "
                + "that variable, if set)"));
        o.addOption(arg(null, "pm", "static|dynamic|ondemand", "pool mode (default: dynamic when a spare bound is "
                + "given)"));
        o.addOption(arg(null, "start-children", "n", "children at start (dynamic)"));
        o.addOption(arg(null, "max-children", "n", "most children at once (dynamic; default 8)"));
        o.addOption(arg(null, "min-spare", "n", "fewest idle children (dynamic; default 1)"));
        o.addOption(arg(null, "max-spare", "n", "most idle children (dynamic; default 3)"));
        o.addOption(arg(null, "max-requests", "n", "recycle a child after n requests, with jitter (default off)"));
        o.addOption(arg(null, "max-requests-jitter", "n", "add up to n to each child's --max-requests "
                + "(default n/10)"));
        o.addOption(arg(null, "idle-timeout", "time", "retire a spare child idle this long (dynamic, ondemand; "
                + "default 10s)"));
        o.addOption(arg(null, "stop-timeout", "time", "grace for in-flight requests on stop and reload "
                + "(default 30s)"));
        o.addOption(arg(null, "request-timeout", "time", "replace a child busy in one request this long "
                + "(default off)"));
        o.addOption(arg(null, "heartbeat-timeout", "time", "a .jar child silent this long on its status channel "
                + "is frozen: SIGQUIT (thread dump), SIGKILL 2s later, replaced (default 30s; 0 = off)"));
        o.addOption(arg(null, "upgrade-timeout", "time", "at SIGUSR2, how long the new launcher has to serve "
                + "before the old one stops it and serves on (default 60s)"));
        o.addOption(arg(null, "max-memory", "MiB", "recycle a child whose RSS exceeds this (default off)"));
        o.addOption(arg(null, "max-boot-failures", "n", "give up after n children died before serving "
                + "(default 5)"));
        o.addOption(arg(null, "jvm-opt", "option", "a JVM option for .jar children (repeatable); they get "
                + "-XX:+UseSerialGC -Xms16m -Xshare:auto -XX:+ExitOnOutOfMemoryError -XX:-ShrinkHeapInSteps, "
                + "-Xmx256m (3/4 of --max-memory when given) unless an option here sets the heap's bound, and "
                + "-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 unless one here sets either, and, on a JDK "
                + "that has it (17.0.9+, 21.0.1+, 22+) with glibc, -XX:TrimNativeHeapInterval=10000 unless set"));
        o.addOption(arg(null, "slowlog", "file", "JVM children append the stack of each request running past "
                + "--slowlog-timeout here (php-fpm's slowlog; default off)"));
        o.addOption(arg(null, "slowlog-timeout", "time", "how long a request runs before its slowlog entry "
                + "(default 5s)"));
        o.addOption(arg(null, "max-queue-wait", "time", "JVM children answer 503 + Retry-After to a request that "
                + "waited longer since nginx's REQUEST_START (default off)"));
        o.addOption(arg(null, "access-log", "file", "JVM children append one JSON object per request here "
                + "(default off)"));
        o.addOption(flag(null, "cds", "class-data sharing for .jar and .war children: an archive of their classes, "
                + "made once by a training run of the app (started beside the pool, sent one GET /), for a faster "
                + "start (default off)"));
        o.addOption(arg(null, "cds-dir", "dir", "with --cds: keep the archives here, a directory only this user "
                + "may write (default $XDG_CACHE_HOME/jfcgi, else ~/.cache/jfcgi); implies --cds"));
        o.addOption(arg(null, "status-listen", "addr", "answer the status page and ping over FastCGI here, from "
                + "the launcher itself, so they answer when every child is busy or frozen: HOST:PORT, PORT "
                + "(127.0.0.1) or a unix socket path (mode and owner as -M/-U/-G); see nginx-conf/jfcgi-status.conf"));
        o.addOption(arg(null, "status-path", "path", "the status page's path on --status-listen (default /status;"
                + " ?json ?xml ?html ?openmetrics, &full for each child)"));
        o.addOption(arg(null, "ping-path", "path", "the path that answers 200 pong on --status-listen "
                + "(default /ping)"));
        o.addOption(arg(null, "log", "file", "append the launcher's and children's output here "
                + "(reopened on SIGUSR1)"));
        return o;
    }

    public static String help() {
        HelpFormatter formatter = HelpFormatter.builder().get();
        java.io.StringWriter out = new java.io.StringWriter();
        formatter.printHelp(new java.io.PrintWriter(out), 100, USAGE_LINE,
                "Binds a FastCGI socket, starts children on it (fd 0) and supervises them.\n\n", options(), 2, 4,
                "\nSignals: TERM/INT graceful stop (a second one: at once), QUIT stop at once, HUP rolling reload, "
                        + "USR1 reopen the log, USR2 upgrade the launcher from the files on disk, TTIN/TTOU one "
                        + "child more/fewer.\nStatus: jspawn-fcgi status -P pidfile [--json|--xml|--html|--openmetrics]");
        return out.toString();
    }

    /** The first line of {@link #help()}, shown after a mistake in the options as spawn-fcgi shows its usage. */
    static String synopsis() {
        return help().lines().findFirst().orElse(USAGE_LINE);
    }

    /** What the command line asks for: help, the version, or a launch. */
    public sealed interface Request permits Help, Version, Launch {
    }

    public record Help() implements Request {
    }

    public record Version() implements Request {
    }

    public record Launch(LaunchOptions options) implements Request {
    }

    public static Request parse(String[] args) throws UsageException {
        return parse(args, System.getenv());
    }

    /**
     * As {@link #parse(String[])}, with {@code environment} for FCGI_WEB_SERVER_ADDRS (the default of --allow) and
     * systemd's LISTEN_FDS (a socket passed to this process, used when no -a/-p/-s is given).
     */
    public static Request parse(String[] args, Map<String, String> environment) throws UsageException {
        CommandLine line;
        try {
            line = DefaultParser.builder().get().parse(options(), args, true);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage() + "; see jspawn-fcgi --help", synopsis());
        }
        if (line.hasOption("h") || line.hasOption("?")) {
            return new Help();
        }
        if (line.hasOption("v")) {
            return new Version();
        }
        List<String> program = line.getArgList();
        if (line.hasOption("f")) {
            if (program.isEmpty()) { // spawn-fcgi ignores -f when a program follows --
                program = List.of("/bin/sh", "-c", "exec " + line.getOptionValue("f"));
            }
        }
        if (program.isEmpty()) {
            throw new UsageException("no program given: put it after --, e.g. jspawn-fcgi -p 9000 -- app.jar");
        }
        if (program.get(0).startsWith("-")) {
            throw new UsageException("unknown option " + program.get(0) + "; see jspawn-fcgi --help", synopsis());
        }
        int port = line.hasOption("p") ? integer(line, "p", 0, 65535) : 0;
        Path socket = line.hasOption("s") ? Path.of(line.getOptionValue("s")).toAbsolutePath() : null;
        // Socket activation: systemd's socket, when the command names none (sd_listen_fds(3)).
        SocketActivation activation = line.hasOption("p") || line.hasOption("s") || line.hasOption("a") ? null
                : SocketActivation.of(environment, ProcessHandle.current().pid());
        if (activation != null && !line.hasOption("n")) {
            throw new UsageException("a socket from systemd (LISTEN_FDS) needs -n: systemd is the daemon manager, "
                    + "and a daemon would not inherit it");
        }
        // A successor (SIGUSR2) of a socket-activated launcher has its predecessor's socket, and no LISTEN_FDS.
        boolean handedOver = io.jfcgi.spawner.upgrade.SuccessorCommand.inheritedListenFd(environment).isPresent();
        if (!line.hasOption("p") && socket == null && activation == null && !handedOver) {
            throw new UsageException("no socket given: use -p PORT for TCP or -s PATH for a unix socket");
        }
        if (line.hasOption("p") && socket != null) {
            throw new UsageException("either a unix socket (-s) or a TCP port (-p), not both");
        }
        if (socket != null && line.hasOption("a")) {
            throw new UsageException("-a applies to TCP only; drop it, or use -p instead of -s");
        }
        if (socket != null && line.hasOption("allow")) {
            throw new UsageException("--allow applies to TCP only; a unix socket is guarded by its file mode and "
                    + "owner (-M, -U, -G)");
        }
        // Closed by default, as php-fpm: other hosts reach the pool only when the operator binds for them.
        InetAddress address = address(line.getOptionValue("a", "127.0.0.1"));
        List<AddressRange> allowed = socket != null ? List.of() : allowedClients(line, environment);
        int mode = line.hasOption("M") ? octal(line.getOptionValue("M")) : 0660;
        int backlog = line.hasOption("b") ? integer(line, "b", 1, Integer.MAX_VALUE) : 1024;

        boolean dynamicAsked = line.hasOption("min-spare") || line.hasOption("max-spare")
                || line.hasOption("max-children") || line.hasOption("start-children");
        PoolMode mode0 = dynamicAsked ? PoolMode.DYNAMIC : PoolMode.STATIC;
        if (line.hasOption("pm")) {
            String pm = line.getOptionValue("pm").toLowerCase(Locale.ROOT);
            mode0 = switch (pm) {
                case "static" -> PoolMode.STATIC;
                case "dynamic" -> PoolMode.DYNAMIC;
                case "ondemand" -> PoolMode.ONDEMAND;
                default -> throw new UsageException("--pm " + line.getOptionValue("pm")
                        + " is not a pool mode: use static, dynamic or ondemand");
            };
        }
        int start;
        int max;
        int minSpare;
        int maxSpare;
        if (mode0 == PoolMode.STATIC) {
            if (dynamicAsked) {
                throw new UsageException("--min-spare, --max-spare, --max-children and --start-children need "
                        + "--pm dynamic; a static pool takes its size from -F");
            }
            start = line.hasOption("F") ? integer(line, "F", 1, 10_000) : 1;
            max = start;
            minSpare = 0;
            maxSpare = 0;
        } else if (mode0 == PoolMode.ONDEMAND) {
            for (String option : List.of("min-spare", "max-spare", "start-children", "F")) {
                if (line.hasOption(option)) {
                    throw new UsageException(flagName(option) + " does not apply to --pm ondemand, which starts no "
                            + "child until a connection waits: drop it, and bound the pool with --max-children");
                }
            }
            max = line.hasOption("max-children") ? integer(line, "max-children", 1, 10_000) : 8;
            start = 0;
            minSpare = 0;
            maxSpare = 0;
        } else {
            max = line.hasOption("max-children") ? integer(line, "max-children", 1, 10_000) : 8;
            minSpare = line.hasOption("min-spare") ? integer(line, "min-spare", 1, 10_000) : 1;
            maxSpare = line.hasOption("max-spare") ? integer(line, "max-spare", 1, 10_000)
                    : Math.min(max, Math.max(minSpare, 3));
            if (minSpare > max || maxSpare > max) {
                throw new UsageException("--min-spare (" + minSpare + ") and --max-spare (" + maxSpare
                        + ") must not exceed --max-children (" + max + ")");
            }
            if (maxSpare < minSpare) {
                throw new UsageException("--max-spare (" + maxSpare + ") must be at least --min-spare ("
                        + minSpare + ")");
            }
            String startFlag = line.hasOption("start-children") ? "start-children" : "F";
            start = line.hasOption(startFlag) ? integer(line, startFlag, 1, 10_000)
                    : minSpare + (maxSpare - minSpare) / 2;
            if (start < minSpare || start > max) {
                throw new UsageException("--start-children (" + start + ") must lie between --min-spare ("
                        + minSpare + ") and --max-children (" + max + ")");
            }
        }
        int maxRequests = line.hasOption("max-requests") ? integer(line, "max-requests", 0, Integer.MAX_VALUE) : 0;
        int jitter = line.hasOption("max-requests-jitter")
                ? integer(line, "max-requests-jitter", 0, Integer.MAX_VALUE) : maxRequests / 10;
        Integer phpChildren = line.hasOption("C") ? integer(line, "C", 0, 10_000) : null;
        Duration heartbeatTimeout = duration(line, "heartbeat-timeout", Duration.ofSeconds(30));
        if (!heartbeatTimeout.isZero() && heartbeatTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new UsageException("--heartbeat-timeout " + line.getOptionValue("heartbeat-timeout") + " is under "
                    + "2s, and children speak only once a second: use 2s or more, or 0 for off");
        }

        Duration upgradeTimeout = duration(line, "upgrade-timeout", Duration.ofSeconds(60));
        if (upgradeTimeout.isZero()) {
            throw new UsageException("--upgrade-timeout 0 would fail every upgrade: give the new launcher time to "
                    + "start its children, e.g. 60s");
        }

        return new Launch(new LaunchOptions(
                address, port, allowed, socket, backlog, mode,
                line.getOptionValue("U"), line.getOptionValue("G"), line.getOptionValue("u"),
                line.getOptionValue("g"),
                line.hasOption("c") ? Path.of(line.getOptionValue("c")) : null, line.hasOption("S"),
                line.hasOption("d") ? Path.of(line.getOptionValue("d")) : null,
                line.hasOption("P") ? Path.of(line.getOptionValue("P")).toAbsolutePath() : null,
                line.hasOption("log") ? Path.of(line.getOptionValue("log")).toAbsolutePath() : null,
                line.hasOption("n"), phpChildren, mode0, start, max, minSpare, maxSpare, maxRequests, jitter,
                duration(line, "idle-timeout", Duration.ofSeconds(10)),
                duration(line, "stop-timeout", Duration.ofSeconds(30)),
                duration(line, "request-timeout", Duration.ZERO),
                heartbeatTimeout,
                upgradeTimeout,
                line.hasOption("max-memory") ? integer(line, "max-memory", 1, Integer.MAX_VALUE) : 0,
                line.hasOption("max-boot-failures") ? integer(line, "max-boot-failures", 1, 1000) : 5,
                statusListen(line),
                line.hasOption("jvm-opt") ? List.of(line.getOptionValues("jvm-opt")) : List.of(),
                program, activation, oversight(line),
                line.hasOption("cds-dir") ? ChildClassDataSharing.Choice.in(
                        Path.of(line.getOptionValue("cds-dir")).toAbsolutePath())
                        : line.hasOption("cds") ? ChildClassDataSharing.Choice.DEFAULT
                        : ChildClassDataSharing.Choice.OFF));
    }

    /** The options handed to JVM children; files absolute, since a child may run in another directory (-d). */
    private static ChildOversight oversight(CommandLine line) throws UsageException {
        Duration slowlogTimeout = line.hasOption("slowlog-timeout") ? duration(line, "slowlog-timeout", null) : null;
        if (slowlogTimeout != null && slowlogTimeout.isZero()) {
            throw new UsageException("--slowlog-timeout must be more than 0 (leave out --slowlog for no slowlog)");
        }
        if (slowlogTimeout != null && !line.hasOption("slowlog")) {
            throw new UsageException("--slowlog-timeout needs --slowlog FILE, where the entries go");
        }
        return new ChildOversight(absolute(line, "slowlog"), slowlogTimeout,
                duration(line, "max-queue-wait", Duration.ZERO), absolute(line, "access-log"));
    }

    private static Path absolute(CommandLine line, String option) {
        return line.hasOption(option) ? Path.of(line.getOptionValue(option)).toAbsolutePath() : null;
    }

    /** --status-listen with its paths; null without it, and the paths alone are a mistake. */
    private static StatusListen statusListen(CommandLine line) throws UsageException {
        if (!line.hasOption("status-listen")) {
            for (String option : List.of("status-path", "ping-path")) {
                if (line.hasOption(option)) {
                    throw new UsageException("--" + option + " needs --status-listen ADDR, where the launcher answers "
                            + "it");
                }
            }
            return null;
        }
        try {
            return StatusListen.parse(line.getOptionValue("status-listen"),
                    line.getOptionValue("status-path", StatusListen.DEFAULT_STATUS_PATH),
                    line.getOptionValue("ping-path", StatusListen.DEFAULT_PING_PATH));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Option arg(String shortName, String longName, String argName, String description) {
        return Option.builder(shortName).longOpt(longName).hasArg().argName(argName).desc(description).get();
    }

    private static Option flag(String shortName, String longName, String description) {
        return Option.builder(shortName).longOpt(longName).desc(description).get();
    }

    private static String flagName(String option) {
        return option.length() == 1 ? "-" + option : "--" + option;
    }

    private static int integer(CommandLine line, String option, int min, int max) throws UsageException {
        String value = line.getOptionValue(option);
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new UsageException(flagName(option) + " " + value + " is out of range: use a number from "
                        + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flagName(option) + " " + value + " is not a number: use a whole number from "
                    + min + " to " + max);
        }
    }

    private static int octal(String value) throws UsageException {
        try {
            int mode = Integer.parseInt(value, 8);
            if (mode < 0 || mode > 0777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw new UsageException("-M " + value + " is not a file mode: use octal digits, e.g. -M 0660");
        }
    }

    static Duration duration(CommandLine line, String option, Duration otherwise) throws UsageException {
        if (!line.hasOption(option)) {
            return otherwise;
        }
        String value = line.getOptionValue(option).trim();
        var match = DURATION.matcher(value);
        if (!match.matches()) {
            throw new UsageException("--" + option + " " + value + " is not a duration: use e.g. 30s, 500ms, 2m "
                    + "(a bare number is seconds)");
        }
        long n = Long.parseLong(match.group(1));
        String unit = match.group(2) == null ? "s" : match.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** --allow (repeatable, comma-separated), else FCGI_WEB_SERVER_ADDRS from the environment, else none. */
    private static List<AddressRange> allowedClients(CommandLine line, Map<String, String> environment)
            throws UsageException {
        String source = "--allow";
        List<String> entries = new ArrayList<>();
        if (line.hasOption("allow")) {
            for (String value : line.getOptionValues("allow")) {
                entries.addAll(List.of(value.split(",", -1)));
            }
        } else if (environment.get(WEB_SERVER_ADDRS) != null && !environment.get(WEB_SERVER_ADDRS).isBlank()) {
            source = WEB_SERVER_ADDRS + " (the default of --allow)";
            entries.addAll(List.of(environment.get(WEB_SERVER_ADDRS).split(",", -1)));
        }
        List<AddressRange> ranges = new ArrayList<>();
        for (String entry : entries) {
            try {
                ranges.add(AddressRange.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new UsageException(source + ": " + e.getMessage());
            }
        }
        return List.copyOf(ranges);
    }

    /** A literal address only, as spawn-fcgi's inet_pton: never a DNS lookup. */
    static InetAddress address(String value) throws UsageException {
        InetAddress address = AddressRange.literal(value);
        if (address != null) {
            return address;
        }
        throw new UsageException("'" + value + "' is not a valid IP address: -a takes an IPv4 or IPv6 literal, "
                + "e.g. 127.0.0.1 or ::1");
    }
}
