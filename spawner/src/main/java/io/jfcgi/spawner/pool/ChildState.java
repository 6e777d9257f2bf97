package io.jfcgi.spawner.pool;

import java.util.Locale;

/** A child's state as PHP-FPM's status page names it; derived from {@code Child}'s lifecycle and load. */
public enum ChildState {
    /** Spawned, not yet accepting: a JVM warming up. Not counted as idle: a pool that counted it would stop growing before it can serve. */
    STARTING,
    /** Accepting, no request in flight. */
    IDLE,
    /** At least one request in flight. */
    BUSY,
    /** Told to stop: finishing its in-flight requests, then exiting. */
    STOPPING;

    /** The name the status output shows. */
    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }
}
