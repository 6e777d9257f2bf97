package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workers' queue: a task goes to the worker that went idle last, else waits in order. */
class IdleWorkerQueueTest {

    private final IdleWorkerQueue queue = new IdleWorkerQueue();

    @Test
    void aTransferWithNoWorkerWaitingQueuesNothing() {
        assertFalse(queue.tryTransfer(() -> { }));
        assertEquals(0, queue.size());
    }

    @Test
    void tasksOfferedWithNoWorkerWaitingAreTakenInOrder() throws InterruptedException {
        Runnable first = () -> { };
        Runnable second = () -> { };
        queue.offer(first);
        queue.offer(second);
        assertEquals(2, queue.size());
        assertSame(first, queue.poll(1, TimeUnit.SECONDS));
        assertSame(second, queue.take());
        assertNull(queue.poll());
    }

    @Test
    void theWorkerThatWentIdleLastGetsTheTask() throws Exception {
        CompletableFuture<Runnable> earlier = waitForTask();
        awaitTrue(() -> queue.waitingWorkers() == 1);
        CompletableFuture<Runnable> later = waitForTask();
        awaitTrue(() -> queue.waitingWorkers() == 2);
        Runnable task = () -> { };
        assertTrue(queue.tryTransfer(task));
        assertSame(task, later.get(10, TimeUnit.SECONDS));
        assertFalse(earlier.isDone());
        Runnable next = () -> { };
        assertTrue(queue.offer(next)); // offered with a worker waiting: handed over, not queued
        assertSame(next, earlier.get(10, TimeUnit.SECONDS));
        assertEquals(0, queue.size());
    }

    @Test
    void aWaitThatTimesOutGetsNothingAndLeavesNoWaiter() throws InterruptedException {
        assertNull(queue.poll(20, TimeUnit.MILLISECONDS));
        assertEquals(0, queue.waitingWorkers());
        assertFalse(queue.tryTransfer(() -> { }));
    }

    @Test
    void anInterruptedWaitThrowsAndLeavesNoWaiter() throws Exception {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, queue::take);
        assertEquals(0, queue.waitingWorkers());
    }

    @Test
    void drainToTakesWhatIsQueued() {
        queue.offer(() -> { });
        queue.offer(() -> { });
        List<Runnable> drained = new ArrayList<>();
        assertEquals(2, queue.drainTo(drained));
        assertEquals(0, queue.size());
    }

    private CompletableFuture<Runnable> waitForTask() {
        CompletableFuture<Runnable> got = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                got.complete(queue.poll(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                got.completeExceptionally(e);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return got;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(1);
        }
    }
}
