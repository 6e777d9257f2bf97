package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write timeout's clock ({@link RecordWriter#writingSince()}) runs only while a write waits for its peer: a
 * write the kernel takes whole never starts it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RecordWriterTest {

    /** A loopback connection: our non-blocking end, written by a writer, and the peer's blocking one. */
    private static final class Link implements AutoCloseable {
        final ServerSocketChannel listener;
        final SocketChannel ours;
        final SocketChannel peer;
        final RecordWriter writer;

        Link() throws Exception {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            ours = SocketChannel.open(listener.getLocalAddress());
            peer = listener.accept();
            ours.configureBlocking(false);
            writer = new RecordWriter(ours, null, null);
        }

        @Override
        public void close() throws Exception {
            try (listener; ours; peer) {
                writer.close();
            }
        }
    }

    @Test
    void aWriteTakenWholeArrivesWholeAndStartsNoClock() throws Exception {
        try (Link link = new Link()) {
            RecordWriter writer = link.writer;
            SocketChannel peer = link.peer;
            writer.write(5, out -> out.put(new byte[] {1, 2, 3, 4, 5}));
            assertEquals(0, writer.writingSince());
            ByteBuffer got = ByteBuffer.allocate(5);
            while (got.hasRemaining()) {
                peer.read(got);
            }
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), got.flip());
        }
    }

    @Test
    void aWriteThatWaitsForItsPeerRunsTheClockUntilItIsDone() throws Exception {
        try (Link link = new Link()) {
            RecordWriter writer = link.writer;
            SocketChannel peer = link.peer;
            int size = 32 << 20; // past any socket buffer: the peer must read before it is all taken
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    writer.write(ByteBuffer.allocateDirect(size));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            while (writer.writingSince() == 0) {
                Thread.sleep(5);
            }
            ByteBuffer sink = ByteBuffer.allocate(1 << 20);
            long read = 0;
            while (read < size) {
                read += peer.read(sink.clear());
            }
            write.get(10, TimeUnit.SECONDS);
            assertEquals(0, writer.writingSince(), "stopped once the write was done");
            assertTrue(write.isDone());
        }
    }
}
