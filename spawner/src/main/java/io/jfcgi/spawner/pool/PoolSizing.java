package io.jfcgi.spawner.pool;

import io.jfcgi.spawner.PoolMode;
import java.util.function.IntSupplier;
import java.util.function.LongPredicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How many children the pool keeps, in its three modes: static holds the target; dynamic runs PHP-FPM's tick up to
 * max children ({@link DynamicPoolPolicy}); ondemand starts one while connections wait and retires one idle for
 * --idle-timeout. TTIN and TTOU move the target (static: the number of children; else max children). Called on
 * the supervisor's thread, only while the pool is not stopping.
 */
final class PoolSizing {

    private static final Logger LOG = LogManager.getLogger(PoolSizing.class);

    private final PoolConfig config;
    private final Children children;
    private final StatusFile counters;
    private final ProcReader proc;
    private final IntSupplier listenQueue;
    /** The supervisor's spawn of one child in the first free slot (backoff applies); true if one started. */
    private final LongPredicate spawnOne;
    private final Retire retire;
    private final DynamicPoolPolicy policy;
    private int target;
    /** Ondemand: the pool is full while connections wait (logged once per such episode). */
    private boolean onDemandAtMax;

    PoolSizing(PoolConfig config, Children children, StatusFile counters, ProcReader proc, IntSupplier listenQueue,
            LongPredicate spawnOne, Retire retire) {
        this.config = config;
        this.children = children;
        this.counters = counters;
        this.proc = proc;
        this.listenQueue = listenQueue;
        this.spawnOne = spawnOne;
        this.retire = retire;
        this.policy = new DynamicPoolPolicy(config.minSpare(), config.maxSpare());
        this.target = config.mode() == PoolMode.STATIC ? config.startChildren() : config.maxChildren();
    }

    int target() {
        return target;
    }

    /** The mode and its numbers, for the log. */
    String describe() {
        return switch (config.mode()) {
            case STATIC -> config.startChildren() + " children";
            case DYNAMIC -> "start " + config.startChildren() + ", spare " + config.minSpare() + "-"
                    + config.maxSpare() + ", max " + config.maxChildren();
            case ONDEMAND -> "none until a connection waits, max " + config.maxChildren() + ", idle "
                    + config.idleTimeout().toMillis() + " ms";
        };
    }

    /** SIGTTIN. */
    void grow() {
        target++;
        logTarget("SIGTTIN");
    }

    /** SIGTTOU: never below one, nor (dynamic) below --max-spare. */
    void shrink() {
        target = Math.max(Math.max(1, config.mode() == PoolMode.DYNAMIC ? config.maxSpare() : 1), target - 1);
        logTarget("SIGTTOU");
    }

    private void logTarget(String signal) {
        LOG.info("{}: {} now {}", signal, config.mode() == PoolMode.STATIC ? "children" : "max children", target);
    }

    /** After every event and at least every 100 ms. */
    void maintain(long now) {
        if (config.mode() == PoolMode.ONDEMAND) {
            spawnOnDemand(now);
        }
        if (config.mode() == PoolMode.STATIC) {
            long live = children.poolSize();
            while (live < target && spawnOne.test(now)) {
                live++;
            }
            if (live > target) {
                children.longestIdle().or(children::newest).ifPresent(c -> retire.retire(c, "SIGTTOU", now));
            }
        }
    }

    /** Once a second; {@code queue} is the listen queue as this tick measured it. */
    void tick(long now, int queue) {
        if (config.mode() == PoolMode.DYNAMIC) {
            // Connections waiting that no child has taken: whatever the children say, none is free.
            int idle = queue > 0 ? 0 : (int) children.serving().filter(Child::isIdle).count();
            int starting = (int) children.serving().filter(c -> c.state() == ChildState.STARTING).count();
            DynamicPoolPolicy.Decision decision = policy.tick(idle, starting, (int) children.poolSize(), target);
            if (decision.maxChildrenReached()) {
                counters.maxChildrenReached();
                LOG.warn("the pool reached --max-children ({}); consider raising it", target);
            }
            int started = 0;
            while (started < decision.spawn() && spawnOne.test(now)) {
                started++;
            }
            if (decision.retireIdle()) {
                retireLongestIdle(now, "more than --max-spare idle children");
            }
        }
        if (config.mode() == PoolMode.ONDEMAND) {
            retireLongestIdle(now, "idle for --idle-timeout");
        }
    }

    /**
     * Retires the child idle longest, once it has been idle for --idle-timeout. A foreign child is looked at once
     * more, just before: php-cgi dies on SIGTERM even mid-request, so it must still be waiting in accept.
     */
    private void retireLongestIdle(long now, String reason) {
        children.longestIdle()
                .filter(c -> now - c.idleSinceMillis() >= config.idleTimeout().toMillis())
                .filter(c -> config.reporting() || proc.foreignLoad(c.pid) == Child.Load.IDLE)
                .ifPresent(c -> retire.retire(c, reason, now));
    }

    /**
     * PHP-FPM's pm = ondemand, from the listen queue rather than an event per connection: while connections wait
     * that no child has taken, start one more, one at a time (the next once this one is up), up to the maximum.
     */
    private void spawnOnDemand(long now) {
        if (children.count(ChildState.STARTING) > 0) {
            return;
        }
        int queue = listenQueue.getAsInt();
        boolean full = children.poolSize() >= target;
        if (queue > 0 && full && !onDemandAtMax) {
            counters.maxChildrenReached();
            LOG.warn("the pool reached --max-children ({}) with {} connection(s) waiting; consider raising it",
                    target, queue);
        }
        onDemandAtMax = queue > 0 && full;
        if (!full && queue > 0) {
            spawnOne.test(now);
        }
    }
}
