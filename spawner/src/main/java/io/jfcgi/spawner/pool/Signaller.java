package io.jfcgi.spawner.pool;

/** kill(2) for the supervisor: the real one, or a recorder in tests. Called on the supervisor's thread. */
@FunctionalInterface
interface Signaller {

    void kill(int pid, int signal);
}
