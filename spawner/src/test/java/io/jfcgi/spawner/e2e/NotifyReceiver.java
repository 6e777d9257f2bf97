package io.jfcgi.spawner.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/** A test's stand-in for systemd's notify socket: a unix datagram socket whose messages are kept in order. */
final class NotifyReceiver implements AutoCloseable {

    private final UnixDatagramChannel channel;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    /** What NOTIFY_SOCKET is to say. */
    final String variable;

    private NotifyReceiver(UnixDatagramChannel channel, String variable) {
        this.channel = channel;
        this.variable = variable;
        Thread reader = new Thread(this::read, "notify-receiver");
        reader.setDaemon(true);
        reader.start();
    }

    /** At a socket file. */
    static NotifyReceiver at(Path file) throws IOException {
        UnixDatagramChannel channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress(file.toFile()));
        return new NotifyReceiver(channel, file.toString());
    }

    /** At a name in the abstract namespace ({@code @name}), as systemd's own socket may be. */
    static NotifyReceiver abstractNamed(String name) throws IOException {
        UnixDatagramChannel channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress("\0" + name));
        return new NotifyReceiver(channel, "@" + name);
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                channel.receive(buffer);
                buffer.flip();
                messages.add(StandardCharsets.UTF_8.decode(buffer).toString());
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * The next message that has {@code assignment} among its lines (e.g. READY=1), skipping others (kept in
     * {@link #all()}); fails after {@code timeout}.
     */
    String next(String assignment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String message = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no " + assignment + " within " + timeout + "; received: " + all);
            }
            all.add(message);
            if (message.lines().anyMatch(assignment::equals)) {
                return message;
            }
        }
    }

    /** Every message taken so far, in order. */
    List<String> all() {
        return List.copyOf(all);
    }

    /** The value of {@code key} in {@code message}, or null. */
    static String value(String message, String key) {
        return message.lines().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElse(null);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
