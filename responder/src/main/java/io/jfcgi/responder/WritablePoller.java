package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One selector, on a thread of its own, that tells parked writers when their sockets take bytes again: with
 * virtual threads, a write that waited in a selector of its own would pin its carrier (the JDK then lends one
 * more, up to 256, and past that every virtual thread starves); parked, a waiting writer costs no thread at all.
 * Started at the first wait; the writer's own thread never blocks anywhere but in {@link LockSupport#parkNanos}.
 */
final class WritablePoller implements AutoCloseable {

    private static final class Log {
        static final Logger LOG = Loggers.get(WritablePoller.class);
    }

    /** One wait: the parked writer, and whether its socket has been found writable. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile boolean woken;
    }

    private final ThreadFactory threads;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private Selector selector;
    private volatile boolean closed;

    WritablePoller(ThreadFactory threads) {
        this.threads = threads;
    }

    /**
     * Parks the calling thread until {@code channel} takes bytes, at most {@code millis}: the caller then tries
     * its write again, and looks again whether the connection was closed meanwhile.
     */
    void await(SocketChannel channel, long millis) throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        Selector poller = selector();
        Waiter waiter = new Waiter();
        tasks.add(() -> watch(poller, channel, waiter));
        poller.wakeup();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (!waiter.woken && !closed && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt(); // for the caller to keep; it must not spin us here
                return;
            }
        }
    }

    /** The connection has ended: lets go of its key at once, so that its socket is really closed. Any thread. */
    void forget(SocketChannel channel) {
        Selector poller = selector;
        if (poller != null) {
            tasks.add(() -> {
                SelectionKey key = channel.keyFor(poller);
                if (key != null) {
                    key.cancel();
                }
            });
            poller.wakeup();
        }
    }

    @Override
    public void close() {
        closed = true;
        Selector poller;
        synchronized (this) {
            poller = selector;
        }
        if (poller != null) {
            poller.wakeup();
        }
    }

    private synchronized Selector selector() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (selector == null) {
            selector = Selector.open();
            Selector poller = selector;
            Thread thread = threads.newThread(() -> run(poller));
            thread.start();
        }
        return selector;
    }

    /** On the poller's thread: watches {@code channel} for room, for {@code waiter}. */
    private static void watch(Selector poller, SocketChannel channel, Waiter waiter) {
        try {
            SelectionKey key = channel.keyFor(poller);
            if (key == null) {
                channel.register(poller, SelectionKey.OP_WRITE, waiter);
            } else {
                key.attach(waiter);
                key.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (ClosedChannelException | CancelledKeyException e) {
            wake(waiter); // closed: it finds out when it writes again
        }
    }

    private static void wake(Waiter waiter) {
        waiter.woken = true;
        LockSupport.unpark(waiter.thread);
    }

    private void run(Selector poller) {
        try {
            while (!closed) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                poller.select(key -> {
                    KeyInterest.set(key, 0); // one wake-up per wait: the writer asks again if it must
                    wake((Waiter) key.attachment());
                });
            }
        } catch (IOException | ClosedSelectorException e) {
            Log.LOG.error("the writers' poller failed; blocked writes wait for their timeout", e);
        } finally {
            try {
                poller.close();
            } catch (IOException e) {
                Log.LOG.debug("closing the writers' poller: {}", e.toString());
            }
        }
    }
}
