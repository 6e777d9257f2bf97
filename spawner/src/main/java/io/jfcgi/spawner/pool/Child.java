package io.jfcgi.spawner.pool;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One child process as the supervisor knows it: two small state machines, owned by the supervisor's thread (every
 * method is called there, except {@link #lastOutputLine}, which the child's output reader sets).
 *
 * <p>{@link Lifecycle}, what the supervisor has decided for the child:
 * <pre>
 * from                        method                     to
 * RUNNING                     mark(reason)               MARKED     replace it: start a new one in its slot
 * MARKED                      replacementStarted(pid)    REPLACING  retired once that one is ready
 * REPLACING                   replacementGone(pid)       MARKED     the replacement died first: start another
 * RUNNING, MARKED, REPLACING  retire(reason, deadline)   STOPPING   SIGTERM sent; SIGKILL at the deadline
 * RUNNING, MARKED, REPLACING  freeze(reason, deadline)   FROZEN     silent too long: SIGQUIT sent; SIGKILL at the
 *                                                                    deadline, and another child takes its slot
 * all but KILLED              kill()                     KILLED     SIGKILL sent
 * </pre>
 * A method called in any other state changes nothing and returns false.
 *
 * <p>{@link Load}, what the child does, from its status lines (or /proc for a program without them):
 * {@code BOOTING --boot()--> IDLE <--report()/observe()--> BUSY}. The status page's {@link ChildState} is derived
 * from the two: Stopping once told to stop, else the load.
 */
final class Child {

    /** What the supervisor has decided for the child; see the class's table. */
    enum Lifecycle {
        /** Part of the pool, booting or serving. */
        RUNNING,
        /** To be replaced; no replacement started yet, so it still counts towards the pool's size. */
        MARKED,
        /** To be replaced; the replacement has started and counts in its place. */
        REPLACING,
        /** Told to stop (SIGTERM): finishing its requests. */
        STOPPING,
        /** Silent past --heartbeat-timeout: sent SIGQUIT for a thread dump, to be killed at its deadline. */
        FROZEN,
        /** Killed (SIGKILL). */
        KILLED
    }

    /** What the child is doing. */
    enum Load {
        /** Not accepting yet (a JVM warming up): not idle, so its shortfall does not set off a second spawn. */
        BOOTING,
        IDLE,
        BUSY
    }

    final int pid;
    final int slot;
    final int generation;
    final long startedAtMillis;
    /** The request count after which this child is recycled; 0 for never. */
    final long requestLimit;
    /** Our end of the control pipe: closing it is the child's EOF signal that the launcher has gone. */
    private final OutputStream control;
    /** Counted down at EOF on the child's output, after its last line has been read. */
    final CountDownLatch outputClosed = new CountDownLatch(1);
    volatile String lastOutputLine;

    private Lifecycle lifecycle = Lifecycle.RUNNING;
    /** Why it was marked or told to stop, for the log; null before. */
    private String reason;
    private int replacementPid;
    private long stopDeadlineMillis;

    private Load load = Load.BOOTING;
    /** It has written at least one line on its status channel, readable or not; when it last did. */
    private boolean heard;
    private long heardAtMillis;
    /** It has sent {@code alive} at least once, so it sends one every second: silence means frozen. */
    private boolean sendsAlive;
    private int inFlight;
    private long served;
    /** When the oldest request in flight started, by our clock: its reported age subtracted from the report's time. */
    private long oldestRequestStartedAtMillis;
    /** Already caught over --request-timeout: one thread dump and one replacement per child. */
    private boolean requestTimedOut;
    private long idleSinceMillis;
    long rssKiB;
    /** Its latest request, from {@code request} lines; "-" until one comes (older children never send it). */
    private String lastMethod = io.jfcgi.codec.supervision.StatusMessage.Request.NONE;
    private String lastUri = io.jfcgi.codec.supervision.StatusMessage.Request.NONE;

    Child(int pid, int slot, int generation, long startedAtMillis, long requestLimit, OutputStream control) {
        this.pid = pid;
        this.slot = slot;
        this.generation = generation;
        this.startedAtMillis = startedAtMillis;
        this.requestLimit = requestLimit;
        this.control = control;
        this.idleSinceMillis = startedAtMillis;
    }

    // Lifecycle transitions: supervisor thread.

    /** RUNNING → MARKED, for replacement because of {@code why}. */
    boolean mark(String why) {
        return move(lifecycle == Lifecycle.RUNNING, Lifecycle.MARKED, why);
    }

    /** MARKED → REPLACING: {@code pid} has started in this one's place. */
    boolean replacementStarted(int pid) {
        if (!move(lifecycle == Lifecycle.MARKED, Lifecycle.REPLACING, reason)) {
            return false;
        }
        replacementPid = pid;
        return true;
    }

    /** REPLACING → MARKED when {@code pid}, its replacement, has exited before taking over. */
    boolean replacementGone(int pid) {
        return pid == replacementPid && move(lifecycle == Lifecycle.REPLACING, Lifecycle.MARKED, reason);
    }

    /** → STOPPING from RUNNING, MARKED or REPLACING; to be killed if still alive at {@code deadlineMillis}. */
    boolean retire(String why, long deadlineMillis) {
        return moveWithDeadline(Lifecycle.STOPPING, why, deadlineMillis);
    }

    /** → FROZEN from RUNNING, MARKED or REPLACING; to be killed if still alive at {@code deadlineMillis}. */
    boolean freeze(String why, long deadlineMillis) {
        return moveWithDeadline(Lifecycle.FROZEN, why, deadlineMillis);
    }

    /** → KILLED from any state but KILLED; a child not told to stop before is now "killed". */
    boolean kill() {
        return move(lifecycle != Lifecycle.KILLED, Lifecycle.KILLED, isStopping() ? reason : "killed");
    }

    private boolean moveWithDeadline(Lifecycle to, String why, long deadlineMillis) {
        if (!move(!isStopping(), to, why)) {
            return false;
        }
        stopDeadlineMillis = deadlineMillis;
        return true;
    }

    private boolean move(boolean allowed, Lifecycle to, String why) {
        if (allowed) {
            lifecycle = to;
            reason = why;
        }
        return allowed;
    }

    // Load transitions: supervisor thread.

    /** Any line on the status channel, even one this version does not read. */
    void heard(long nowMillis) {
        heard = true;
        heardAtMillis = nowMillis;
    }

    /** An {@code alive} line: from now on its silence is measured (an older child never sends one). */
    void alive() {
        sendsAlive = true;
    }

    /** A {@code request} line: its latest request's method and URI, for the status page. */
    void lastRequest(String method, String uri) {
        lastMethod = method;
        lastUri = uri;
    }

    /** BOOTING → IDLE: it accepts now. False when it already did. */
    boolean boot(long nowMillis) {
        if (load != Load.BOOTING) {
            return false;
        }
        load = Load.IDLE;
        idleSinceMillis = nowMillis;
        return true;
    }

    /** An {@code active} line: its counts, and IDLE or BUSY from them. Only once booted. */
    void report(int inFlight, long served, long oldestRequestMillis, long nowMillis) {
        this.inFlight = inFlight;
        this.served = served;
        this.oldestRequestStartedAtMillis = nowMillis - oldestRequestMillis;
        observe(inFlight > 0 ? Load.BUSY : Load.IDLE, nowMillis);
    }

    /** IDLE or BUSY as seen from outside (/proc). Only once booted. */
    void observe(Load seen, long nowMillis) {
        if (seen == Load.IDLE && load != Load.IDLE) {
            idleSinceMillis = nowMillis;
        }
        load = seen;
    }

    /**
     * True once, the first time its oldest request has run longer than {@code limitMillis}, by our clock since that
     * request started (a frozen child sends nothing, so the age grows all the same, even from a report of 0 ms).
     */
    boolean requestTimedOut(long nowMillis, long limitMillis) {
        if (requestTimedOut || isStopping() || requestAgeMillis(nowMillis) <= limitMillis) {
            return false;
        }
        requestTimedOut = true;
        return true;
    }

    long requestAgeMillis(long nowMillis) {
        return inFlight == 0 ? 0 : nowMillis - oldestRequestStartedAtMillis;
    }

    /** How long since its last status line; 0 for a child that does not send {@code alive}, never judged by it. */
    long silentMillis(long nowMillis) {
        return sendsAlive ? nowMillis - heardAtMillis : 0;
    }

    // Queries.

    /** How long since its last status line; -1 for a child never heard (a program without the channel). */
    long heartbeatAgeMillis(long nowMillis) {
        return heard ? nowMillis - heardAtMillis : -1;
    }

    String lastMethod() {
        return lastMethod;
    }

    String lastUri() {
        return lastUri;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    String reason() {
        return reason;
    }

    /** True when this child is REPLACING and {@code pid} is the one taking over. */
    boolean isReplacedBy(int pid) {
        return lifecycle == Lifecycle.REPLACING && replacementPid == pid;
    }

    /** Told to stop, found frozen, or killed: leaving the pool. */
    boolean isStopping() {
        return lifecycle == Lifecycle.STOPPING || lifecycle == Lifecycle.FROZEN || lifecycle == Lifecycle.KILLED;
    }

    /** Told to stop or found frozen, not killed yet, and past its deadline. */
    boolean isOverdue(long nowMillis) {
        return (lifecycle == Lifecycle.STOPPING || lifecycle == Lifecycle.FROZEN) && nowMillis >= stopDeadlineMillis;
    }

    boolean isBooted() {
        return load != Load.BOOTING;
    }

    boolean hasBeenHeard() {
        return heard;
    }

    boolean isIdle() {
        return state() == ChildState.IDLE;
    }

    /** The status page's label. */
    ChildState state() {
        if (isStopping()) {
            return ChildState.STOPPING;
        }
        return switch (load) {
            case BOOTING -> ChildState.STARTING;
            case IDLE -> ChildState.IDLE;
            case BUSY -> ChildState.BUSY;
        };
    }

    int inFlight() {
        return inFlight;
    }

    long served() {
        return served;
    }

    long idleSinceMillis() {
        return idleSinceMillis;
    }

    /**
     * The child's last line of output. waitpid can report the exit before the reader has drained the pipe, so
     * this waits (briefly: grandchildren may hold the pipe open) for EOF first. Supervisor thread.
     */
    String lastOutputLine(long waitMillis) {
        try {
            outputClosed.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lastOutputLine;
    }

    void closeControl() {
        try {
            control.close();
        } catch (IOException e) {
            // Already gone with the child.
        }
    }

    @Override
    public String toString() {
        return "child " + pid + " (" + lifecycle + ", " + load + ")";
    }
}
