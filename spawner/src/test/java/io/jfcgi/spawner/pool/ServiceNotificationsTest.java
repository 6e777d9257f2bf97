package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the supervisor tells its {@link StartupListener} beyond the start, which systemd hears as RELOADING=1,
 * READY=1, STOPPING=1 and STATUS=: a reload is over only when every child of before it has been replaced.
 */
class ServiceNotificationsTest {

    private final PoolHarness pool = new PoolHarness(new PoolHarness.Options());

    private List<String> toldWithoutLoad() {
        return pool.told.stream().filter(line -> !line.startsWith("load")).toList();
    }

    @Test
    void aReloadIsReloadingUntilTheLastChildIsReplaced() {
        pool.readyAll();
        pool.told.clear();
        pool.signal("HUP");
        assertEquals(List.of("reloading"), toldWithoutLoad());
        pool.later(10);
        pool.ready(pool.child(2)); // the first replacement: one old child retired, one left
        assertEquals(List.of("reloading"), toldWithoutLoad(), "one old child still serves");
        pool.later(10);
        pool.ready(pool.child(3));
        assertEquals(List.of("reloading", "reloaded"), toldWithoutLoad());
    }

    @Test
    void aReloadOfAnEmptyPoolIsOverAtOnce() {
        PoolHarness.Options options = new PoolHarness.Options();
        options.mode = io.jfcgi.spawner.PoolMode.ONDEMAND;
        options.startChildren = 0;
        PoolHarness empty = new PoolHarness(options);
        empty.signal("HUP");
        assertEquals(List.of("reloading", "reloaded"),
                empty.told.stream().filter(line -> !line.startsWith("load")).toList());
    }

    @Test
    void aStopSaysWhyOnce() {
        pool.readyAll();
        pool.told.clear();
        pool.signal("TERM");
        pool.signal("HUP");
        assertEquals(List.of("stopping SIGTERM"), toldWithoutLoad(), "no reload once stopping");
    }

    @Test
    void sigquitIsAStopToo() {
        pool.readyAll();
        pool.told.clear();
        pool.signal("QUIT");
        assertEquals(List.of("stopping SIGQUIT"), toldWithoutLoad());
    }

    @Test
    void theLoadIsToldEachTickWithIdleActiveAndTheQueue() {
        pool.readyAll();
        pool.active(pool.spawned.get(0), 1, 1, 0);
        pool.listenQueue = 3;
        pool.told.clear();
        pool.later(1000);
        assertTrue(pool.told.contains("load 1 1 3"), pool.told.toString());
        assertFalse(pool.told.stream().anyMatch(line -> !line.startsWith("load")), pool.told.toString());
    }
}
