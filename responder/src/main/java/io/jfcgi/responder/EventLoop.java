package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * One selector and the thread that runs it: it reads every connection registered with it and runs the requests
 * that arrive whole right there. Under load one wake-up then serves several connections, where a thread per
 * connection (libfcgi, PHP-FPM) pays a context switch for each request.
 *
 * <p>A handler that runs long would hold up every other connection of the loop, so the {@link EventLoopGroup}'s
 * monitor hands the loop to a fresh thread when an inline run exceeds the hand-off time; the old thread finishes
 * its request and ends. Only the current runner touches the selector's key sets.
 */
final class EventLoop {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(EventLoop.class);
    }

    /** The thread running the loop now, and when its inline handler began (0: none running). */
    static final class Runner {
        final Thread thread;
        volatile long inlineSince;
        /**
         * The keys one select found ready. Collected here rather than in the selector's key set, which costs a
         * hash-set node per key per select; the runner's own, so a hand-off never shares it.
         */
        private SelectionKey[] ready = new SelectionKey[64];
        private int readyCount;
        private final Consumer<SelectionKey> collect = this::collect;

        Runner(Thread thread) {
            this.thread = thread;
        }

        private void collect(SelectionKey key) {
            if (readyCount == ready.length) {
                ready = Arrays.copyOf(ready, 2 * ready.length);
            }
            ready[readyCount++] = key;
        }
    }

    private final Selector selector;
    private final ThreadFactory threads;
    private final EventLoopGroup group;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Channels whose keys were cancelled, closed once a select has let go of them (see closeWhenDeregistered). */
    private final Queue<SelectableChannel> deregistering = new ConcurrentLinkedQueue<>();
    /** This loop's keys of the listening sockets: every loop accepts, so no thread hop delays a new connection. */
    private final List<SelectionKey> listening = new CopyOnWriteArrayList<>();
    private final AtomicInteger handoffs = new AtomicInteger();
    private volatile Runner runner;
    private volatile boolean stopped;

    EventLoop(EventLoopGroup group, ThreadFactory threads) throws IOException {
        this.group = group;
        this.threads = threads;
        this.selector = Selector.open();
    }

    void start() {
        startRunner(null);
    }

    Selector selector() {
        return selector;
    }

    /** Accepts new connections on the loop's own thread. */
    @FunctionalInterface
    interface Acceptor {
        /**
         * Takes every connection waiting on {@code listener}.
         *
         * @return false if accepting failed or every --max-conns slot is taken: the loop stops looking at the
         *         listener until {@link #resumeAccepting}
         */
        boolean acceptAll(ServerSocketChannel listener, EventLoop loop);
    }

    /** From now on, {@code acceptor} takes the connections waiting on {@code listener} (non-blocking). */
    void listen(ServerSocketChannel listener, Acceptor acceptor) throws IOException {
        listening.add(listener.register(selector, SelectionKey.OP_ACCEPT, acceptor));
        selector.wakeup();
    }

    /**
     * After a failed accept (out of file descriptors, say), or once a slot is free: looks at {@code listener}
     * again. From any thread.
     */
    void resumeAccepting(ServerSocketChannel listener) {
        execute(() -> {
            for (SelectionKey key : listening) {
                if (key.channel() == listener) {
                    KeyInterest.set(key, SelectionKey.OP_ACCEPT); // false: stopped listening meanwhile
                }
            }
        });
    }

    /** Stops accepting: from any thread; the selector lets go of the sockets on its next look. */
    void stopListening() {
        listening.forEach(SelectionKey::cancel);
        selector.wakeup();
    }

    /**
     * Closes {@code key}'s channel once the selector has let go of it: from any thread. Closed while still
     * registered, the JDK would read SO_LINGER and shut the socket down first, then close it at the next select;
     * cancelled first, the next select deregisters it and the close is one close(2). On the loop's thread the next
     * select does not block; from another thread the loop is not woken (an event on any of its sockets, such as the
     * peer's close of this one, does it, or at the latest {@link #wakeToClose}).
     */
    void closeWhenDeregistered(SelectionKey key) {
        key.cancel();
        deregistering.add(key.channel());
        if (stopped) {
            closeDeregistered(true); // no select will come: the JDK closes what is still registered its own way
        }
    }

    /** The watchdog's look: wakes the loop if sockets wait for it to close them. From any thread. */
    void wakeToClose() {
        if (!deregistering.isEmpty()) {
            selector.wakeup();
        }
    }

    /** True on the thread running the loop now. */
    boolean inLoop() {
        Runner current = runner;
        return current != null && current.thread == Thread.currentThread();
    }

    /**
     * Closes the channels queued by {@link #closeWhenDeregistered} that this loop's selector has let go of (one
     * cancelled after the select looked waits for the next), or all of them once the loop has stopped. (A channel
     * still registered with another selector, a writer's or reader's wait, is closed the JDK's way.)
     */
    private void closeDeregistered(boolean all) {
        for (Iterator<SelectableChannel> it = deregistering.iterator(); it.hasNext(); ) {
            SelectableChannel channel = it.next();
            if (all || channel.keyFor(selector) == null) {
                it.remove();
                try {
                    channel.close();
                } catch (IOException e) {
                    Log.LOG.debug("closing a connection: {}", e.toString());
                }
            }
        }
    }

    /** Runs {@code task} on the loop's thread, soon: registrations, and work other threads hand back. */
    void execute(Runnable task) {
        tasks.add(task);
        wakeUnlessOnLoop();
    }

    /** Makes the selector look again soon; the loop's own thread looks again anyway once it is done. */
    void wakeUnlessOnLoop() {
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /**
     * Runs a request's handler, telling it when it started (System.nanoTime, read once for both). On the loop's own
     * thread the monitor watches the time it takes, and moves the loop to another thread if it runs past the
     * hand-off time; on any other thread it simply runs.
     */
    boolean runInline(LongPredicate handler) {
        long start = System.nanoTime();
        Runner current = runner;
        if (current == null || current.thread != Thread.currentThread()) {
            return handler.test(start);
        }
        current.inlineSince = Math.max(1, start);
        group.inlineStarted();
        try {
            return handler.test(start);
        } finally {
            current.inlineSince = 0;
        }
    }

    /**
     * The monitor's look: hands the loop to a new thread if its runner has been in one handler too long.
     *
     * @return nanoseconds until the handler running now would reach the hand-off time, so that the monitor sleeps
     *         until then and no longer; {@link Long#MAX_VALUE} if none runs
     */
    long checkHandoff(long now, long handoffNanos) {
        Runner current = runner;
        if (current == null || stopped) {
            return Long.MAX_VALUE;
        }
        long since = current.inlineSince;
        if (since == 0) {
            return Long.MAX_VALUE;
        }
        long left = since + handoffNanos - now;
        if (left >= 0) {
            return left + 1;
        }
        if (startRunner(current)) {
            handoffs.incrementAndGet();
        }
        return handoffNanos;
    }

    /** How many times the loop moved to a fresh thread because a handler ran long on it. */
    int handoffs() {
        return handoffs.get();
    }

    /** Stops the loop; the connections are closed by their owner. */
    void stop() {
        stopped = true;
        selector.wakeup();
    }

    private boolean startRunner(Runner expected) {
        Runner[] next = new Runner[1];
        Thread thread = threads.newThread(() -> run(next[0]));
        next[0] = new Runner(thread);
        synchronized (this) {
            if (runner != expected || stopped) {
                return false;
            }
            runner = next[0];
        }
        thread.start();
        // The old runner may have seen its handler end just before the swap and gone back into select(): woken, it
        // sees it is no longer the runner and ends, instead of holding the selector until some key is ready.
        selector.wakeup();
        return true;
    }

    /** A bug in one connection's handling must not take the loop, and every other connection, with it. */
    private static void runSafely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            Log.LOG.error("unexpected failure on an I/O thread; it goes on", e);
        }
    }

    /**
     * As {@link #runSafely}, without a lambda per ready key: reads a connection (or one refused past --max-conns),
     * or accepts new ones.
     */
    private void onSelected(SelectionKey key) {
        try {
            if (key.attachment() instanceof Connection connection) {
                connection.onSelected();
            } else if (key.attachment() instanceof RefusedConnection refused) {
                refused.onSelected();
            } else if (!((Acceptor) key.attachment()).acceptAll((ServerSocketChannel) key.channel(), this)) {
                KeyInterest.set(key, 0); // level-triggered: a listener that keeps failing would spin the loop
            }
        } catch (RuntimeException e) {
            Log.LOG.error("unexpected failure on an I/O thread; it goes on", e);
        }
    }

    private void run(Runner me) {
        try {
            while (runner == me && !stopped) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runSafely(task);
                    if (runner != me) {
                        return; // handed off while running it
                    }
                }
                me.readyCount = 0;
                if (deregistering.isEmpty()) {
                    selector.select(me.collect);
                } else {
                    selector.selectNow(me.collect); // deregisters their keys, without waiting
                }
                closeDeregistered(false);
                for (int i = 0; i < me.readyCount; i++) {
                    SelectionKey key = me.ready[i];
                    me.ready[i] = null;
                    if (key.isValid()) {
                        onSelected(key);
                    }
                    if (runner != me) {
                        return; // handed off: the new runner selects again; what is left is still ready
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!stopped) {
                Log.LOG.error("an I/O thread failed; its connections are lost", e);
            }
        } finally {
            if (stopped && runner == me) {
                closeDeregistered(true);
                try {
                    selector.close();
                } catch (IOException e) {
                    Log.LOG.debug("closing a selector: {}", e.toString());
                }
            }
        }
    }
}
