package io.jfcgi.responder;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Where a handler that reads its own connection waits for bytes, as a blocking read would: a selector of the
 * connection's own, opened on first use (most connections never need one). Used by the drive holder only.
 */
final class ReadableWait implements AutoCloseable {

    private final SocketChannel channel;
    private Selector selector;

    ReadableWait(SocketChannel channel) {
        this.channel = channel;
    }

    /** Waits until the socket is readable or {@code millis} pass: bounded, since a close elsewhere does not wake it. */
    void await(long millis) throws IOException {
        try {
            if (selector == null) {
                selector = Selector.open();
                channel.register(selector, SelectionKey.OP_READ);
            }
            selector.select(key -> { }, millis); // only to wait: no key set to fill and clear
        } catch (ClosedSelectorException | ClosedChannelException e) {
            // the connection ended meanwhile; the next read finds out
        }
    }

    /** The selector holds the socket open otherwise. */
    @Override
    public void close() throws IOException {
        if (selector != null) {
            selector.close();
        }
    }
}
