package io.jfcgi.spawner.pool;

/** The supervisor's retire, for the classes that decide when: SIGTERM now, SIGKILL at --stop-timeout. */
@FunctionalInterface
interface Retire {

    void retire(Child child, String reason, long nowMillis);
}
