package io.jfcgi.responder;

import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.RecordEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A connection accepted past {@code --max-conns}, on the loop that accepted it, to answer its requests 503
 * ({@link Refusal}) and close without a RST: it reads what the web server sends, answers each BEGIN_REQUEST at
 * once, shuts its output down when every request's input has come, and closes at the web server's EOF. It holds
 * no slot and no buffer of its own (it borrows the pool's for each read), and lasts at most {@link #MOST_NANOS}
 * and {@link #MOST_BYTES} read: past either it is closed as before (a RST if input is unread).
 */
final class RefusedConnection {

    /** How long a refused connection may stay open: the web server sends its request at once. */
    static final long MOST_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How much it may send (a request body included) before it is closed unread. */
    static final long MOST_BYTES = 1 << 20;

    private final SocketChannel channel;
    private final EventLoop loop;
    private final ReadBufferPool buffers;
    private final Consumer<RefusedConnection> closed;
    private final Refusal refusal;
    private final RecordDecoder decoder = new RecordDecoder();
    private final List<Record> answers = new ArrayList<>(3);
    private final long since = System.nanoTime();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private long bytesRead;
    /** Every request is answered and its input read: only the web server's EOF is awaited. */
    private boolean outputShut;

    /**
     * @param closed told once, from the thread that closes it, when the connection is closed
     */
    RefusedConnection(SocketChannel channel, EventLoop loop, ServerSettings settings, ReadBufferPool buffers,
            Consumer<RefusedConnection> closed) {
        this.channel = channel;
        this.loop = loop;
        this.buffers = buffers;
        this.closed = closed;
        this.refusal = new Refusal(settings);
    }

    /** On the loop's thread: starts reading; false (and closed) if the socket is gone already. */
    boolean register() {
        try {
            channel.configureBlocking(false);
            channel.register(loop.selector(), SelectionKey.OP_READ, this);
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    /** On the loop's thread: the socket is readable. */
    void onSelected() {
        ByteBuffer buffer = buffers.take();
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    close();
                    return;
                }
                bytesRead += n;
                if (n == 0 || bytesRead > MOST_BYTES) {
                    if (n != 0) {
                        close();
                    }
                    return;
                }
                if (!outputShut) {
                    buffer.flip();
                    decode(buffer);
                }
                if (n < buffer.capacity()) {
                    return; // the selector says when there is more
                }
            }
        } catch (IOException | FastCgiProtocolException e) {
            close();
        } finally {
            buffers.give(buffer);
        }
    }

    /** Answers the requests begun in {@code buffer}; once done, shuts the output down and ignores the rest. */
    private void decode(ByteBuffer buffer) throws IOException, FastCgiProtocolException {
        Record record;
        while ((record = decoder.decode(buffer)) != null) {
            boolean done = refusal.onRecord(record, answers);
            if (!answers.isEmpty()) {
                write();
            }
            if (done) {
                outputShut = true;
                channel.shutdownOutput(); // the web server closes on this EOF; its close ends ours
                return;
            }
        }
    }

    /** The answers, in one write: a few hundred bytes, which a fresh socket's send buffer always takes. */
    private void write() throws IOException {
        int length = 0;
        for (Record answer : answers) {
            length += RecordEncoder.encodedLength(answer);
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (Record answer : answers) {
            RecordEncoder.encode(answer, out);
        }
        answers.clear();
        channel.write(out.flip());
        if (out.hasRemaining()) {
            throw new IOException("the web server does not read the 503");
        }
    }

    /** The watchdog: closes a refusal that has lasted too long. From any thread. */
    void checkTimeout(long now) {
        if (now - since > MOST_NANOS) {
            close();
        }
    }

    /** How many requests were answered 503 on it. */
    int answered() {
        return refusal.answered();
    }

    /** Closes the socket, once; from any thread (the selector lets go of it at its next look). */
    void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // it is gone either way
        }
        loop.wakeUnlessOnLoop();
        closed.accept(this);
    }
}
