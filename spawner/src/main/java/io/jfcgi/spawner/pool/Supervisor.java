package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.status.StatusSnapshot;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps the pool: starts children, replaces the ones that die (with backoff, giving up after repeated boot
 * failures), recycles, reloads and stops; {@link PoolSizing} decides how many, {@link Replacements} replaces
 * children one at a time. Single-threaded: every decision is taken on the thread that calls {@link #run()}, from
 * {@link Event}s that the reaper, the children's status readers and the signal handlers post; no locks, and the
 * order of events is the order of decisions. {@link #step} is one turn of that loop at a given time, which is how
 * SupervisorTest drives it without processes.
 */
public final class Supervisor {

    private static final Logger LOG = LogManager.getLogger(Supervisor.class);
    private static final long TICK_MILLIS = 1000;
    private static final long LOOP_MILLIS = 100;
    /** How long an unexpected exit waits for the child's last output line, which names what went wrong. */
    private static final long OUTPUT_DRAIN_MILLIS = 500;
    /**
     * How long a frozen child has, after SIGQUIT, before SIGKILL: a JVM that can still run writes its thread dump
     * in far less; a stopped one (SIGSTOP) cannot act on SIGQUIT at all.
     */
    static final long FROZEN_KILL_GRACE_MILLIS = 2000;
    /** A gap this long between two of our own turns (which come every 100 ms) means that we were paused ourselves. */
    private static final long OWN_PAUSE_MILLIS = 1000;

    private final PoolConfig config;
    private final Surroundings around;
    private final StartupListener startup;
    private final Runnable reopenLogs;
    private final Children children = new Children();
    private final Spawning spawning;
    private final SilentBoot silentBoot;
    private final StatusFile status;
    private final PoolSizing sizing;
    private final Replacements replacements;
    /** The pool as last taken, for the status listener's thread: published here, never read under our loop. */
    private final AtomicReference<StatusSnapshot> snapshot = new AtomicReference<>();

    private boolean stopping;
    /** A successor launcher took over: the status file is its own now, so we neither write nor delete it. */
    private boolean handedOver;
    private int exitCode;
    private int bootFailures;
    private boolean startupReported;
    /** Between a SIGHUP and the replacement of every child it concerns. */
    private boolean reloading;
    private int cut;
    private long nextTickMillis;
    private long lastTurnMillis;
    /** Since when we have been running without a pause of our own: no child's silence is counted from before. */
    private long awakeSinceMillis;

    public Supervisor(Posix posix, PoolConfig config, int listenFd, List<String> argv,
            Map<String, String> environment, StartupListener startup, Runnable reopenLogs) {
        this(config, Surroundings.of(posix, config, listenFd, argv, environment), startup, reopenLogs);
    }

    Supervisor(PoolConfig config, Surroundings around, StartupListener startup, Runnable reopenLogs) {
        this.config = config;
        this.around = around;
        this.startup = startup;
        this.reopenLogs = reopenLogs;
        this.spawning = new Spawning(config, around.spawner());
        this.silentBoot = new SilentBoot(config.reporting(), around.proc());
        this.status = new StatusFile(config, around.clock().getAsLong());
        this.replacements = new Replacements(children,
                (slot, now) -> canSpawn(slot, now) ? spawn(slot, now) : null, this::retire);
        this.sizing = new PoolSizing(config, children, status, around.proc(), around.listenQueue(), this::spawnOne,
                this::retire);
    }

    /** The pool's status as the supervisor last took it (at start, every tick, when a child is ready). Any thread. */
    public Supplier<StatusSnapshot> snapshots() {
        return snapshot::get;
    }

    /** Delivers a signal (by name without SIG) to the supervisor's thread. Safe from any thread. */
    public void signal(String name) {
        around.events().add(new Event.Signalled(name));
    }

    /**
     * A successor launcher serves on our socket now (SIGUSR2): every child retires as at SIGTERM, with
     * --stop-timeout for its requests, and {@link #run()} returns once they have gone. Safe from any thread.
     */
    public void handOver(String cause) {
        around.events().add(new Event.HandedOver(cause));
    }

    /** Runs the pool until it has stopped; returns the launcher's exit code. */
    public int run() throws InterruptedException {
        Thread reaper = new Thread(around.reaper(), "reaper");
        reaper.setDaemon(true);
        reaper.start();
        start(now());
        while (!isFinished()) {
            long wait = Math.min(LOOP_MILLIS, Math.max(0, nextTickMillis - now()));
            step(around.events().poll(wait, TimeUnit.MILLISECONDS), now());
        }
        if (!handedOver) {
            status.delete();
        }
        LOG.info("stopped{}", cut > 0 ? "; " + cut + " child(ren) were killed (at --stop-timeout, or at once) "
                + "rather than left to finish" : "; no request was cut");
        return exitCode;
    }

    /** Starts the first children. */
    void start(long now) {
        LOG.info("serving {}, pm {}: {}", config.listen(), config.mode().name().toLowerCase(Locale.ROOT),
                sizing.describe());
        for (int i = 0; i < config.startChildren(); i++) {
            spawn(children.freeSlot(), now);
        }
        if (config.startChildren() == 0) {
            startupReported = true; // ondemand: serving as soon as the socket is bound
            startup.serving(around.launcherPid());
        }
        writeStatus(now); // status works from the start, not from the first tick
        nextTickMillis = now + TICK_MILLIS;
        lastTurnMillis = now;
        awakeSinceMillis = now;
    }

    /** One turn of the loop: the event (null for none), then deadlines and sizing, then the tick when it is due. */
    void step(Event event, long now) {
        // Paused with our children (a frozen container, swapping), we would find them all silent on waking, before
        // our readers have passed on what they said meanwhile: silence counts only from our own waking.
        if (now - lastTurnMillis >= OWN_PAUSE_MILLIS) {
            awakeSinceMillis = now;
        }
        lastTurnMillis = now;
        if (event instanceof Event.Exited exited) {
            exited(exited.pid(), exited.status(), now);
        } else if (event instanceof Event.Reported reported) {
            reported(reported.pid(), reported.message(), now);
        } else if (event instanceof Event.Signalled signalled) {
            signalled(signalled.name(), now);
        } else if (event instanceof Event.HandedOver handOver) {
            handedOver = true;
            if (!stopping) {
                stop(handOver.cause(), now);
            }
        }
        maintain(now);
        if (now >= nextTickMillis) {
            tick(now);
            nextTickMillis = now + TICK_MILLIS;
        }
    }

    boolean isFinished() {
        return stopping && children.isEmpty();
    }

    int exitCode() {
        return exitCode;
    }

    private void exited(int pid, int waitStatus, long now) {
        Child child = children.remove(pid);
        if (child == null) {
            LOG.info("reaped process {} ({}): an orphan, not one of ours (we are its reaper as PID 1)", pid,
                    Event.describe(waitStatus));
            return;
        }
        status.childGone(child);
        child.closeControl();
        children.forEach(other -> other.replacementGone(pid));
        long lived = now - child.startedAtMillis;
        ExitKind kind = ExitKind.of(child, waitStatus, lived, stopping);
        if (kind == ExitKind.STOPPED) {
            if (child.reason() != null && child.reason().startsWith("reload")) { // Replacements' reason for a HUP
                status.recycled(Recycle.RELOAD);
            }
            LOG.info("child {} stopped ({}) after {} request(s): {}", pid, child.reason(), child.served(),
                    Event.describe(waitStatus));
            return;
        }
        if (kind == ExitKind.RECYCLED) {
            status.recycled(Recycle.EXITED);
            LOG.info("child {} exited with status 0 after {} ms (its own request limit?); replacing it", pid, lived);
            return;
        }
        String last = child.lastOutputLine(OUTPUT_DRAIN_MILLIS);
        LOG.warn("child {} exited unexpectedly with {} after {} ms{}", pid, Event.describe(waitStatus), lived,
                last == null ? "" : "; its last output: " + last);
        if (stopping) {
            return;
        }
        if (kind == ExitKind.CRASHED) {
            status.recycled(Recycle.CRASHED);
        }
        spawning.died(child, now, lived);
        if (kind == ExitKind.BOOT_FAILURE && ++bootFailures >= config.maxBootFailures()) {
            int code = Event.exitCode(waitStatus);
            fail(bootFailures + " children exited before serving; the last one with " + Event.describe(waitStatus)
                    + (last == null ? " and no output" : ", its last output: " + last)
                    + ". Check the program and its arguments, then start again", code == 0 ? 1 : code, now);
        }
    }

    private void reported(int pid, StatusMessage message, long now) {
        Child child = children.get(pid);
        if (child == null) {
            return;
        }
        child.heard(now);
        if (message instanceof StatusMessage.Alive) {
            child.alive();
        } else if (message instanceof StatusMessage.Ready) {
            ready(child, now);
        } else if (message instanceof StatusMessage.Active active) {
            ready(child, now);
            child.report(active.inFlight(), active.served(), active.oldestMillis(), now);
            if (child.requestLimit > 0 && child.served() >= child.requestLimit) {
                recycle(child, Recycle.MAX_REQUESTS, "served " + child.served() + " requests (--max-requests)");
            }
        } else if (message instanceof StatusMessage.Counts counts) {
            status.counted(pid, counts);
        } else if (message instanceof StatusMessage.Request request) {
            child.lastRequest(request.method(), request.uri());
        } else {
            LOG.debug("child {} sent a status line it does not understand: {}", pid, message); // newer: ignore
        }
    }

    private void ready(Child child, long now) {
        if (!child.boot(now)) {
            return;
        }
        bootFailures = 0;
        writeStatus(now);
        replacements.booted(child, now);
        long booted = children.stream().filter(Child::isBooted).count();
        if (!startupReported && booted >= Math.min(config.startChildren(), sizing.target())) {
            startupReported = true;
            startup.serving(around.launcherPid());
        }
        // Said once the pool's state says it too: an operator (or a test) who acts on this line, e.g. with a
        // SIGUSR2, finds the pool serving, not booting.
        LOG.info("child {} is ready after {} ms", child.pid, now - child.startedAtMillis);
    }

    private void signalled(String name, long now) {
        switch (name) {
            case "TERM", "INT" -> {
                if (stopping) {
                    LOG.warn("SIG{} again: stopping at once", name);
                    children.forEach(this::kill);
                } else {
                    stop("SIG" + name, now);
                }
            }
            case "QUIT" -> {
                LOG.warn("SIGQUIT: stopping at once; {} child(ren) killed with whatever they had in flight",
                        children.size());
                stopping = true;
                startup.stopping("SIGQUIT");
                children.forEach(this::kill);
            }
            case "HUP" -> {
                if (!stopping) {
                    replacements.reload();
                    reloading = true;
                    startup.reloading();
                    LOG.info("SIGHUP: rolling reload of {} child(ren), one at a time; each is retired once its "
                            + "replacement is ready", children.size());
                }
            }
            case "USR1" -> {
                reopenLogs.run();
                LOG.info("SIGUSR1: reopened the log"); // the first line of the new file
            }
            case "TTIN" -> sizing.grow();
            case "TTOU" -> sizing.shrink();
            default -> LOG.debug("SIG{} ignored", name);
        }
    }

    /** Runs after every event and at least every 100 ms: deadlines, boots, replacements and the pool's size. */
    private void maintain(long now) {
        for (Child child : children) {
            if (!child.isOverdue(now)) {
                continue;
            }
            if (child.lifecycle() == Child.Lifecycle.FROZEN) {
                LOG.warn("child {} is still silent {} ms after SIGQUIT (stopped, or too stuck to run); killing it",
                        child.pid, FROZEN_KILL_GRACE_MILLIS);
                if (child.kill()) { // not counted as cut: its requests were lost when it froze
                    around.signaller().kill(child.pid, Posix.SIGKILL);
                }
            } else {
                LOG.warn("child {} did not finish within --stop-timeout {}; killing it{}", child.pid,
                        config.stopTimeout(), child.hasBeenHeard() ? " with " + child.inFlight()
                                + " request(s) in flight" : "");
                kill(child);
            }
        }
        if (stopping) {
            return;
        }
        for (Child child : children.snapshot()) {
            if (!child.isBooted() && !child.hasBeenHeard() && !child.isStopping() && silentBoot.booted(child, now)) {
                ready(child, now);
            }
        }
        if (!config.heartbeatTimeout().isZero()) {
            children.forEach(child -> checkHeartbeat(child, now));
        }
        if (!config.requestTimeout().isZero()) {
            children.forEach(child -> checkRequestTimeout(child, now));
        }
        replacements.maintain(now);
        if (reloading && replacements.reloadDone()) {
            reloading = false;
            LOG.info("reload done: every child is of the new generation");
            startup.reloaded();
        }
        sizing.maintain(now);
    }

    /**
     * --request-timeout, like php-fpm's request_terminate_timeout with its slowlog: a child whose oldest request has
     * run too long is asked for a thread dump (SIGQUIT; the JVM prints it to the log pipe and carries on) and
     * replaced. It stops accepting once its replacement is ready, its other requests finish, and the stuck one
     * is cut at --stop-timeout at the latest.
     */
    private void checkRequestTimeout(Child child, long now) {
        if (!child.requestTimedOut(now, config.requestTimeout().toMillis())) {
            return;
        }
        status.slowRequest();
        LOG.warn("child {} has had a request in flight for {} ms, over --request-timeout {}; a thread dump "
                + "follows, and the child is replaced", child.pid, child.requestAgeMillis(now),
                config.requestTimeout());
        around.signaller().kill(child.pid, Posix.SIGQUIT);
        recycle(child, Recycle.REQUEST_TIMEOUT, "a request ran over --request-timeout");
    }

    /**
     * --heartbeat-timeout, like gunicorn's --timeout: a child that sends {@code alive} every second and has said
     * nothing for longer is frozen (SIGSTOP, a GC storm, swapping), and the connections nginx keeps to it hang. It
     * gets SIGQUIT (a thread dump, if it can still run), SIGKILL {@value #FROZEN_KILL_GRACE_MILLIS} ms later, and
     * its slot is free at once for a new child. Foreign children send nothing and are never judged by it.
     */
    private void checkHeartbeat(Child child, long now) {
        long silent = Math.min(child.silentMillis(now), now - awakeSinceMillis);
        if (silent <= config.heartbeatTimeout().toMillis()
                || !child.freeze("silent for " + silent + " ms, over --heartbeat-timeout "
                        + config.heartbeatTimeout(), now + FROZEN_KILL_GRACE_MILLIS)) {
            return;
        }
        status.frozenChild();
        status.recycled(Recycle.FROZEN);
        LOG.warn("child {} has sent nothing for {} ms, over --heartbeat-timeout {}: frozen{}; SIGQUIT for a thread "
                + "dump, SIGKILL in {} ms, and a new child in its place", child.pid, silent,
                config.heartbeatTimeout(), child.inFlight() > 0 ? " with " + child.inFlight()
                        + " request(s) in flight" : "", FROZEN_KILL_GRACE_MILLIS);
        around.signaller().kill(child.pid, Posix.SIGQUIT);
    }

    /** Once a second: foreign children's states, the pool's size, memory limits, and the status file. */
    private void tick(long now) {
        int queue = around.listenQueue().getAsInt();
        if (!config.reporting()) {
            for (Child child : children) {
                Child.Load load = child.isBooted() && !child.isStopping() ? around.proc().foreignLoad(child.pid)
                        : null;
                if (load != null) {
                    child.observe(load, now);
                }
            }
        }
        if (!stopping) {
            sizing.tick(now, queue);
        }
        for (Child child : children) {
            child.rssKiB = around.proc().rssKiB(child.pid);
            if (!stopping && config.maxMemoryMiB() > 0 && child.isBooted()
                    && child.rssKiB > config.maxMemoryMiB() * 1024) {
                recycle(child, Recycle.MAX_MEMORY, "RSS " + child.rssKiB / 1024 + " MiB is above --max-memory "
                        + config.maxMemoryMiB() + " MiB");
            }
        }
        status.sampleBusy(children.count(ChildState.BUSY));
        startup.load((int) children.count(ChildState.IDLE), (int) children.count(ChildState.BUSY), queue);
        publishStatus(queue, now);
    }

    /** Marks {@code child} for replacement and counts why, the first time only. */
    private void recycle(Child child, Recycle why, String reason) {
        if (child.lifecycle() == Child.Lifecycle.RUNNING) {
            status.recycled(why);
        }
        replacements.mark(child, reason);
    }

    /** Takes the pool's status: for the status listener, and to PIDFILE.status when there is one. */
    private void publishStatus(int queue, long now) {
        StatusSnapshot taken = status.snapshot(children, queue, sizing.target(), bootFailures, now);
        snapshot.set(taken);
        if (!handedOver) { // after an upgrade's hand-over, PIDFILE.status is the successor's
            status.write(taken);
        }
    }

    private void retire(Child child, String reason, long now) {
        // SIGTERM, not EOF on the control channel: foreign programs have no channel, and EOF means "launcher gone".
        if (child.retire(reason, now + config.stopTimeout().toMillis())) {
            around.signaller().kill(child.pid, Posix.SIGTERM);
        }
    }

    private void kill(Child child) {
        if (child.kill()) {
            cut++;
            around.signaller().kill(child.pid, Posix.SIGKILL);
        }
    }

    private void stop(String cause, long now) {
        stopping = true;
        startup.stopping(cause);
        LOG.info("{}: stopping {} child(ren); in-flight requests have --stop-timeout {} to finish", cause,
                children.size(), config.stopTimeout());
        for (Child child : children.snapshot()) {
            retire(child, cause, now);
        }
    }

    private void fail(String message, int code, long now) {
        LOG.error("giving up: {}", message);
        exitCode = code;
        if (!startupReported) {
            startupReported = true;
            startup.failed(message, code);
        }
        stop("giving up", now);
    }

    private Child spawn(int slot, long now) {
        Child child = spawning.start(slot, replacements.generation(), now);
        if (child != null) {
            children.add(child);
        }
        return child;
    }

    /** Starts one child in the first free slot, unless backoff holds it back; true if one started. */
    private boolean spawnOne(long now) {
        int slot = children.freeSlot();
        return canSpawn(slot, now) && spawn(slot, now) != null;
    }

    private boolean canSpawn(int slot, long now) {
        return !stopping && spawning.allows(slot, now);
    }

    private void writeStatus(long now) {
        publishStatus(around.listenQueue().getAsInt(), now);
    }

    private long now() {
        return around.clock().getAsLong();
    }
}
