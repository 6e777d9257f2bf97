package io.jfcgi.responder;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One wait of a worker on a kept connection for its next request (see {@link Connection#waitForNextRequest}): a
 * selector of the wait's own, watching that connection alone, closed when the wait ends, so that an idle worker
 * holds no descriptor. Its methods are the waiting worker's, but {@link #askBack}: any thread.
 */
final class WorkerWait implements AutoCloseable {

    private final Selector selector;
    private volatile boolean askedBack;

    private WorkerWait(Selector selector) {
        this.selector = selector;
    }

    /** A wait on {@code channel}; null if the channel has closed meanwhile. */
    static WorkerWait on(SocketChannel channel) throws IOException {
        Selector selector = Selector.open();
        try {
            channel.register(selector, SelectionKey.OP_READ);
            return new WorkerWait(selector);
        } catch (ClosedChannelException e) {
            selector.close();
            return null;
        }
    }

    /** Waits until the channel is readable, {@link #askBack}, or {@code millis} pass. */
    void await(long millis) throws IOException {
        try {
            selector.select(ready -> { }, millis); // only to wait: no key set to fill and clear
        } catch (ClosedSelectorException e) {
            askedBack = true;
        }
    }

    boolean askedBack() {
        return askedBack;
    }

    /** Any thread: the wait is to end soon (a task queued, a stop, the connection's end). */
    void askBack() {
        askedBack = true;
        selector.wakeup();
    }

    /** Ends the wait: the selector lets go of the channel, which may then close at once. */
    @Override
    public void close() throws IOException {
        selector.close();
    }
}
