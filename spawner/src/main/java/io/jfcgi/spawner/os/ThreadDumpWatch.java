package io.jfcgi.spawner.os;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * SIGQUIT in a JVM: HotSpot keeps the signal for itself (Java code cannot handle it) and answers it by writing a
 * thread dump to fd 1. So the launcher puts a pipe on its own fd 1 and takes the dump's first line as the signal.
 * Everything read is passed on to stderr (the terminal or --log), so `kill -QUIT` still shows the launcher's
 * threads; `jcmd PID Thread.print` shows them without stopping anything.
 */
public final class ThreadDumpWatch {

    private static final String DUMP_HEADER = "Full thread dump ";

    private ThreadDumpWatch() {
    }

    /** Takes fd 1 over; {@code onQuit} runs (on the watching thread) at each thread dump, i.e. each SIGQUIT. */
    public static void start(Posix posix, Runnable onQuit) throws IOException {
        Pipe pipe = Pipe.open(posix);
        try {
            posix.check(posix.libc().dup2(pipe.writeFd(), 1), "dup2 onto stdout");
        } finally {
            posix.closeQuietly(pipe.writeFd());
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(pipe.takeReader(posix),
                StandardCharsets.UTF_8));
        Thread watch = new Thread(() -> {
            try (lines) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.err.println(line);
                    if (line.startsWith(DUMP_HEADER)) {
                        onQuit.run();
                    }
                }
            } catch (IOException e) {
                // fd 1 closed: only at exit.
            }
        }, "sigquit-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
