package io.jfcgi.responder;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers waiting on their kept connections for the next request (see {@link Connection#waitForNextRequest}),
 * each by the action that asks it back; a worker running a request it read there is not among them. A waiting
 * worker is one the pool cannot give a task to: when a task has to queue because no worker is idle, one waiter is
 * asked back to take it, so that waiting never delays a request beyond a wake-up. Any thread; at most one entry
 * per worker.
 *
 * <p>Whether waiting pays: a wait costs its start and end (a selector opened and closed, the I/O thread's interest
 * in the socket dropped and restored, and a wake-up of the I/O thread), and saves a hand-off per request it
 * serves. With few connections nginx keeps each busy and a wait serves dozens to thousands of requests; with many more clients than
 * its keepalive pool, nginx closes and replaces its connections after a few requests each, and a wait serves 1-5
 * (measured: 38 per wait at 64 wrk connections, 4 at 256). So workers wait only while the waits of late have
 * served {@link #PAYING} requests or more on average; otherwise one wait in {@link #PROBE_EVERY} still goes ahead,
 * to notice when they would pay again.
 *
 * <p>And only while the server has at most {@link #MOST_CONNECTIONS} connections open. Measured through nginx
 * (docs/benchmarks.md, issue 15, session 15), waiting cut the CPU per request by 12-20 % at 16 connections, in
 * every A/B of seven; at 64 and more it gained nothing and lost up to 17 % in some runs, though its waits served dozens
 * of requests each: there the I/O thread's wake-up serves several connections at once and hands requests to
 * workers that are often still awake, so a wait per connection saves nothing and costs a sleep per request.
 */
final class ConnectionWaiters {

    /** The most connections open at which workers still wait on theirs: nginx's usual keepalive pool, 32. */
    static final int MOST_CONNECTIONS = 32;

    /** The average of requests served per wait, from which waiting goes on. */
    static final int PAYING = 8;
    /** While waits do not pay, one chance to wait in this many is taken all the same. */
    static final int PROBE_EVERY = 256;
    /** The most one wait counts for in the average: a long one must not hold it up for the many after it. */
    private static final int MOST_COUNTED = 64;

    private final ConcurrentLinkedDeque<Runnable> waiting = new ConcurrentLinkedDeque<>();
    /**
     * Requests served per wait, an average over the last waits (weight 1/8 each), times 16. Starts as paying.
     * Updated without a lock: two waits that end at once may lose one's sample, never more.
     */
    private volatile int servedPerWaitX16 = PAYING * 16;
    /** Chances to wait passed up while waits did not pay. */
    private final AtomicInteger passedUp = new AtomicInteger();

    /** Whether a worker should wait now: the waits of late have paid, or it is this one's turn to probe. */
    boolean worthWaiting() {
        return servedPerWaitX16 >= PAYING * 16 || passedUp.incrementAndGet() % PROBE_EVERY == 0;
    }

    /** A wait has ended, after serving {@code served} requests. */
    void waited(int served) {
        int average = servedPerWaitX16;
        servedPerWaitX16 = average + ((Math.min(served, MOST_COUNTED) * 16 - average) >> 3);
    }

    /** A worker starts waiting; {@code askBack} ends its wait soon, from any thread. */
    void add(Runnable askBack) {
        waiting.addFirst(askBack);
    }

    /** The worker's wait is over. Walks at most one entry per worker. */
    void remove(Runnable askBack) {
        waiting.removeFirstOccurrence(askBack);
    }

    /** A task has queued with no worker idle: the worker that has waited longest is asked back, if any waits. */
    void askOneBack() {
        Runnable askBack = waiting.pollLast();
        if (askBack != null) {
            askBack.run();
        }
    }

    /** Stopping: every waiter is asked back. */
    void askAllBack() {
        Runnable askBack;
        while ((askBack = waiting.pollLast()) != null) {
            askBack.run();
        }
    }

    /** Workers waiting now (walks them: for tests). */
    int size() {
        return waiting.size();
    }
}
