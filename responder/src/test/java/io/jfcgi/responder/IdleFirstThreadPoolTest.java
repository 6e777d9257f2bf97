package io.jfcgi.responder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workers' pool: an idle worker takes a task before a new one starts; the core size bounds the threads. */
class IdleFirstThreadPoolTest {

    private final IdleFirstThreadPool pool = new IdleFirstThreadPool(4, 8, 60, TimeUnit.SECONDS, runnable -> {
        Thread thread = new Thread(runnable, "test-worker");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void tasksOneAfterAnotherRunOnOneWorker() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            // Between tasks, the worker has gone back to waiting: a request that comes once the last one is done.
            awaitTrue(() -> waitingWorkers() == pool.getPoolSize());
            CountDownLatch ran = new CountDownLatch(1);
            pool.execute(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        }
        assertEquals(1, pool.getLargestPoolSize());
    }

    @Test
    void busyWorkersMakeItStartThreadsUpToItsCoreSizeThenQueue() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            pool.execute(() -> {
                awaitQuietly(release);
                ran.countDown();
            });
        }
        assertEquals(4, pool.getPoolSize());
        assertEquals(2, pool.getQueue().size());
        release.countDown();
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals(4, pool.getLargestPoolSize());
    }

    @Test
    void aRaisedCoreSizeStartsAThreadForAQueuedTask() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> {
                started.countDown();
                awaitQuietly(release);
            });
        }
        assertEquals(1, pool.getQueue().size());
        pool.setCorePoolSize(5); // as the Scheduler lends a thread to a handler waiting in a write
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertEquals(5, pool.getPoolSize());
        release.countDown();
    }

    @Test
    void anIdleWorkerIsNotOneOfTheBusyOnes() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        pool.execute(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        pool.execute(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertEquals(2, pool.getPoolSize());
        release.countDown();
        awaitTrue(() -> waitingWorkers() == 2);
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals(2, pool.getLargestPoolSize());
    }

    @Test
    void refusesTasksOnceShutDown() {
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {
        }));
    }

    private int waitingWorkers() {
        return ((IdleWorkerQueue) pool.getQueue()).waitingWorkers();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
