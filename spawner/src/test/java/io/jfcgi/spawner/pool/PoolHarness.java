package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;
import io.jfcgi.spawner.PoolMode;
import io.jfcgi.spawner.os.Posix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link Supervisor} without processes, as gunicorn's test_arbiter.py drives its arbiter: a fake spawner, kill(2)
 * recorded, the listen queue and /proc as the test sets them, and time that moves only when the test says.
 */
final class PoolHarness {

    static final int EXIT_0 = 0;

    /** The launch options the pool sees; each test changes what it is about. */
    static final class Options {
        PoolMode mode = PoolMode.STATIC;
        int startChildren = 2;
        int maxChildren = 8;
        int minSpare = 1;
        int maxSpare = 3;
        int maxRequests;
        Duration idleTimeout = Duration.ofSeconds(10);
        Duration stopTimeout = Duration.ofSeconds(30);
        Duration requestTimeout = Duration.ZERO;
        Duration heartbeatTimeout = Duration.ofSeconds(30);
        long maxMemoryMiB;
        int maxBootFailures = 5;
        boolean reporting = true;
        boolean slowlogInChildren;
        Path statusFile;

        PoolConfig config() {
            return new PoolConfig("app.jar", mode, startChildren, maxChildren, minSpare, maxSpare, maxRequests, 0,
                    idleTimeout, stopTimeout, requestTimeout, heartbeatTimeout, maxMemoryMiB, maxBootFailures, reporting,
                    "127.0.0.1:9000", 9000, 1024, statusFile, "this host only (loopback)", slowlogInChildren);
        }
    }

    record Signal(int pid, int signal) {
    }

    final List<Child> spawned = new ArrayList<>();
    final List<Signal> signals = new ArrayList<>();
    final Map<Integer, Long> rssKiB = new HashMap<>();
    final Map<Integer, Child.Load> foreignLoad = new HashMap<>();
    int listenQueue;
    boolean spawnFails;
    int servingReports;
    String failure;
    int failureCode;
    /** What a service manager was told after the start: "reloading", "reloaded", "stopping CAUSE", "load I A Q". */
    final List<String> told = new ArrayList<>();
    long now = 1_000_000;
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final Supervisor supervisor;
    private int nextPid = 100;

    PoolHarness(Options options) {
        this(options, true);
    }

    /** With {@code start} false, nothing has happened yet: for a test of {@link Supervisor#run()}. */
    PoolHarness(Options options, boolean start) {
        ChildSpawner spawner = (slot, generation, requestLimit, nowMillis) -> {
            if (spawnFails) {
                throw new IOException("posix_spawnp: Resource temporarily unavailable");
            }
            Child child = new Child(nextPid++, slot, generation, nowMillis, requestLimit,
                    OutputStream.nullOutputStream());
            child.outputClosed.countDown(); // its output has ended: no wait for a last line
            spawned.add(child);
            return child;
        };
        ProcReader proc = new ProcReader() {
            @Override
            public long rssKiB(int pid) {
                return rssKiB.getOrDefault(pid, 0L);
            }

            @Override
            public Child.Load foreignLoad(int pid) {
                return foreignLoad.get(pid);
            }
        };
        StartupListener startup = new StartupListener() {
            @Override
            public void serving(int launcherPid) {
                servingReports++;
            }

            @Override
            public void failed(String message, int exitCode) {
                failure = message;
                failureCode = exitCode;
            }

            @Override
            public void reloading() {
                told.add("reloading");
            }

            @Override
            public void reloaded() {
                told.add("reloaded");
            }

            @Override
            public void stopping(String cause) {
                told.add("stopping " + cause);
            }

            @Override
            public void load(int idle, int active, int queue) {
                told.add("load " + idle + " " + active + " " + queue);
            }
        };
        Surroundings around = new Surroundings(events, () -> now, spawner,
                (pid, signal) -> signals.add(new Signal(pid, signal)), () -> listenQueue, proc, 1, () -> {
                });
        supervisor = new Supervisor(options.config(), around, startup, () -> {
        });
        if (start) {
            supervisor.start(now);
        }
    }

    // Events, each followed by the supervisor's maintenance (and its tick when one is due).

    void ready(Child child) {
        step(new Event.Reported(child.pid, new StatusMessage.Ready()));
    }

    void readyAll() {
        List.copyOf(spawned).forEach(this::ready);
    }

    void active(Child child, int inFlight, long served, long oldestMillis) {
        step(new Event.Reported(child.pid, new StatusMessage.Active(inFlight, served, oldestMillis)));
    }

    void counts(Child child, long slow, long shed, long logFailures, long budgetRefusals, long overloadRefusals) {
        step(new Event.Reported(child.pid,
                new StatusMessage.Counts(slow, shed, logFailures, budgetRefusals, overloadRefusals)));
    }

    /** A line as the child wrote it on its status channel, read as the launcher reads it. */
    void line(Child child, String line) {
        step(new Event.Reported(child.pid, StatusMessage.parse(line)));
    }

    void request(Child child, String method, String uri) {
        step(new Event.Reported(child.pid, StatusMessage.Request.of(method, uri)));
    }

    void alive(Child child) {
        step(new Event.Reported(child.pid, new StatusMessage.Alive()));
    }

    void exits(Child child, int waitStatus) {
        step(new Event.Exited(child.pid, waitStatus));
    }

    /** Every child told to stop exits, as it would after SIGTERM or SIGKILL. */
    void stoppedOnesExit() {
        for (Child child : List.copyOf(spawned)) {
            if (child.isStopping()) {
                exits(child, Posix.SIGTERM);
            }
        }
    }

    void signal(String name) {
        step(new Event.Signalled(name));
    }

    /** Time passes by {@code millis} with no event. */
    void later(long millis) {
        now += millis;
        step(null);
    }

    /** Time passes in 100 ms turns, as the run loop's, until {@code millis} have gone. */
    void turns(long millis) {
        for (long gone = 0; gone < millis; gone += 100) {
            later(100);
        }
    }

    private void step(Event event) {
        supervisor.step(event, now);
    }

    // What happened.

    Child child(int index) {
        return spawned.get(index);
    }

    boolean got(Child child, int signal) {
        return signals.contains(new Signal(child.pid, signal));
    }

    static int exitStatus(int code) {
        return code << 8;
    }
}
