package io.jfcgi.spawner.pool;

import static io.jfcgi.codec.supervision.StatusChannel.CONTROL_FD;
import static io.jfcgi.codec.supervision.StatusChannel.STATUS_FD;

import io.jfcgi.codec.supervision.StatusChannel;
import io.jfcgi.codec.supervision.StatusMessage;
import io.jfcgi.spawner.os.Pipe;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.ProcessSpawner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Starts one child with the FastCGI fd layout: 0 the listening socket, 1 and 2 a pipe whose lines the launcher
 * logs, 3 the child's status channel (child → launcher) and 4 its control channel (launcher → child; EOF means the
 * launcher has gone). Nothing else is open in the child.
 */
final class ChildStarter implements ChildSpawner {

    private static final Logger LOG = LogManager.getLogger(ChildStarter.class);

    private final Posix posix;
    private final ProcessSpawner spawner;
    private final int listenFd;
    private final List<String> argv;
    private final Map<String, String> environment;
    private final BlockingQueue<Event> events;

    ChildStarter(Posix posix, int listenFd, List<String> argv, Map<String, String> environment,
            BlockingQueue<Event> events) {
        this.posix = posix;
        this.spawner = new ProcessSpawner(posix);
        this.listenFd = listenFd;
        this.argv = List.copyOf(argv);
        Map<String, String> withChannel = new HashMap<>(environment);
        withChannel.putAll(StatusChannel.environment());
        this.environment = Map.copyOf(withChannel);
        this.events = events;
    }

    @Override
    public Child start(int slot, int generation, long requestLimit, long nowMillis) throws IOException {
        Pipe output = Pipe.open(posix);
        Pipe status = Pipe.open(posix);
        Pipe control = Pipe.open(posix);
        int pid;
        InputStream outputIn;
        InputStream statusIn;
        OutputStream controlOut;
        try {
            pid = spawner.spawn(argv, environment,
                    fdLayout(output, status, control),
                    ProcessSpawner.Detach.OWN_GROUP);
            outputIn = output.takeReader(posix);
            statusIn = status.takeReader(posix);
            controlOut = control.takeWriter(posix);
        } finally {
            // The child's ends: it has its copies now, and ours would hide its EOF from us.
            posix.closeQuietly(output.writeFd());
            posix.closeQuietly(status.writeFd());
            posix.closeQuietly(control.readFd());
        }
        Child child = new Child(pid, slot, generation, nowMillis, requestLimit, controlOut);
        readOutput(outputIn, "child-" + pid + "-output", line -> {
            child.lastOutputLine = line;
            log(pid, line);
        }, child.outputClosed::countDown);
        readStatus(statusIn, pid, line -> events.add(new Event.Reported(pid, StatusMessage.parse(line))));
        return child;
    }

    /** fd i of the child: 0 the socket, 1-2 output, then the channel's {@link StatusChannel} fds (3 and 4). */
    private int[] fdLayout(Pipe output, Pipe status, Pipe control) {
        int[] fds = new int[CONTROL_FD + 1];
        fds[0] = listenFd;
        fds[1] = output.writeFd();
        fds[2] = output.writeFd();
        fds[STATUS_FD] = status.writeFd();
        fds[CONTROL_FD] = control.readFd();
        return fds;
    }

    /** A line with a time of its own is not given the logger's too ({@link ChildLine}). */
    private static void log(int pid, String line) {
        if (ChildLine.hasOwnTime(line)) {
            System.err.println(ChildLine.message(pid, line));
        } else {
            LOG.info("{}", ChildLine.message(pid, line));
        }
    }

    /** The child's fds 1 and 2, cut into whole lines (pieces past 64 KiB) by a {@link LineAssembler}. */
    private static void readOutput(InputStream in, String name, Consumer<String> sink, Runnable atEnd) {
        LineAssembler lines = new LineAssembler();
        read(in, name, (buffer, n) -> lines.feed(buffer, 0, n, sink), () -> {
            lines.finish(sink);
            atEnd.run();
        });
    }

    /** The child's status channel (fd 3), cut into lines by {@link StatusLines}: one past 64 KiB is dropped. */
    private static void readStatus(InputStream in, int pid, Consumer<String> sink) {
        StatusLines lines = new StatusLines();
        read(in, "child-" + pid + "-status", (buffer, n) -> lines.feed(buffer, 0, n, sink, dropped -> LOG.warn(
                "child {} wrote a status line (fd 3) longer than {} bytes: dropped, and the lines after it read as "
                        + "before ({} such line(s) so far; the next warning at {})", pid, StatusLines.LIMIT, dropped,
                2 * dropped)), () -> lines.finish(sink));
    }

    /** What a reader thread does with each read. */
    private interface Chunks {
        void feed(byte[] buffer, int length);
    }

    /** A daemon thread that reads {@code in} to its end (or a failure), then runs {@code atEnd}. */
    private static void read(InputStream in, String name, Chunks chunks, Runnable atEnd) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    chunks.feed(buffer, n);
                }
            } catch (IOException e) {
                // The child has gone; its exit is reported by the reaper.
            } finally {
                atEnd.run();
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }
}
