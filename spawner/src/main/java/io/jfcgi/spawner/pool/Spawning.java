package io.jfcgi.spawner.pool;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Starts children through the {@link ChildSpawner}, each with its --max-requests limit (plus jitter, so that a pool
 * started at once does not recycle at once), and holds the respawn backoff: one per slot and one for the pool
 * ({@link Backoff}). Supervisor thread.
 */
final class Spawning {

    private static final Logger LOG = LogManager.getLogger(Spawning.class);

    private final PoolConfig config;
    private final ChildSpawner spawner;
    private final Map<Integer, Backoff> slotBackoff = new HashMap<>();
    private final Backoff poolBackoff = new Backoff();
    private final Random random = new Random();

    Spawning(PoolConfig config, ChildSpawner spawner) {
        this.config = config;
        this.spawner = spawner;
    }

    /** Starts a child now, whatever the backoff says; null (logged, and counted as a death) if it cannot. */
    Child start(int slot, int generation, long now) {
        long limit = config.maxRequests() == 0 ? 0
                : config.maxRequests() + (config.maxRequestsJitter() > 0 ? random.nextInt(config.maxRequestsJitter()
                        + 1) : 0);
        try {
            Child child = spawner.start(slot, generation, limit, now);
            LOG.info("child {} started", child.pid);
            return child;
        } catch (IOException e) {
            LOG.error("cannot start a child: {}", e.getMessage());
            poolBackoff.died(now, 0);
            return null;
        }
    }

    /** False while the backoff of the pool or of {@code slot} holds spawns back. */
    boolean allows(int slot, long now) {
        return poolBackoff.allows(now) && slotBackoff(slot).allows(now);
    }

    /** A child died unexpectedly after {@code livedMillis}: its slot and the pool back off. */
    void died(Child child, long now, long livedMillis) {
        slotBackoff(child.slot).died(now, livedMillis);
        poolBackoff.died(now, livedMillis);
    }

    private Backoff slotBackoff(int slot) {
        return slotBackoff.computeIfAbsent(slot, s -> new Backoff());
    }
}
