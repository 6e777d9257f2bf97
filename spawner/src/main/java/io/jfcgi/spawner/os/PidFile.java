package io.jfcgi.spawner.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;

/**
 * The launcher's pidfile: written atomically (temp file, then rename) and held under flock(2) for the launcher's
 * whole life, so a live launcher is told from a stale file by the lock, never by a pid that may have been reused.
 * Scripts can test it the same way: {@code flock -n pidfile true} fails while it runs.
 */
public final class PidFile implements AutoCloseable {

    private static final int O_RDONLY = 0;

    private final Posix posix;
    private final Path path;
    private final int pid;
    private int lockFd;

    private PidFile(Posix posix, Path path, int pid, int lockFd) {
        this.posix = posix;
        this.path = path;
        this.pid = pid;
        this.lockFd = lockFd;
    }

    /** Writes {@code pid} to {@code path} and locks it; refuses when a live launcher holds it. */
    public static PidFile acquire(Posix posix, Path path, int pid) throws IOException {
        OptionalInt running = runningPid(posix, path);
        if (running.isPresent()) {
            throw new IOException("jspawn-fcgi is already running with pid " + running.getAsInt() + " (it holds "
                    + path + "): stop it first, or choose another pidfile with -P");
        }
        return new PidFile(posix, path, pid, writeLocked(posix, path, pid));
    }

    /**
     * A launcher's successor (SIGUSR2) takes the pidfile from the launcher that still holds it: its own file,
     * locked before the rename puts it in place, so the path names a locked live launcher at every moment, first
     * the old one, then this one. The old one's lock stays on the replaced file, which no one can open any more.
     */
    public static PidFile takeOver(Posix posix, Path path, int pid) throws IOException {
        return new PidFile(posix, path, pid, writeLocked(posix, path, pid));
    }

    /**
     * Puts this launcher back in the pidfile when it no longer names it: a successor that took it over and then
     * died. A no-op while the file names this launcher.
     *
     * @return true when the file had to be written again
     */
    public synchronized boolean reclaim() throws IOException {
        if (lockFd < 0 || names(path, pid)) {
            return false;
        }
        int fd = writeLocked(posix, path, pid);
        posix.closeQuietly(lockFd);
        lockFd = fd;
        return true;
    }

    /** The pid written to a temporary file, locked, then renamed into place; returns the locked fd. */
    private static int writeLocked(Posix posix, Path path, int pid) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        Path temporary = directory.resolve("." + path.getFileName() + "." + pid + ".tmp");
        try {
            Files.writeString(temporary, pid + "\n", StandardCharsets.US_ASCII);
        } catch (AccessDeniedException | NoSuchFileException e) {
            throw new IOException("cannot write the pidfile " + path + " (" + reason(e) + "): choose a writable "
                    + "path with -P");
        }
        int fd = posix.libc().open(temporary.toString(), O_RDONLY | Posix.O_CLOEXEC, 0);
        try {
            posix.check(fd, "open " + temporary);
            posix.check(posix.libc().flock(fd, Posix.LOCK_EX | Posix.LOCK_NB), "flock " + temporary);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            posix.closeQuietly(fd);
            Files.deleteIfExists(temporary);
            throw e;
        }
        return posix.relocate(fd);
    }

    private static boolean names(Path path, int pid) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII).trim().equals(Integer.toString(pid));
        } catch (IOException e) {
            return false;
        }
    }

    /** The pid of the launcher holding {@code path}, or empty when no live launcher holds it. */
    public static OptionalInt runningPid(Posix posix, Path path) throws IOException {
        int fd = posix.libc().open(path.toString(), O_RDONLY | Posix.O_CLOEXEC, 0);
        if (fd == -1) {
            int errno = posix.errno();
            if (errno == Posix.ENOENT) {
                return OptionalInt.empty();
            }
            throw new IOException("cannot read the pidfile " + path + ": " + posix.describe(errno));
        }
        try {
            if (posix.libc().flock(fd, Posix.LOCK_EX | Posix.LOCK_NB) == 0) {
                return OptionalInt.empty(); // nobody holds it: stale
            }
            String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
            try {
                return OptionalInt.of(Integer.parseInt(text));
            } catch (NumberFormatException e) {
                throw new IOException("the pidfile " + path + " is locked but holds '" + text + "', not a pid");
            }
        } finally {
            posix.closeQuietly(fd);
        }
    }

    public Path path() {
        return path;
    }

    /** Removes the file if it still names this launcher, then releases the lock. */
    @Override
    public synchronized void close() {
        if (lockFd < 0) {
            return;
        }
        try {
            String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
            if (text.equals(Integer.toString(pid))) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // Gone or unreadable: nothing of ours to remove.
        }
        posix.closeQuietly(lockFd);
        lockFd = -1;
    }

    private static String reason(IOException e) {
        return e instanceof AccessDeniedException ? "permission denied" : "no such directory";
    }
}
