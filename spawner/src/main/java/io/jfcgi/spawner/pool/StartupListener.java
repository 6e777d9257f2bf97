package io.jfcgi.spawner.pool;

/** Told once whether the pool came up: how a daemonising launcher knows what exit code to return. */
public interface StartupListener {

    /** The first children are accepting. */
    void serving(int launcherPid);

    /** The pool gave up before serving; {@code message} says why, {@code exitCode} is what to exit with. */
    void failed(String message, int exitCode);
}
