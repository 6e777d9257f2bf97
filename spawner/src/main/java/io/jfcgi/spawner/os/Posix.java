package io.jfcgi.spawner.os;

import java.io.IOException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The C library, loaded once, with errno turned into {@link NativeException}s that name the call. The constants are
 * Linux's: the launcher relies on Linux anyway ({@code /proc}, {@code pipe2}, fd 0 hand-over as php-fpm does).
 */
public final class Posix {

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_RDWR = 2;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int ENOENT = 2;
    public static final int ECHILD = 10;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    /** A JVM prints a thread dump on its stdout and carries on. */
    public static final int SIGQUIT = 3;

    private static final Posix INSTANCE = new Posix();

    private final LibC libc;
    private final Runtime runtime;

    private Posix() {
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(libc);
    }

    public static Posix get() {
        return INSTANCE;
    }

    public LibC libc() {
        return libc;
    }

    public int errno() {
        return LastError.getLastError(runtime);
    }

    public String describe(int errno) {
        return libc.strerror(errno);
    }

    /** Returns {@code result} unless it is -1, when errno becomes an exception naming {@code what}. */
    public int check(int result, String what) throws NativeException {
        if (result == -1) {
            int errno = errno();
            throw new NativeException(what + ": " + describe(errno), errno);
        }
        return result;
    }

    /** For the calls that return an error number instead of setting errno (the posix_spawn family). */
    public void checkReturned(int error, String what) throws NativeException {
        if (error != 0) {
            throw new NativeException(what + ": " + describe(error), error);
        }
    }

    /** Closes an fd we own, ignoring errors: there is nothing useful to do about a failed close. */
    public void closeQuietly(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    /** Moves {@code fd} to a number ≥ 10 with close-on-exec set, so spawn's dup2 onto 0..4 never overwrites it. */
    public int relocate(int fd) throws NativeException {
        int moved = check(libc.fcntl(fd, F_DUPFD_CLOEXEC, 10), "fcntl(F_DUPFD_CLOEXEC)");
        libc.close(fd);
        return moved;
    }

    /** A failed C call: the message names the call and the reason; {@link #errno()} is kept for decisions. */
    public static final class NativeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
