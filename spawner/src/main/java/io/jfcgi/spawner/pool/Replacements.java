package io.jfcgi.spawner.pool;

import java.util.Comparator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Rolling replacement, so that capacity never drops: a marked child (reload, --max-requests, --max-memory,
 * --request-timeout) gets a new child in its slot, and is retired only once that one is ready. SIGHUP starts a new
 * generation, whose older children are marked one at a time. Supervisor thread, only while the pool is not
 * stopping.
 */
final class Replacements {

    private static final Logger LOG = LogManager.getLogger(Replacements.class);

    /** The supervisor's spawn in a given slot. */
    interface SpawnInSlot {
        /** Starts a child in {@code slot} unless backoff holds it back; null if none started. */
        Child spawn(int slot, long nowMillis);
    }

    private final Children children;
    private final SpawnInSlot spawn;
    private final Retire retire;
    private int generation;

    Replacements(Children children, SpawnInSlot spawn, Retire retire) {
        this.children = children;
        this.spawn = spawn;
        this.retire = retire;
    }

    /** The generation new children belong to. */
    int generation() {
        return generation;
    }

    /** SIGHUP: every child started before now is to be replaced. */
    void reload() {
        generation++;
    }

    /** Marks {@code child} for replacement, unless it already is or is stopping. */
    void mark(Child child, String reason) {
        if (child.mark(reason)) {
            LOG.info("replacing child {}: {}", child.pid, reason);
        }
    }

    /** After every event: a replacement for each marked child, then the next reload when none is under way. */
    void maintain(long now) {
        for (Child child : children.snapshot()) {
            if (child.lifecycle() == Child.Lifecycle.MARKED) {
                Child replacement = spawn.spawn(child.slot, now);
                if (replacement != null) {
                    child.replacementStarted(replacement.pid);
                }
            }
        }
        if (!children.anyBeingReplaced()) {
            children.serving().filter(c -> c.generation < generation)
                    .min(Comparator.comparingLong(c -> c.startedAtMillis))
                    .ifPresent(c -> mark(c, "reload"));
        }
    }

    /** True once no child started before the last SIGHUP still serves: each is replaced, or stopping. */
    boolean reloadDone() {
        return !children.anyBeingReplaced()
                && children.stream().noneMatch(c -> !c.isStopping() && c.generation < generation);
    }

    /** {@code child} is ready: the children it replaces are retired. */
    void booted(Child child, long now) {
        for (Child old : children.snapshot()) {
            if (old.isReplacedBy(child.pid)) {
                retire.retire(old, old.reason() + "; replaced by child " + child.pid, now);
            }
        }
    }
}
