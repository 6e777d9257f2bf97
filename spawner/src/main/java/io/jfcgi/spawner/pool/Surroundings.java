package io.jfcgi.spawner.pool;

import io.jfcgi.spawner.os.Posix;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What the supervisor acts on and reads outside itself, so that it can run without processes (SupervisorTest).
 *
 * @param events where the reaper, the children's readers and the signal handlers post
 * @param clock monotonic milliseconds
 * @param listenQueue connections waiting in the listener's accept queue; -1 when unknown
 * @param reaper posts every exit to {@code events}; run on a thread of its own by {@link Supervisor#run()}
 */
record Surroundings(BlockingQueue<Event> events, LongSupplier clock, ChildSpawner spawner, Signaller signaller,
        IntSupplier listenQueue, ProcReader proc, int launcherPid, Runnable reaper) {

    /** The real ones: processes through posix_spawn, kill(2), the listener's queue, /proc, waitpid. */
    static Surroundings of(Posix posix, PoolConfig config, int listenFd, List<String> argv,
            Map<String, String> environment) {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        ListenQueue queue = ListenQueue.of(posix, listenFd, config.tcpPort() != 0);
        return new Surroundings(events, () -> System.nanoTime() / 1_000_000,
                new ChildStarter(posix, listenFd, argv, environment, events),
                (pid, signal) -> posix.libc().kill(pid, signal), queue::length, new ProcFs(), posix.libc().getpid(),
                new Reaper(posix, events));
    }
}
