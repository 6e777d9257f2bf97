package io.jfcgi.spawner.os;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A pipe whose two native fds are close-on-exec and numbered ≥ 10, ready to be dup2'ed onto a child's fd. The
 * launcher's own end is opened as a Java stream through {@code /proc/self/fd}, after which its native fd is
 * closed; the child's end is closed once the child has its copy, so EOF tells each side the other has gone.
 */
public record Pipe(int readFd, int writeFd) {

    public static Pipe open(Posix posix) throws IOException {
        int[] fds = new int[2];
        posix.check(posix.libc().pipe2(fds, Posix.O_CLOEXEC), "pipe2");
        return new Pipe(posix.relocate(fds[0]), posix.relocate(fds[1]));
    }

    /** A stream on the read end; the native read fd is closed (the stream holds its own). */
    public InputStream takeReader(Posix posix) throws IOException {
        InputStream in = new FileInputStream("/proc/self/fd/" + readFd);
        posix.closeQuietly(readFd);
        return in;
    }

    /** A stream on the write end; the native write fd is closed (the stream holds its own). */
    public OutputStream takeWriter(Posix posix) throws IOException {
        OutputStream out = new FileOutputStream("/proc/self/fd/" + writeFd);
        posix.closeQuietly(writeFd);
        return out;
    }
}
