package io.jfcgi.spawner.pool;

import io.jfcgi.spawner.os.Posix;
import java.util.concurrent.BlockingQueue;

/**
 * Reaps every child with waitpid(-1), including ones the launcher never started (it may be PID 1 in a container,
 * where orphans are reparented to it), and posts each exit to the supervisor. The JDK's own process reaper is never
 * involved: the launcher starts nothing through ProcessBuilder.
 */
final class Reaper implements Runnable {

    private final Posix posix;
    private final BlockingQueue<Event> events;

    Reaper(Posix posix, BlockingQueue<Event> events) {
        this.posix = posix;
        this.events = events;
    }

    @Override
    public void run() {
        int[] status = new int[1];
        while (!Thread.currentThread().isInterrupted()) {
            int pid = posix.libc().waitpid(-1, status, 0);
            if (pid > 0) {
                events.add(new Event.Exited(pid, status[0]));
            } else if (posix.errno() == Posix.ECHILD) {
                try {
                    Thread.sleep(20); // no child at the moment: the next spawn comes soon
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
