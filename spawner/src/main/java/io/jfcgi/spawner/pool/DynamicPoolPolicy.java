package io.jfcgi.spawner.pool;

/**
 * PHP-FPM's {@code pm = dynamic} maintenance tick (php-src sapi/fpm/fpm/fpm_process_ctl.c): keep idle children between
 * the spare bounds, never more than max children, spawning at a rate that doubles (1, 2, 4 … 32) while the pool
 * stays short of spares and retiring one idle child per tick when it has too many. A starting child counts as a
 * spare to come, so a slow-starting JVM does not set off a second spawn for the same shortfall.
 */
final class DynamicPoolPolicy {

    static final int MAX_SPAWN_RATE = 32;

    private final int minSpare;
    private final int maxSpare;
    private int spawnRate = 1;
    private boolean atMaxChildren;

    DynamicPoolPolicy(int minSpare, int maxSpare) {
        this.minSpare = minSpare;
        this.maxSpare = maxSpare;
    }

    /**
     * What one tick should do.
     *
     * @param spawn children to start now
     * @param retireIdle true when one idle child (the one idle longest) should be retired
     * @param maxChildrenReached true on the first tick of an episode where the pool is short of spares but full
     */
    record Decision(int spawn, boolean retireIdle, boolean maxChildrenReached) {
    }

    Decision tick(int idle, int starting, int running, int maxChildren) {
        int spares = idle + starting;
        if (idle > maxSpare) {
            spawnRate = 1;
            atMaxChildren = false;
            return new Decision(0, true, false);
        }
        if (spares < minSpare) {
            if (running >= maxChildren) {
                spawnRate = 1;
                boolean first = !atMaxChildren;
                atMaxChildren = true;
                return new Decision(0, false, first);
            }
            int spawn = Math.min(spawnRate, Math.min(minSpare - spares, maxChildren - running));
            spawnRate = Math.min(spawnRate * 2, MAX_SPAWN_RATE);
            return new Decision(spawn, false, false);
        }
        spawnRate = 1;
        atMaxChildren = false;
        return new Decision(0, false, false);
    }
}
