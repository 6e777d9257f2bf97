package io.jfcgi.spawner;

/** PHP-FPM's {@code pm}: how many children the launcher keeps. */
public enum PoolMode {
    /** A fixed number of children, each replaced when it exits (spawn-fcgi's {@code -F}, php-fpm's static). */
    STATIC,
    /** Idle children kept between --min-spare and --max-spare, never more than --max-children in all. */
    DYNAMIC,
    /**
     * No child until a connection waits in the listen queue, then one more each time one waits and none is starting,
     * up to --max-children; a child idle for --idle-timeout is retired, down to none.
     */
    ONDEMAND
}
