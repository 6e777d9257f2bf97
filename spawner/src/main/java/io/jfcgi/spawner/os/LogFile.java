package io.jfcgi.spawner.os;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Points the launcher's stderr (where its log and its children's output go) at a file opened for appending; called
 * at start and again on SIGUSR1, after logrotate has moved the old file away. Its stdout is a pipe that
 * {@link ThreadDumpWatch} passes on to stderr.
 */
public final class LogFile {

    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;

    private LogFile() {
    }

    public static void redirectStdio(Posix posix, Path file) throws IOException {
        int fd = posix.libc().open(file.toString(), O_WRONLY | O_CREAT | O_APPEND | Posix.O_CLOEXEC, 0640);
        if (fd == -1) {
            throw new IOException("cannot open the log file " + file + " (--log): " + posix.describe(posix.errno())
                    + "; choose a writable path");
        }
        try {
            posix.check(posix.libc().dup2(fd, 2), "dup2 onto stderr");
        } finally {
            posix.closeQuietly(fd);
        }
    }
}
