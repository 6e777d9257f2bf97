package io.jfcgi.spawner.pool;

/** What the supervisor reads of its children in /proc; a fake in tests. Called on the supervisor's thread. */
interface ProcReader {

    /** Resident memory in KiB; 0 when it cannot be read (the child has gone). */
    long rssKiB(int pid);

    /** For a program without a status channel: IDLE when blocked in accept on fd 0, else BUSY; null if unknown. */
    Child.Load foreignLoad(int pid);
}
