package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;
import io.jfcgi.spawner.PoolMode;
import io.jfcgi.spawner.os.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps the pool: starts children, replaces the ones that die (with backoff, giving up after repeated boot
 * failures), sizes a dynamic pool, recycles, reloads and stops. Single-threaded: every decision is taken on the
 * thread that calls {@link #run()}, from {@link Event}s that the reaper, the children's status readers and the
 * signal handlers post; no locks, and the order of events is the order of decisions.
 */
public final class Supervisor {

    private static final Logger LOG = LogManager.getLogger(Supervisor.class);
    private static final long TICK_MILLIS = 1000;
    private static final long LOOP_MILLIS = 100;
    /**
     * A foreign program (php-cgi) has no status channel: it is booted once /proc shows it waiting in accept, or,
     * where that cannot be read, once it has lived this long (spawn-fcgi's check).
     */
    private static final long FOREIGN_READY_MILLIS = 1000;
    /** A .jar that never speaks the channel (not built on jfcgi) counts as ready after this, with a warning. */
    private static final long SILENT_JAR_READY_MILLIS = 30_000;
    /** A clean exit (status 0) after living this long is a recycle, not a boot failure. */
    private static final long CLEAN_EXIT_MILLIS = 100;
    /** How long an unexpected exit waits for the child's last output line, which names what went wrong. */
    private static final long OUTPUT_DRAIN_MILLIS = 500;
    private static final DateTimeFormatter STATUS_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final Posix posix;
    private final PoolConfig config;
    private final ChildStarter starter;
    private final StartupListener startup;
    private final Runnable reopenLogs;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Integer, Child> children = new LinkedHashMap<>();
    private final Map<Integer, Backoff> slotBackoff = new HashMap<>();
    private final Backoff poolBackoff = new Backoff();
    private final DynamicPoolPolicy policy;
    private final ListenQueue listenQueue;
    private final ForeignChildState foreignState = ForeignChildState.forThisMachine();
    private final Random random = new Random();
    private final long startedAtMillis = System.currentTimeMillis();

    /** Static: the number of children; dynamic: --max-children. TTIN and TTOU move it. */
    private int target;
    private int generation;
    private boolean stopping;
    private int exitCode;
    private int bootFailures;
    private boolean startupReported;
    private boolean silentJarWarned;
    private long servedByGone;
    private int maxActive;
    private int maxListenQueue;
    private long maxChildrenReached;
    private long slowRequests;
    /** Ondemand: the pool is full while connections wait (logged once per such episode). */
    private boolean onDemandAtMax;
    private int cut;

    public Supervisor(Posix posix, PoolConfig config, int listenFd, List<String> argv,
            Map<String, String> environment, StartupListener startup, Runnable reopenLogs) {
        this.posix = posix;
        this.config = config;
        this.starter = new ChildStarter(posix, listenFd, argv, environment, events);
        this.startup = startup;
        this.reopenLogs = reopenLogs;
        this.policy = new DynamicPoolPolicy(config.minSpare(), config.maxSpare());
        this.listenQueue = ListenQueue.of(posix, listenFd, config.tcpPort() != 0);
        this.target = config.mode() == PoolMode.STATIC ? config.startChildren() : config.maxChildren();
    }

    /** Delivers a signal (by name without SIG) to the supervisor's thread. Safe from any thread. */
    public void signal(String name) {
        events.add(new Event.Signalled(name));
    }

    /** Runs the pool until it has stopped; returns the launcher's exit code. */
    public int run() throws InterruptedException {
        Thread reaper = new Thread(new Reaper(posix, events), "reaper");
        reaper.setDaemon(true);
        reaper.start();
        LOG.info("serving {}, pm {}: {}", config.listen(), config.mode().name().toLowerCase(Locale.ROOT),
                switch (config.mode()) {
                    case STATIC -> config.startChildren() + " children";
                    case DYNAMIC -> "start " + config.startChildren() + ", spare " + config.minSpare() + "-"
                            + config.maxSpare() + ", max " + config.maxChildren();
                    case ONDEMAND -> "none until a connection waits, max " + config.maxChildren() + ", idle "
                            + config.idleTimeout().toMillis() + " ms";
                });
        for (int i = 0; i < config.startChildren(); i++) {
            spawn(freeSlot());
        }
        if (config.startChildren() == 0) {
            startupReported = true; // ondemand: serving as soon as the socket is bound
            startup.serving(posix.libc().getpid());
        }
        writeStatus(); // status works from the start, not from the first tick
        long nextTick = now() + TICK_MILLIS;
        while (!(stopping && children.isEmpty())) {
            Event event = events.poll(Math.min(LOOP_MILLIS, Math.max(0, nextTick - now())), TimeUnit.MILLISECONDS);
            if (event != null) {
                handle(event);
            }
            maintain();
            if (now() >= nextTick) {
                tick();
                nextTick = now() + TICK_MILLIS;
            }
        }
        deleteStatus();
        LOG.info("stopped{}", cut > 0 ? "; " + cut + " child(ren) were killed (at --stop-timeout, or at once) "
                + "rather than left to finish" : "; no request was cut");
        return exitCode;
    }

    private void handle(Event event) {
        if (event instanceof Event.Exited exited) {
            exited(exited.pid(), exited.status());
        } else if (event instanceof Event.Reported reported) {
            reported(reported.pid(), reported.message());
        } else if (event instanceof Event.Signalled signalled) {
            signalled(signalled.name());
        }
    }

    private void exited(int pid, int status) {
        Child child = children.remove(pid);
        if (child == null) {
            LOG.info("reaped process {} ({}): an orphan, not one of ours (we are its reaper as PID 1)", pid,
                    Event.describe(status));
            return;
        }
        servedByGone += child.served;
        child.closeControl();
        for (Child other : children.values()) {
            if (other.replacementPid == pid) {
                other.replacementPid = 0;
            }
        }
        if (child.isStopping()) {
            LOG.info("child {} stopped ({}) after {} request(s): {}", pid, child.stopReason, child.served,
                    Event.describe(status));
            return;
        }
        long lived = now() - child.startedAtMillis;
        if (status == 0 && (child.ready || lived >= CLEAN_EXIT_MILLIS) && !stopping) {
            // A child that ends itself cleanly has reached its own limit (php-cgi's PHP_FCGI_MAX_REQUESTS, 500 by
            // default, may come before the 1 s that makes a foreign child ready): a recycle, not a crash, so it is
            // replaced at once and never backs off. Instant clean exits still back off, as failures.
            LOG.info("child {} exited with status 0 after {} ms (its own request limit?); replacing it", pid, lived);
            return;
        }
        String last = child.lastOutputLine(OUTPUT_DRAIN_MILLIS);
        LOG.warn("child {} exited unexpectedly with {} after {} ms{}", pid, Event.describe(status), lived,
                last == null ? "" : "; its last output: " + last);
        if (stopping) {
            return;
        }
        slotBackoff(child.slot).died(now(), lived);
        poolBackoff.died(now(), lived);
        if (!child.ready && ++bootFailures >= config.maxBootFailures()) {
            int code = Event.exitCode(status);
            fail(bootFailures + " children exited before serving; the last one with " + Event.describe(status)
                    + (last == null ? " and no output" : ", its last output: " + last)
                    + ". Check the program and its arguments, then start again", code == 0 ? 1 : code);
        }
    }

    private void reported(int pid, StatusMessage message) {
        Child child = children.get(pid);
        if (child == null) {
            return;
        }
        child.reported = true;
        if (message instanceof StatusMessage.Ready) {
            ready(child);
        } else if (message instanceof StatusMessage.Active active) {
            ready(child);
            child.active = active.inFlight();
            child.served = active.served();
            child.oldestRequestMillis = active.oldestMillis();
            child.reportedAtMillis = now();
            if (!child.isStopping()) {
                ChildState state = child.active > 0 ? ChildState.BUSY : ChildState.IDLE;
                if (state == ChildState.IDLE && child.state != ChildState.IDLE) {
                    child.idleSinceMillis = now();
                }
                child.state = state;
            }
            if (child.requestLimit > 0 && child.served >= child.requestLimit && !child.replace) {
                mark(child, "served " + child.served + " requests (--max-requests)");
            }
        } else {
            LOG.debug("child {} sent a status line it does not understand: {}", pid, message); // newer: ignore
        }
    }

    private void ready(Child child) {
        if (child.ready) {
            return;
        }
        child.ready = true;
        if (child.state == ChildState.STARTING) {
            child.state = ChildState.IDLE;
            child.idleSinceMillis = now();
        }
        bootFailures = 0;
        LOG.info("child {} is ready after {} ms", child.pid, now() - child.startedAtMillis);
        writeStatus();
        for (Child old : List.copyOf(children.values())) {
            if (old.replace && old.replacementPid == child.pid) {
                retire(old, old.stopReason + "; replaced by child " + child.pid);
            }
        }
        long readyCount = children.values().stream().filter(c -> c.ready).count();
        if (!startupReported && readyCount >= Math.min(config.startChildren(), target)) {
            startupReported = true;
            startup.serving(posix.libc().getpid());
        }
    }

    private void signalled(String name) {
        switch (name) {
            case "TERM", "INT" -> {
                if (stopping) {
                    LOG.warn("SIG{} again: stopping at once", name);
                    children.values().forEach(this::kill);
                } else {
                    stop("SIG" + name);
                }
            }
            case "QUIT" -> {
                LOG.warn("SIGQUIT: stopping at once; {} child(ren) killed with whatever they had in flight",
                        children.size());
                stopping = true;
                children.values().forEach(this::kill);
            }
            case "HUP" -> {
                if (!stopping) {
                    generation++;
                    LOG.info("SIGHUP: rolling reload of {} child(ren), one at a time; each is retired once its "
                            + "replacement is ready", children.size());
                }
            }
            case "USR1" -> {
                reopenLogs.run();
                LOG.info("SIGUSR1: reopened the log"); // the first line of the new file
            }
            case "TTIN" -> {
                target++;
                LOG.info("SIGTTIN: {} now {}", config.mode() == PoolMode.STATIC ? "children" : "max children",
                        target);
            }
            case "TTOU" -> {
                target = Math.max(Math.max(1, config.mode() == PoolMode.DYNAMIC ? config.maxSpare() : 1),
                        target - 1);
                LOG.info("SIGTTOU: {} now {}", config.mode() == PoolMode.STATIC ? "children" : "max children",
                        target);
            }
            default -> LOG.debug("SIG{} ignored", name);
        }
    }

    /** Runs after every event and at least every 100 ms: deadlines, replacements and the static pool's size. */
    private void maintain() {
        long now = now();
        for (Child child : children.values()) {
            if (child.isStopping() && !child.killed && now >= child.stopDeadlineMillis) {
                LOG.warn("child {} did not finish within --stop-timeout {}; killing it{}", child.pid,
                        config.stopTimeout(), child.reported ? " with " + child.active + " request(s) in flight"
                                : "");
                kill(child);
            }
        }
        if (stopping) {
            return;
        }
        for (Child child : List.copyOf(children.values())) {
            if (!child.ready && !child.reported && !child.isStopping()) {
                long lived = now - child.startedAtMillis;
                if (!config.reporting() && (lived >= FOREIGN_READY_MILLIS
                        || foreignState.of(child.pid) == ChildState.IDLE)) {
                    ready(child); // waiting in accept on the socket: booted, whatever it is
                } else if (config.reporting() && lived >= SILENT_JAR_READY_MILLIS) {
                    if (!silentJarWarned) {
                        silentJarWarned = true;
                        LOG.warn("child {} has not reported on its status channel after {} s; counting it as "
                                + "ready (is the app built on jfcgi?)", child.pid, SILENT_JAR_READY_MILLIS / 1000);
                    }
                    ready(child);
                }
            }
        }
        if (!config.requestTimeout().isZero()) {
            for (Child child : children.values()) {
                checkRequestTimeout(child, now);
            }
        }
        for (Child child : List.copyOf(children.values())) {
            if (child.replace && !child.isStopping() && child.replacementPid == 0 && canSpawn(child.slot)) {
                Child replacement = spawn(child.slot);
                if (replacement != null) {
                    child.replacementPid = replacement.pid;
                }
            }
        }
        boolean replacing = children.values().stream().anyMatch(c -> c.replace && !c.isStopping());
        if (!replacing) {
            children.values().stream()
                    .filter(c -> c.generation < generation && !c.isStopping() && !c.replace)
                    .min(Comparator.comparingLong(c -> c.startedAtMillis))
                    .ifPresent(c -> mark(c, "reload"));
        }
        if (config.mode() == PoolMode.ONDEMAND) {
            spawnOnDemand();
        }
        if (config.mode() == PoolMode.STATIC) {
            long live = poolSize();
            while (live < target && spawnOne()) {
                live++;
            }
            if (live > target) {
                serving().filter(Child::isIdle).min(Comparator.comparingLong(c -> c.idleSinceMillis))
                        .or(() -> serving().max(Comparator.comparingLong(c -> c.startedAtMillis)))
                        .ifPresent(c -> retire(c, "SIGTTOU"));
            }
        }
    }

    /**
     * --request-timeout, like php-fpm's request_terminate_timeout with its slowlog: a child whose oldest request has
     * run too long is asked for a thread dump (SIGQUIT; the JVM prints it to the log pipe and carries on) and
     * replaced. It stops accepting once its replacement is ready, its other requests finish, and the stuck one
     * is cut at --stop-timeout at the latest.
     */
    private void checkRequestTimeout(Child child, long now) {
        if (child.timedOut || child.isStopping() || child.oldestRequestMillis == 0) {
            return;
        }
        // No report while a child is frozen (a deadlock, a GC storm): its last report ages with the clock.
        long age = child.oldestRequestMillis + (now - child.reportedAtMillis);
        if (age <= config.requestTimeout().toMillis()) {
            return;
        }
        child.timedOut = true;
        slowRequests++;
        LOG.warn("child {} has had a request in flight for {} ms, over --request-timeout {}; a thread dump "
                + "follows, and the child is replaced", child.pid, age, config.requestTimeout());
        posix.libc().kill(child.pid, Posix.SIGQUIT);
        if (!child.replace) {
            mark(child, "a request ran over --request-timeout");
        }
    }

    /** Once a second: the dynamic pool's decision, memory limits, and the status file. */
    private void tick() {
        long now = now();
        int queue = listenQueue.length();
        if (!config.reporting()) {
            inferForeignStates(now);
        }
        if (!stopping && config.mode() == PoolMode.DYNAMIC) {
            // Connections waiting that no child has taken: whatever the children say, none is free.
            int idle = queue > 0 ? 0 : (int) serving().filter(Child::isIdle).count();
            int starting = (int) serving().filter(c -> c.state == ChildState.STARTING).count();
            int running = (int) poolSize();
            DynamicPoolPolicy.Decision decision = policy.tick(idle, starting, running, target);
            if (decision.maxChildrenReached()) {
                maxChildrenReached++;
                LOG.warn("the pool reached --max-children ({}); consider raising it", target);
            }
            for (int i = 0; i < decision.spawn(); i++) {
                if (!spawnOne()) {
                    break;
                }
            }
            if (decision.retireIdle()) {
                retireLongestIdle(now, "more than --max-spare idle children");
            }
        }
        if (!stopping && config.mode() == PoolMode.ONDEMAND) {
            retireLongestIdle(now, "idle for --idle-timeout");
        }
        for (Child child : children.values()) {
            child.rssKiB = rssKiB(child.pid);
            if (!stopping && config.maxMemoryMiB() > 0 && child.ready && !child.replace && !child.isStopping()
                    && child.rssKiB > config.maxMemoryMiB() * 1024) {
                mark(child, "RSS " + child.rssKiB / 1024 + " MiB is above --max-memory " + config.maxMemoryMiB()
                        + " MiB");
            }
        }
        maxActive = Math.max(maxActive, (int) children.values().stream().filter(c -> c.state == ChildState.BUSY)
                .count());
        writeStatus(queue);
    }

    /** Starts one child in the first free slot, unless backoff holds it back; true if one started. */
    private boolean spawnOne() {
        int slot = freeSlot();
        return canSpawn(slot) && spawn(slot) != null;
    }

    /**
     * Retires the child idle longest, once it has been idle for --idle-timeout. A foreign child is looked at once
     * more, just before: php-cgi dies on SIGTERM even mid-request, so it must still be waiting in accept.
     */
    private void retireLongestIdle(long now, String reason) {
        serving().filter(Child::isIdle).min(Comparator.comparingLong(c -> c.idleSinceMillis))
                .filter(c -> now - c.idleSinceMillis >= config.idleTimeout().toMillis())
                .filter(c -> config.reporting() || foreignState.of(c.pid) == ChildState.IDLE)
                .ifPresent(c -> retire(c, reason));
    }

    /**
     * PHP-FPM's pm = ondemand, from the listen queue rather than an event per connection: while connections wait
     * that no child has taken, start one more, one at a time (the next once this one is up), up to the maximum.
     */
    private void spawnOnDemand() {
        boolean starting = children.values().stream().anyMatch(c -> c.state == ChildState.STARTING);
        if (starting) {
            return;
        }
        int queue = listenQueue.length();
        boolean full = poolSize() >= target;
        if (queue > 0 && full && !onDemandAtMax) {
            maxChildrenReached++;
            LOG.warn("the pool reached --max-children ({}) with {} connection(s) waiting; consider raising it",
                    target, queue);
        }
        onDemandAtMax = queue > 0 && full;
        if (!full && queue > 0) {
            spawnOne();
        }
    }

    /** Children without a status channel: idle or busy as /proc shows them, once they count as ready. */
    private void inferForeignStates(long now) {
        for (Child child : children.values()) {
            if (!child.ready || child.isStopping()) {
                continue;
            }
            ChildState state = foreignState.of(child.pid);
            if (state == null) {
                continue;
            }
            if (state == ChildState.IDLE && child.state != ChildState.IDLE) {
                child.idleSinceMillis = now;
            }
            child.state = state;
        }
    }

    private java.util.stream.Stream<Child> serving() {
        return children.values().stream().filter(c -> !c.isStopping() && !c.replace);
    }

    /**
     * The children that count towards the pool's size: the serving ones, and those being replaced whose
     * replacement has not started yet (once it has, the replacement counts in their place).
     */
    private long poolSize() {
        return serving().count()
                + children.values().stream().filter(c -> c.replace && !c.isStopping() && c.replacementPid == 0).count();
    }

    private void mark(Child child, String reason) {
        child.replace = true;
        child.stopReason = reason;
        LOG.info("replacing child {}: {}", child.pid, reason);
    }

    private void retire(Child child, String reason) {
        if (child.isStopping()) {
            return;
        }
        child.state = ChildState.STOPPING;
        child.stopReason = reason;
        child.stopDeadlineMillis = now() + config.stopTimeout().toMillis();
        // SIGTERM, not EOF on the control channel: foreign programs have no channel, and EOF means "launcher gone".
        posix.libc().kill(child.pid, Posix.SIGTERM);
    }

    private void kill(Child child) {
        if (child.killed) {
            return;
        }
        child.killed = true;
        if (!child.isStopping()) {
            child.state = ChildState.STOPPING;
            child.stopReason = "killed";
        }
        cut++;
        posix.libc().kill(child.pid, Posix.SIGKILL);
    }

    private void stop(String cause) {
        stopping = true;
        LOG.info("{}: stopping {} child(ren); in-flight requests have --stop-timeout {} to finish", cause,
                children.size(), config.stopTimeout());
        for (Child child : List.copyOf(children.values())) {
            retire(child, cause);
        }
    }

    private void fail(String message, int code) {
        LOG.error("giving up: {}", message);
        exitCode = code;
        if (!startupReported) {
            startupReported = true;
            startup.failed(message, code);
        }
        stop("giving up");
    }

    private Child spawn(int slot) {
        long limit = config.maxRequests() == 0 ? 0
                : config.maxRequests() + (config.maxRequestsJitter() > 0 ? random.nextInt(config.maxRequestsJitter()
                        + 1) : 0);
        try {
            Child child = starter.start(slot, generation, limit, now());
            children.put(child.pid, child);
            LOG.info("child {} started", child.pid);
            return child;
        } catch (IOException e) {
            LOG.error("cannot start a child: {}", e.getMessage());
            poolBackoff.died(now(), 0);
            return null;
        }
    }

    private boolean canSpawn(int slot) {
        long now = now();
        return !stopping && poolBackoff.allows(now) && slotBackoff(slot).allows(now);
    }

    private Backoff slotBackoff(int slot) {
        return slotBackoff.computeIfAbsent(slot, s -> new Backoff());
    }

    private int freeSlot() {
        for (int slot = 0;; slot++) {
            final int s = slot;
            if (serving().noneMatch(c -> c.slot == s)) {
                return slot;
            }
        }
    }

    private static long rssKiB(int pid) {
        try {
            String[] fields = Files.readString(Path.of("/proc/" + pid + "/statm")).trim().split("\\s+");
            return Long.parseLong(fields[1]) * 4;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void writeStatus() {
        if (config.statusFile() != null) {
            writeStatus(listenQueue.length());
        }
    }

    /** Rewrites the status file; {@code queue} is the listen queue as this tick measured it. */
    private void writeStatus(int queue) {
        if (config.statusFile() == null) {
            return;
        }
        long now = System.currentTimeMillis();
        maxListenQueue = Math.max(maxListenQueue, queue);
        long idle = children.values().stream().filter(Child::isIdle).count();
        long active = children.values().stream().filter(c -> c.state == ChildState.BUSY).count();
        List<Map.Entry<String, Object>> pool = List.of(
                Map.entry("pool", config.name()),
                Map.entry("process manager", config.mode().name().toLowerCase(Locale.ROOT)),
                Map.entry("start time", STATUS_TIME.format(ZonedDateTime.now().minusNanos(
                        (now - startedAtMillis) * 1_000_000))),
                Map.entry("start since", (now - startedAtMillis) / 1000),
                Map.entry("accepted conn", servedByGone + children.values().stream().mapToLong(c -> c.served).sum()),
                Map.entry("listen queue", Math.max(queue, 0)),
                Map.entry("max listen queue", Math.max(maxListenQueue, 0)),
                Map.entry("listen queue len", config.backlog()),
                Map.entry("idle processes", idle),
                Map.entry("active processes", active),
                Map.entry("total processes", children.size()),
                Map.entry("max active processes", maxActive),
                Map.entry("max children reached", maxChildrenReached),
                Map.entry("slow requests", slowRequests),
                Map.entry("listen", config.listen()),
                Map.entry("max children", target),
                Map.entry("boot failures", bootFailures));
        List<List<Map.Entry<String, Object>>> processes = new ArrayList<>();
        for (Child child : children.values()) {
            processes.add(List.of(
                    Map.entry("pid", child.pid),
                    Map.entry("state", child.state.label()),
                    Map.entry("start since", (now() - child.startedAtMillis) / 1000),
                    Map.entry("requests", child.served),
                    Map.entry("active requests", child.active),
                    Map.entry("rss kib", child.rssKiB)));
        }
        Path file = config.statusFile();
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, StatusFormat.text(pool, processes), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("cannot write the status file {}: {}", file, e.getMessage());
        }
    }

    private void deleteStatus() {
        if (config.statusFile() != null) {
            try {
                Files.deleteIfExists(config.statusFile());
            } catch (IOException e) {
                // Left behind; status checks the pidfile's lock before trusting it.
            }
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
