package io.jfcgi.spawner.pool;

/** What a child's exit means for the pool. */
enum ExitKind {
    /** It had been told to stop (SIGTERM or SIGKILL): expected. */
    STOPPED,
    /**
     * Status 0 after it booted or lived {@link #CLEAN_EXIT_MILLIS}: it reached its own limit (php-cgi's
     * PHP_FCGI_MAX_REQUESTS, 500 by default, may come before the 1 s that makes a foreign child ready). A recycle,
     * not a crash: replaced at once, without backoff.
     */
    RECYCLED,
    /** Died after it booted: replaced, with backoff. */
    CRASHED,
    /** Died before it booted, or exited 0 at once: also counts towards giving up after K in a row. */
    BOOT_FAILURE;

    /** A clean exit (status 0) after living this long is a recycle, not a boot failure. */
    static final long CLEAN_EXIT_MILLIS = 100;

    /**
     * @param status the raw wait status
     * @param poolStopping true once the pool is stopping, when no exit is a recycle
     */
    static ExitKind of(Child child, int status, long livedMillis, boolean poolStopping) {
        if (child.isStopping()) {
            return STOPPED;
        }
        if (status == 0 && (child.isBooted() || livedMillis >= CLEAN_EXIT_MILLIS) && !poolStopping) {
            return RECYCLED;
        }
        return child.isBooted() ? CRASHED : BOOT_FAILURE;
    }
}
