package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Admission and scheduling: which requests run, where, and how many at once. Two bounds, whichever thread runs
 * a handler: at most {@code --workers} handlers at once (a semaphore), and at most {@code --workers} +
 * {@code --queue} requests admitted, running or waiting ({@link Admission}); a request beyond that is refused
 * (503), unless its connection multiplexes: then it waits on its connection until one finishes. An admitted
 * request runs exactly once: on the thread that read it ({@link #runHere}), or on a worker ({@link #runOnWorker}).
 */
final class Scheduler {

    private static final class Log {
        static final Logger LOG = Loggers.get(Scheduler.class);
    }

    private final ServerSettings settings;
    private final RequestWatch watch;
    private final ExecutorService workers;
    /** Workers waiting on their kept connections for the next request: asked back when a task must queue. */
    private final ConnectionWaiters waiters = new ConnectionWaiters();
    /** One per handler running, on a worker or on the thread that read its request: at most --workers. */
    private final HandlerSlots slots;
    /** Where writes that wait for their peer park, with virtual threads; null with platform workers. */
    private final WritablePoller writablePoller;
    /** Requests admitted and not yet returned from their handler (at most --workers plus --queue), and parked. */
    private final Admission<Exchange> admission;
    /** One overload warning per 10 s at most, with the count of the 503s it held back. */
    private final RateLimitedWarning overloadWarning = new RateLimitedWarning(Duration.ofSeconds(10),
            System::nanoTime);
    /** Requests whose handler has returned, for jspawn-fcgi's status channel. */
    private final AtomicLong completed = new AtomicLong();
    /** Requests answered 503 because the workers and the queue were full, for jspawn-fcgi's status channel. */
    private final AtomicLong overloadRefusals = new AtomicLong();
    /** Told when a suspended request ends (made once, not per request). */
    private final Consumer<Exchange> suspendedEnded = this::ended;
    /**
     * How long handlers have lately taken: quick ones run on the I/O thread that read their request; slow ones on
     * the workers, so they hold up no other connection.
     */
    private final QuickHandlers quickHandlers = new QuickHandlers();
    /**
     * The latest admitted request's parameters, which the status channel reads every 100 ms: an ordered store per
     * request (a plain move on x86), no more, and only the parameters are kept, never the request's body buffers.
     */
    private final AtomicReference<Parameters> latest = new AtomicReference<>();

    Scheduler(ServerSettings settings, ThreadFactory workerThreads, RequestWatch watch) {
        this.settings = settings;
        this.watch = watch;
        // Unbounded queue here because admit() bounds what enters it.
        this.workers = settings.virtualThreads() ? VirtualThreads.executor("fcgi-vworker-")
                : platformWorkers(settings, workerThreads, waiters::askOneBack);
        this.admission = new Admission<>(settings.maxRequests(), settings.muxQueueCapacity(), Exchange::isAborted,
                this::runParked);
        this.slots = new HandlerSlots(settings.workers(), settings.maxWriteWaiters(), this::lendThreadsToWriteWaiters);
        this.writablePoller = settings.virtualThreads() ? new WritablePoller(runnable -> {
            Thread thread = new Thread(runnable, "fcgi-write-poller");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /** Where a write that waits for its peer parks; null: in a selector of its connection's own. */
    WritablePoller writablePoller() {
        return writablePoller;
    }

    /**
     * A handler waiting for its peer to read gives its slot back but keeps its thread: a pool of platform workers
     * has one more thread for each such waiter, so that the slot can be used. The most threads move with it, so a
     * lent thread goes as soon as its waiter is done (the pool ends a thread past its maximum at its next idle
     * moment; past the core size alone it would idle on for a minute). Under a lock so that the last size set is
     * the one for the latest count. Virtual threads need none: each request has its own.
     */
    private void lendThreadsToWriteWaiters() {
        if (workers instanceof ThreadPoolExecutor pool) {
            synchronized (pool) {
                int threads = settings.workers() + slots.writeWaiters();
                if (threads > pool.getMaximumPoolSize()) { // the maximum is never below the core size
                    pool.setMaximumPoolSize(threads);
                    pool.setCorePoolSize(threads);
                } else {
                    pool.setCorePoolSize(threads);
                    pool.setMaximumPoolSize(threads);
                }
            }
        }
    }

    /** The handler slots, which a response write waiting for its peer gives back meanwhile. */
    HandlerSlots slots() {
        return slots;
    }

    /**
     * --workers threads at most, made as requests need them (only when no worker is idle), and gone after a minute
     * without one: while quick handlers run on the I/O threads, idle workers would only add stacks for every young
     * GC to walk, and memory to every child.
     */
    private static ExecutorService platformWorkers(ServerSettings settings, ThreadFactory threads,
            Runnable queuedWithoutIdle) {
        // One thread per slot; lendThreadsToWriteWaiters adds one for each handler waiting in a write without its
        // slot (at most --max-write-waiters), and takes it back.
        ThreadPoolExecutor pool = new IdleFirstThreadPool(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                threads, queuedWithoutIdle);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Admits a request whose PARAMS are complete, or refuses it when --workers are running and --queue are
     * waiting already, or when it has waited past --max-queue-wait since the web server sent it: the caller then
     * answers 503. With a {@code lane} (its connection multiplexes) a request that finds the process full waits
     * in it instead, while the mux queue has room, and is run from there. An admitted request must be run exactly
     * once.
     */
    Admission.Outcome admit(Exchange exchange, ParkedRequests.Lane<Exchange> lane) {
        if (watch.shedAtAdmission(exchange)) {
            return Admission.Outcome.REFUSED;
        }
        Admission.Outcome outcome = admission.admit(exchange, lane);
        if (outcome == Admission.Outcome.ADMITTED) {
            latest.lazySet(exchange.request().params());
        } else if (outcome == Admission.Outcome.REFUSED) {
            overloadRefusals.incrementAndGet();
            long heldBack = overloadWarning.occurred(); // a line per 503 would flood the log in an overload
            if (heldBack != RateLimitedWarning.NO_LINE) {
                Log.LOG.warn("overloaded: {} running, {} waiting and {} parked on multiplexed connections; answered "
                        + "503 to request {} {}{}", settings.workers(), settings.queueCapacity(), admission.parked(),
                        exchange.id, exchange.request().requestUri(),
                        heldBack == 0 ? "" : "; " + heldBack + " more answered 503 since the last warning");
            }
        }
        return outcome;
    }

    /** A lane of waiting requests for a connection whose peer multiplexes. */
    ParkedRequests.Lane<Exchange> lane() {
        return admission.lane();
    }

    /** A connection with a lane has ended: what waited in it is dropped (its requests were aborted). */
    void forget(ParkedRequests.Lane<Exchange> lane) {
        admission.forget(lane);
    }

    /** A parked request has been admitted, by the thread whose request finished (or that parked it). */
    private void runParked(Exchange exchange) {
        latest.lazySet(exchange.request().params());
        runOnWorker(exchange);
    }

    /** The watchdog, now and then: says the count of 503s an overload warning held back once the burst is over. */
    void sayHeldBackOverloads() {
        long heldBack = overloadWarning.due();
        if (heldBack != RateLimitedWarning.NO_LINE) {
            Log.LOG.warn("overloaded: answered 503 to {} more request(s) since the last warning", heldBack);
        }
    }

    /** The parameters of the request admitted last, null before the first: for the status channel. */
    Parameters latestParams() {
        return latest.get();
    }

    /**
     * Runs an admitted request on the calling thread if a handler slot is free; false otherwise. {@code
     * startNanos}: the System.nanoTime the caller read just before, from which the handler's time is counted.
     */
    boolean runHere(Exchange exchange, long startNanos) {
        if (!slots.tryTake()) {
            return false;
        }
        runHoldingSlot(exchange, startNanos);
        return true;
    }

    /** Runs an admitted request on a worker as soon as a handler slot is free. */
    void runOnWorker(Exchange exchange) {
        try {
            workers.execute(() -> {
                slots.take();
                runHoldingSlot(exchange, System.nanoTime());
                // Platform workers only: a virtual thread blocked in a selector would pin its carrier.
                if (!settings.virtualThreads()) {
                    exchange.connection().waitForNextRequest(); // as libfcgi's thread, see there
                }
            });
        } catch (RejectedExecutionException e) { // only once stopping, past the grace period
            // Said: a 503 that nothing logs cost a long search once (an accept that raced the stop).
            Log.LOG.warn("request {} {}: answered 503, the workers have stopped", exchange.id,
                    exchange.request().requestUri());
            admission.cancelled();
            exchange.reject(503, "1");
        }
    }

    /**
     * Whether a worker whose request has ended may wait on its connection for the next one: no task is queued for
     * the workers, and they are not shut down.
     */
    boolean workerMayWait() {
        return workers instanceof IdleFirstThreadPool pool && !pool.isShutdown() && !pool.hasQueuedTasks();
    }

    /** The workers waiting on their connections, which a queued task asks back. */
    ConnectionWaiters waiters() {
        return waiters;
    }

    /** Stopping: every worker waiting on a connection goes back to the pool, and the loops read them again. */
    void askWaitersBack() {
        waiters.askAllBack();
    }

    /** Handlers have lately been quick enough to run on an I/O thread. */
    boolean handlersAreQuick() {
        return quickHandlers.areQuick();
    }

    /** Requests admitted and not yet done: what the status channel reports as active. */
    int admitted() {
        return admission.admitted();
    }

    long completed() {
        return completed.get();
    }

    /** Requests refused at admission for an overload (503), since the start; not those shed for their wait. */
    long overloadRefusals() {
        return overloadRefusals.get();
    }

    /** Handlers running right now. */
    int running() {
        return slots.running();
    }

    /** Stop: takes no new work, and waits until the deadline for what runs; true if everything finished. */
    boolean stopAndAwait(long deadlineNanos) throws InterruptedException {
        workers.shutdown();
        boolean finished = workers.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS) && slots.takeAllWhenIdle(deadlineNanos);
        if (finished && writablePoller != null) {
            writablePoller.close();
        }
        return finished;
    }

    /** After the grace period: interrupts the workers; returns how many requests that cut. */
    int cut() {
        if (writablePoller != null) {
            writablePoller.close(); // its waiters find their writes failed
        }
        return workers.shutdownNow().size() + running();
    }

    /** Runs an admitted request whose handler slot is held, then gives back the slot and the admission. */
    private void runHoldingSlot(Exchange exchange, long start) {
        exchange.slotHolder = Thread.currentThread();
        boolean suspended = false;
        try {
            if (watch.shedAtStart(exchange)) {
                exchange.reject(503, "1"); // it waited past --max-queue-wait here, behind slower handlers
            } else {
                suspended = exchange.run(suspendedEnded);
            }
        } finally {
            exchange.slotHolder = null;
            quickHandlers.record(System.nanoTime() - start);
            slots.give();
            if (!suspended) { // a suspended request keeps its admission until it ends, on whichever thread
                ended(exchange);
            }
        }
    }

    /** An admitted request has ended: its place goes to a parked one, if any. */
    private void ended(Exchange exchange) {
        completed.incrementAndGet();
        admission.finished();
    }
}
