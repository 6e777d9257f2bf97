package io.jfcgi.spawner.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether a child without a status channel (php-cgi, a libfcgi app) is idle, from outside: an idle FastCGI
 * process sits blocked in accept(2) on fd 0, the listening socket, and /proc/PID/syscall says so ("43 0x0 …" on
 * x86-64). Anything else is busy. Unknown when the kernel will not tell (another user's process, an
 * architecture not listed): the pool then never retires such a child as idle.
 */
final class ForeignChildState {

    /** accept and accept4 on this machine's architecture; empty when not known. */
    private final String[] acceptOnFdZero;

    private ForeignChildState(String... syscalls) {
        this.acceptOnFdZero = new String[syscalls.length];
        for (int i = 0; i < syscalls.length; i++) {
            acceptOnFdZero[i] = syscalls[i] + " 0x0 ";
        }
    }

    static ForeignChildState forThisMachine() {
        return switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> new ForeignChildState("43", "288");
            case "aarch64", "riscv64" -> new ForeignChildState("202", "242");
            default -> new ForeignChildState();
        };
    }

    boolean knowsThisMachine() {
        return acceptOnFdZero.length > 0;
    }

    /** IDLE or BUSY; null when it cannot be read. */
    Child.Load of(int pid) {
        if (!knowsThisMachine()) {
            return null;
        }
        String line;
        try {
            line = Files.readString(Path.of("/proc/" + pid + "/syscall"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        for (String accept : acceptOnFdZero) {
            if (line.startsWith(accept)) {
                return Child.Load.IDLE;
            }
        }
        return Child.Load.BUSY;
    }
}
