package io.jfcgi.spawner.upgrade;

import io.jfcgi.spawner.os.ListenSocket;
import io.jfcgi.spawner.os.PidFile;
import io.jfcgi.spawner.os.Pipe;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.ProcessSpawner;
import io.jfcgi.spawner.pool.StartupListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * SIGUSR2, the launcher's upgrade of itself, on the old launcher's side: starts the launcher again from the files
 * on disk ({@link SuccessorCommand}) with the listening socket on its fd 4, waits up to --upgrade-timeout for its
 * word on a pipe ("serving PID" once every starting child is ready and it holds the pidfile, or "failed CODE
 * why"), then hands over: the socket file is no longer ours to remove, the service manager hears the new main pid,
 * and our children retire as at SIGTERM. A successor that fails is stopped (SIGTERM, SIGKILL after --stop-timeout)
 * and this launcher serves on. {@link UpgradeState} says where it stands.
 */
public final class LauncherUpgrade {

    private static final Logger LOG = LogManager.getLogger(LauncherUpgrade.class);
    /** Beyond --stop-timeout, for a failed successor to stop its own children before it is killed. */
    private static final long KILL_GRACE_MILLIS = 5000;
    private static final long POLL_MILLIS = 50;

    /**
     * @param timeout how long the successor has to serve (--upgrade-timeout)
     * @param stopTimeout what a failed successor's children get to finish, as at any stop
     * @param newSession true for a daemon, whose successor is a daemon too; false for -n
     * @param refusal why this launcher cannot start a successor at all, or null
     */
    public record Settings(Duration timeout, Duration stopTimeout, boolean newSession, String refusal) {
    }

    /** A successor's taking over of the pidfile, just before it reports that it serves. */
    @FunctionalInterface
    public interface PidFileTakeover {
        void takeOver() throws IOException;
    }

    private final Posix posix;
    private final Settings settings;
    private final ListenSocket socket;
    private final Supplier<PidFile> pidFile;
    private final String readyVariable;
    private final UpgradeListener listener;
    private final UpgradeState state = new UpgradeState();
    private volatile Consumer<String> retire = cause -> {
    };
    /** The successor being started, while STARTING_NEW; -1 before and after. */
    private volatile int successor = -1;

    /**
     * @param pidFile this launcher's pidfile at the moment of asking, or null without -P
     * @param readyVariable the variable that names the fd on which a launcher reports its start
     */
    public LauncherUpgrade(Posix posix, Settings settings, ListenSocket socket, Supplier<PidFile> pidFile,
            String readyVariable, UpgradeListener listener) {
        this.posix = posix;
        this.settings = settings;
        this.socket = socket;
        this.pidFile = pidFile;
        this.readyVariable = readyVariable;
        this.listener = listener;
    }

    /**
     * The launcher's start-up listener, wrapped: once the pool serves, a successor takes over the pidfile
     * ({@code takeOver}, null without -P) and the socket file, and only then is {@code next} told, which for a
     * successor is the word its predecessor waits for. Upgrades are possible from then on.
     *
     * @param successor true in a launcher started at its predecessor's SIGUSR2
     */
    public StartupListener startup(StartupListener next, boolean successor, PidFileTakeover takeOver) {
        return new StartupListener() {
            @Override
            public void serving(int launcherPid) {
                if (successor && takeOver != null) {
                    try {
                        takeOver.takeOver();
                    } catch (IOException e) {
                        LOG.error("cannot take over the pidfile: {}", e.getMessage());
                        next.failed("cannot take over the pidfile: " + e.getMessage(), 1);
                        return;
                    }
                }
                if (successor) {
                    socket.claimFile();
                }
                state.serving();
                next.serving(launcherPid);
            }

            @Override
            public void failed(String message, int exitCode) {
                next.failed(message, exitCode);
            }

            // The rest goes on unchanged (systemd's notifications): a default here would swallow it.
            @Override
            public void reloading() {
                next.reloading();
            }

            @Override
            public void reloaded() {
                next.reloaded();
            }

            @Override
            public void stopping(String cause) {
                next.stopping(cause);
            }

            @Override
            public void load(int idle, int active, int queue) {
                next.load(idle, active, queue);
            }
        };
    }

    /** Takes SIGUSR2 from now on; {@code retire} stops the pool gracefully once a successor serves. */
    public void listen(Consumer<String> retireAll) {
        this.retire = retireAll;
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR2"), signal -> requested());
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIGUSR2 ({}): no upgrade of the launcher in place", e.getMessage());
        }
    }

    /** SIGUSR2 (the signal thread): starts an upgrade on a thread of its own, or says in one line why not. */
    void requested() {
        if (settings.refusal() != null) {
            LOG.warn("SIGUSR2 ignored: {}", settings.refusal());
            return;
        }
        if (!state.begin()) {
            LOG.warn("SIGUSR2 ignored: {}", busy(state.phase()));
            return;
        }
        Thread thread = new Thread(this::upgrade, "upgrade");
        thread.setDaemon(true);
        thread.start();
    }

    /** Why a SIGUSR2 in {@code phase} changes nothing. */
    static String busy(UpgradeState.Phase phase) {
        return switch (phase) {
            case BOOTING -> "this launcher's pool is not serving yet";
            case STARTING_NEW, HANDING_OVER -> "an upgrade is already under way";
            case RETIRING -> "this launcher has handed over to its successor and is retiring";
            case FAILED -> "the failed successor of the last upgrade is still being stopped";
            case IDLE -> "no reason";
        };
    }

    /** The upgrade thread: one attempt, which ends handed over, or failed and back to serving. */
    private void upgrade() {
        int pid = -1;
        try {
            SuccessorCommand command = SuccessorCommand.of(commandLine(), System.getenv(),
                    System.getProperty("user.dir"), readyVariable);
            Pipe pipe = Pipe.open(posix);
            InputStream word;
            try {
                pid = new ProcessSpawner(posix).spawn(command.argv(), command.environment(),
                        new int[] {-1, 1, 2, pipe.writeFd(), socket.fd()}, settings.newSession()
                                ? ProcessSpawner.Detach.NEW_SESSION : ProcessSpawner.Detach.OWN_GROUP);
                successor = pid;
                word = pipe.takeReader(posix);
            } catch (IOException e) {
                posix.closeQuietly(pipe.readFd());
                throw e;
            } finally {
                posix.closeQuietly(pipe.writeFd());
            }
            LOG.info("SIGUSR2: started a new launcher (pid {}) from the files on disk on {}; this one serves until "
                    + "its pool is ready (--upgrade-timeout {})", pid, socket, settings.timeout());
            String answer = awaitWord(word, pid);
            if (answer.startsWith("serving")) {
                handOver(pid);
            } else {
                fail(pid, answer);
            }
        } catch (IOException | RuntimeException e) {
            fail(pid, pid == -1 ? "cannot start a new launcher: " + e.getMessage() : e.toString());
        }
    }

    /** The successor's line ("serving PID", "failed CODE why"), or a sentence on why there was none. */
    private String awaitWord(InputStream word, int pid) {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(word, StandardCharsets.UTF_8))) {
                line.complete(in.readLine());
            } catch (IOException e) {
                line.complete(null);
            }
        }, "upgrade-word");
        reader.setDaemon(true);
        reader.start();
        try {
            String answer = line.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                return "the new launcher (pid " + pid + ") exited before its pool was ready (see its lines in the "
                        + "log)";
            }
            if (answer.startsWith("failed ")) {
                String[] parts = answer.split(" ", 3);
                return "the new launcher (pid " + pid + ") gave up: " + (parts.length > 2 ? parts[2] : answer);
            }
            return answer;
        } catch (TimeoutException e) {
            return "the new launcher (pid " + pid + ") was not serving within --upgrade-timeout "
                    + settings.timeout();
        } catch (ExecutionException e) {
            return "the new launcher (pid " + pid + "): " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the new launcher (pid " + pid + ")";
        }
    }

    /**
     * This launcher is exiting (a stop, or it gave up): a successor still starting would be left serving in its
     * place, though the operator stopped the pool, so it is stopped too (SIGTERM). The main thread, at exit.
     */
    public void close() {
        int pid = successor;
        if (state.phase() == UpgradeState.Phase.STARTING_NEW && pid > 0 && alive(pid)) {
            LOG.warn("stopping the new launcher (pid {}) that SIGUSR2 started: this one stops before it served",
                    pid);
            posix.libc().kill(pid, Posix.SIGTERM);
        }
    }

    private void handOver(int pid) {
        successor = -1;
        state.newReady();
        socket.handOver();
        listener.mainPidChanged(pid);
        LOG.info("SIGUSR2: the new launcher (pid {}) serves {} and holds the pidfile; this one retires its children "
                + "and exits", pid, socket);
        retire.accept("upgraded: launcher " + pid + " serves " + socket + " now");
        state.handedOver();
    }

    private void fail(int pid, String why) {
        state.failed();
        successor = -1;
        LOG.error("upgrade failed: {}; this launcher (pid {}) keeps serving with its children", why,
                posix.libc().getpid());
        if (pid > 0) {
            stopFailed(pid);
        }
        PidFile file = pidFile.get();
        try {
            if (file != null && file.reclaim()) {
                LOG.warn("the pidfile {} named the failed launcher; it names this one again", file.path());
            }
        } catch (IOException e) {
            LOG.error("cannot write the pidfile again: {}", e.getMessage());
        }
        state.recovered();
    }

    /** A successor that did not come up: SIGTERM (its children stop gracefully), SIGKILL when it takes too long. */
    private void stopFailed(int pid) {
        if (!alive(pid)) {
            return;
        }
        posix.libc().kill(pid, Posix.SIGTERM);
        if (awaitGone(pid, settings.stopTimeout().toMillis() + KILL_GRACE_MILLIS)) {
            return;
        }
        LOG.warn("the failed launcher (pid {}) is still running after SIGTERM; SIGKILL (its .jar children stop when "
                + "they see it gone)", pid);
        posix.libc().kill(pid, Posix.SIGKILL);
        awaitGone(pid, KILL_GRACE_MILLIS);
    }

    /** Our supervisor's reaper collects the successor, our child, so it is gone once kill(pid, 0) fails. */
    private boolean awaitGone(int pid, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (alive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private boolean alive(int pid) {
        return posix.libc().kill(pid, 0) == 0;
    }

    private static java.util.List<String> commandLine() throws IOException {
        return Arrays.asList(Files.readString(Path.of("/proc/self/cmdline")).split("\0"));
    }
}
