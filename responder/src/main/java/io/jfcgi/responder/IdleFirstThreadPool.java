package io.jfcgi.responder;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A thread pool that gives a task to an idle worker before it starts a new one. A plain {@link ThreadPoolExecutor}
 * starts a thread for every task while it has fewer than its core size, however many sit idle: a child that served
 * 200 requests one after another had 16 workers. Here the core size stays what bounds the threads (the
 * {@link Scheduler} raises it to lend threads to write waiters), but a thread is started only when none waits.
 * The queue is unbounded: the admission bounds what enters it.
 */
final class IdleFirstThreadPool extends ThreadPoolExecutor {

    private final IdleWorkerQueue queue;

    IdleFirstThreadPool(int threads, int mostThreads, long keepAlive, TimeUnit unit, ThreadFactory factory) {
        this(threads, mostThreads, keepAlive, unit, new IdleWorkerQueue(), factory);
    }

    /** {@code queuedWithoutIdle}: told when a task queues because no worker is idle (outside any lock). */
    IdleFirstThreadPool(int threads, int mostThreads, long keepAlive, TimeUnit unit, ThreadFactory factory,
            Runnable queuedWithoutIdle) {
        this(threads, mostThreads, keepAlive, unit, new IdleWorkerQueue(queuedWithoutIdle), factory);
    }

    private IdleFirstThreadPool(int threads, int mostThreads, long keepAlive, TimeUnit unit,
            IdleWorkerQueue queue, ThreadFactory factory) {
        super(threads, mostThreads, keepAlive, unit, queue, factory, new ThreadPoolExecutor.AbortPolicy());
        this.queue = queue;
    }

    /** Tasks waiting for a worker. */
    boolean hasQueuedTasks() {
        return !queue.isEmpty();
    }

    /**
     * Any thread. {@code tryTransfer} succeeds only into a worker waiting for a task ({@link IdleWorkerQueue}: the
     * one that went idle last; one that times out meanwhile takes nothing); otherwise the pool starts a thread
     * below its core size, or queues the task, as usual. Once shut down, the usual path refuses it.
     */
    @Override
    public void execute(Runnable task) {
        if (isShutdown() || !queue.tryTransfer(task)) {
            super.execute(task);
        }
    }
}
