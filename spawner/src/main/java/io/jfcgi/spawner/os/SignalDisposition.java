package io.jfcgi.spawner.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A signal's disposition as the launcher inherited it. Ignored signals stay ignored across exec: {@code nohup}
 * leaves SIGHUP ignored, and a shell without job control leaves SIGINT (and SIGQUIT) ignored in its background
 * jobs. HotSpot then refuses to install a handler for HUP, INT or TERM, and {@code sun.misc.Signal.handle} says
 * nothing, so {@code nohup jspawn-fcgi ... &} would silently never reload. Like nginx and php-fpm, the launcher
 * answers its signals however it was started: it puts an ignored one back to its default just before its handler.
 */
public final class SignalDisposition {

    /** glibc's {@code struct sigaction} is 152 bytes on x86-64 and aarch64, the handler its first field. */
    private static final int SIGACTION_BYTES = 256;
    private static final long SIG_IGN = 1;

    private SignalDisposition() {
    }

    /** Whether {@code signal} is ignored in this process now. */
    public static boolean isIgnored(Posix posix, int signal) throws Posix.NativeException {
        Pointer current = Memory.allocateDirect(Runtime.getRuntime(posix.libc()), SIGACTION_BYTES, true);
        posix.check(posix.libc().sigaction(signal, null, current), "sigaction");
        return current.getAddress(0) == SIG_IGN;
    }

    /**
     * Puts {@code signal} back to its default disposition if it is ignored, so that a handler can be installed; the
     * handler must follow at once (the default of HUP, INT and TERM ends the process). Returns whether it was.
     */
    public static boolean restoreIfIgnored(Posix posix, int signal) throws Posix.NativeException {
        if (!isIgnored(posix, signal)) {
            return false;
        }
        // A zeroed struct sigaction is SIG_DFL with an empty mask and no flags.
        Pointer defaults = Memory.allocateDirect(Runtime.getRuntime(posix.libc()), SIGACTION_BYTES, true);
        posix.check(posix.libc().sigaction(signal, defaults, null), "sigaction");
        return true;
    }
}
