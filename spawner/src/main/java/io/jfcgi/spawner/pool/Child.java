package io.jfcgi.spawner.pool;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One child process as the supervisor knows it. Owned by the supervisor's thread: every field is read and written
 * there only, except {@link #lastOutputLine}, which the child's output reader sets.
 */
final class Child {

    final int pid;
    final int slot;
    final int generation;
    final long startedAtMillis;
    /** The request count after which this child is recycled; 0 for never. */
    final long requestLimit;
    /** Our end of the control pipe: closing it is the child's EOF signal that the launcher has gone. */
    private final OutputStream control;

    ChildState state = ChildState.STARTING;
    boolean reported;
    boolean ready;
    /** Marked for rolling replacement: a new child is started, and this one retired once it is ready. */
    boolean replace;
    /** Why this child was told to stop, for the log; null when it was not. */
    String stopReason;
    /** The pid of the child started to take over from this one (when {@link #replace}); 0 for none yet. */
    int replacementPid;
    boolean killed;
    long stopDeadlineMillis;
    int active;
    long served;
    /** The age of the child's oldest request in flight as last reported, and when that report came. */
    long oldestRequestMillis;
    long reportedAtMillis;
    /** Already replaced for a request over --request-timeout: one thread dump and one replacement per child. */
    boolean timedOut;
    long idleSinceMillis;
    long rssKiB;
    volatile String lastOutputLine;
    /** Counted down at EOF on the child's output, after its last line has been read. */
    final CountDownLatch outputClosed = new CountDownLatch(1);

    Child(int pid, int slot, int generation, long startedAtMillis, long requestLimit, OutputStream control) {
        this.pid = pid;
        this.slot = slot;
        this.generation = generation;
        this.startedAtMillis = startedAtMillis;
        this.requestLimit = requestLimit;
        this.control = control;
        this.idleSinceMillis = startedAtMillis;
    }

    boolean isIdle() {
        return state == ChildState.IDLE;
    }

    boolean isStopping() {
        return state == ChildState.STOPPING;
    }

    /**
     * The child's last line of output. waitpid can report the exit before the reader has drained the pipe, so
     * this waits (briefly: grandchildren may hold the pipe open) for EOF first.
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
        return "child " + pid;
    }
}
