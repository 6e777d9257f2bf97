package io.jfcgi.spawner.pool;

/**
 * Told once whether the pool came up: how a daemonising launcher knows what exit code to return. Then, for a
 * service manager (systemd's notify protocol), told of reloads, the stop and the pool's load; those default to
 * nothing. Called on the supervisor's thread.
 */
public interface StartupListener {

    /** The pool's socket is bound: {@code where} as the logs and status name it (with the port -p 0 got). */
    default void listening(String where) {
    }

    /** The first children are accepting. */
    void serving(int launcherPid);

    /** The pool gave up before serving; {@code message} says why, {@code exitCode} is what to exit with. */
    void failed(String message, int exitCode);

    /** SIGHUP: a rolling reload has begun. */
    default void reloading() {
    }

    /** The rolling reload is done: every child started before it has been replaced. */
    default void reloaded() {
    }

    /** A stop has begun; {@code cause} says why (SIGTERM, giving up...). */
    default void stopping(String cause) {
    }

    /** Once a second: idle and active (busy) children, and connections in the listen queue (-1 unknown). */
    default void load(int idle, int active, int queue) {
    }
}
