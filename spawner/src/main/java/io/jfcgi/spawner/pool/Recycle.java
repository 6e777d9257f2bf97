package io.jfcgi.spawner.pool;

/** Why a child was replaced, as the status counts it ("recycled max requests" and so on). */
enum Recycle {
    /** --max-requests. */
    MAX_REQUESTS("max requests"),
    /** --max-memory. */
    MAX_MEMORY("max memory"),
    /** --request-timeout. */
    REQUEST_TIMEOUT("request timeout"),
    /** Silent past --heartbeat-timeout. */
    FROZEN("frozen"),
    /** Exited unexpectedly (a crash, a kill from outside, a failed boot). */
    CRASHED("crashed"),
    /** Exited with status 0 of its own accord (php-cgi's PHP_FCGI_MAX_REQUESTS). */
    EXITED("exited"),
    /** A rolling reload (SIGHUP). */
    RELOAD("reload");

    private final String label;

    Recycle(String label) {
        this.label = label;
    }

    /** The status field's name. */
    String field() {
        return "recycled " + label;
    }
}
