package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;

/** What reaches the supervisor's thread from the other threads: it acts on these one at a time. */
sealed interface Event {

    /** waitpid reaped {@code pid} with the raw wait {@code status}. */
    record Exited(int pid, int status) implements Event {
    }

    /** A line on a child's status channel (docs/status-channel.md), parsed by the child's reader thread. */
    record Reported(int pid, StatusMessage message) implements Event {
    }

    /** A signal to the launcher, by name without SIG. */
    record Signalled(String name) implements Event {
    }

    /** A successor launcher serves on our socket and holds the pidfile (SIGUSR2): stop as at SIGTERM. */
    record HandedOver(String cause) implements Event {
    }

    /** Describes a raw wait status the way a shell would. */
    static String describe(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return "exit status " + ((status >> 8) & 0xff);
        }
        return "signal " + signal + ((status & 0x80) != 0 ? " (core dumped)" : "");
    }

    /** The exit code a shell would report for a raw wait status: the status, or 128 + the signal. */
    static int exitCode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
