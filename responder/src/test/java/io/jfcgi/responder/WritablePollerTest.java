package io.jfcgi.responder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writers' poller over a loopback socket pair whose reader stops, then reads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WritablePollerTest {

    private final WritablePoller poller = new WritablePoller(runnable -> {
        Thread thread = new Thread(runnable, "test-write-poller");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocketChannel listener;
    private SocketChannel reader;
    private SocketChannel writer;

    @AfterEach
    void close() throws IOException {
        poller.close();
        for (AutoCloseable c : new AutoCloseable[] {writer, reader, listener}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing what a test left open
            }
        }
    }

    /** A non-blocking writer whose peer reads nothing, filled until the kernel takes no more. */
    private void fullPair() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        reader = SocketChannel.open();
        reader.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        reader.connect(listener.getLocalAddress());
        writer = listener.accept();
        writer.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        while (writer.write(chunk.clear()) > 0) {
            // until full
        }
    }

    @Test
    void aParkedWriterWakesWhenItsPeerReads() throws Exception {
        fullPair();
        CountDownLatch woken = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                poller.await(writer, TimeUnit.MINUTES.toMillis(10)); // only the peer's reading ends this wait
                woken.countDown();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        waiting.start();
        try {
            ByteBuffer sink = ByteBuffer.allocate(1 << 20);
            reader.configureBlocking(false); // a blocking read after the last byte would wait forever
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (woken.getCount() > 0 && System.nanoTime() < deadline) {
                if (reader.read(sink.clear()) == 0) {
                    woken.await(10, TimeUnit.MILLISECONDS); // all read: the writer's wake-up is on its way
                }
            }
            assertTrue(woken.await(20, TimeUnit.SECONDS), "woken by room in the socket, not by its timeout");
            assertNull(failure.get());
        } finally {
            waiting.interrupt();
            waiting.join(10_000);
        }
    }

    @Test
    void aWaitEndsAtItsTimeoutWhenThePeerNeverReads() throws Exception {
        fullPair();
        long start = System.nanoTime();
        poller.await(writer, 50); // returns, for the caller to look whether its connection was closed meanwhile
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40) || writer.write(
                ByteBuffer.allocate(1)) > 0, "woken early only if the socket took bytes");
    }

    @Test
    void aForgottenConnectionIsReallyClosed() throws Exception {
        fullPair();
        poller.await(writer, 20); // its socket is registered with the poller now
        writer.close();
        poller.forget(writer);
        reader.socket().setSoTimeout(20_000);
        byte[] sink = new byte[1 << 20];
        int n;
        do {
            n = reader.socket().getInputStream().read(sink); // the unread bytes, then EOF once the fd is let go of
        } while (n > 0);
        assertEquals(-1, n);
    }

    @Test
    void aClosedChannelIsNoWait() throws Exception {
        fullPair();
        writer.close();
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> poller.await(writer, 10_000));
    }
}
