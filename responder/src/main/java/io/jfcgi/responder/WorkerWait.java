package io.jfcgi.responder;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Where one worker waits on a kept connection for its next request (see {@link Connection#waitForNextRequest}):
 * a selector of the worker's own, opened at its first wait and closed when the worker ends, so that a wait costs
 * a registration and no selector of its own. Its methods are the worker's, but {@link #askBack}: any thread.
 */
final class WorkerWait implements AutoCloseable {

    /** Volatile for {@link #askBack}; opened and closed by the worker. */
    private volatile Selector selector;
    private SelectionKey key;
    private volatile boolean askedBack;
    /** Made once: how the pool, a stop or the connection's end asks this worker back. */
    private final Runnable askBack = this::askBack;

    /** Starts watching {@code channel}; false if it cannot (the channel closed meanwhile). */
    boolean watch(SocketChannel channel) throws IOException {
        askedBack = false;
        if (selector == null) {
            selector = Selector.open();
        }
        try {
            key = channel.register(selector, SelectionKey.OP_READ);
            return true;
        } catch (ClosedChannelException | CancelledKeyException e) {
            return false;
        }
    }

    /** Waits until the watched channel is readable, {@link #askBack}, or {@code millis} pass. */
    void await(long millis) throws IOException {
        try {
            selector.select(ready -> { }, millis); // only to wait: no key set to fill and clear
        } catch (ClosedSelectorException e) {
            askedBack = true;
        }
    }

    /**
     * Stops watching the channel, and lets go of it now: a channel closed while a selector still holds its key
     * stays open until that selector's next look, which for an idle worker may be a minute away.
     */
    void unwatch() throws IOException {
        if (key != null) {
            key.cancel();
            key = null;
            selector.selectNow();
        }
    }

    boolean askedBack() {
        return askedBack;
    }

    /** What asks this worker back, from any thread. */
    Runnable asker() {
        return askBack;
    }

    private void askBack() {
        askedBack = true;
        Selector waitingIn = selector;
        if (waitingIn != null) {
            waitingIn.wakeup();
        }
    }

    @Override
    public void close() throws IOException {
        if (selector != null) {
            selector.close();
        }
    }
}
