package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key's interest set from one thread while another may close its channel. */
class KeyInterestTest {

    @Test
    void aLiveKeyTakesTheInterest() throws Exception {
        Pipe pipe = Pipe.open();
        try (Selector selector = Selector.open(); Pipe.SourceChannel source = pipe.source();
             Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            SelectionKey key = source.register(selector, 0);
            assertTrue(KeyInterest.set(key, SelectionKey.OP_READ));
            assertEquals(SelectionKey.OP_READ, key.interestOps());
        }
    }

    @Test
    void aKeyWhoseChannelAnotherThreadClosedIsLeftAloneWithoutAnException() throws Exception {
        Pipe pipe = Pipe.open();
        try (Selector selector = Selector.open(); Pipe.SourceChannel source = pipe.source();
             Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            SelectionKey key = source.register(selector, SelectionKey.OP_READ);
            Thread closer = new Thread(() -> {
                try {
                    source.close(); // cancels the key, as a worker's close of a connection does
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            closer.start();
            closer.join();
            assertFalse(KeyInterest.set(key, 0));
            assertFalse(KeyInterest.set(key, SelectionKey.OP_READ));
        }
    }
}
