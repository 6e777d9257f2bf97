package io.jfcgi.spawner.pool;

import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The live children by pid, in start order, and the questions the supervisor asks of them. Supervisor thread. */
final class Children implements Iterable<Child> {

    private final Map<Integer, Child> byPid = new LinkedHashMap<>();

    void add(Child child) {
        byPid.put(child.pid, child);
    }

    /** The child with {@code pid}, or null when it is not ours. */
    Child get(int pid) {
        return byPid.get(pid);
    }

    Child remove(int pid) {
        return byPid.remove(pid);
    }

    int size() {
        return byPid.size();
    }

    boolean isEmpty() {
        return byPid.isEmpty();
    }

    @Override
    public Iterator<Child> iterator() {
        return byPid.values().iterator();
    }

    /** A copy, to go through while children are retired or started. */
    List<Child> snapshot() {
        return List.copyOf(byPid.values());
    }

    Stream<Child> stream() {
        return byPid.values().stream();
    }

    /** The children the pool keeps: neither being replaced nor stopping. */
    Stream<Child> serving() {
        return stream().filter(c -> c.lifecycle() == Child.Lifecycle.RUNNING);
    }

    /**
     * The children that count towards the pool's size: the serving ones, and those being replaced whose
     * replacement has not started yet (once it has, the replacement counts in their place).
     */
    long poolSize() {
        return stream().filter(c -> c.lifecycle() == Child.Lifecycle.RUNNING
                || c.lifecycle() == Child.Lifecycle.MARKED).count();
    }

    long count(ChildState state) {
        return stream().filter(c -> c.state() == state).count();
    }

    boolean anyBeingReplaced() {
        return stream().anyMatch(c -> c.lifecycle() == Child.Lifecycle.MARKED
                || c.lifecycle() == Child.Lifecycle.REPLACING);
    }

    /** The lowest slot no serving child holds. */
    int freeSlot() {
        for (int slot = 0;; slot++) {
            final int s = slot;
            if (serving().noneMatch(c -> c.slot == s)) {
                return slot;
            }
        }
    }

    /** The serving child idle longest, if any is idle. */
    Optional<Child> longestIdle() {
        return serving().filter(Child::isIdle).min(Comparator.comparingLong(Child::idleSinceMillis));
    }

    /** The serving child started last. */
    Optional<Child> newest() {
        return serving().max(Comparator.comparingLong(c -> c.startedAtMillis));
    }
}
