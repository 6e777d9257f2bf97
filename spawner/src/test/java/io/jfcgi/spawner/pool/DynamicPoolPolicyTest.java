package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PHP-FPM's pm = dynamic tick (fpm_process_ctl.c), one decision per row: spares 2..4, max children 8. */
class DynamicPoolPolicyTest {

    @ParameterizedTest(name = "idle {0}, starting {1}, running {2} -> spawn {3}, retire {4}, max reached {5}")
    @CsvSource({
        // idle, starting, running, spawn, retire, maxReached
        "2, 0, 2, 0, false, false",   // at the lower bound: nothing to do
        "4, 0, 4, 0, false, false",   // at the upper bound: nothing to do
        "3, 0, 6, 0, false, false",   // between the bounds, whatever is busy
        "5, 0, 5, 0, true,  false",   // one idle child too many: retire one
        "8, 0, 8, 0, true,  false",   // four too many: still one per tick
        "1, 0, 1, 1, false, false",   // short of one spare: spawn one (rate 1)
        "0, 0, 6, 1, false, false",   // short of two, first tick: the rate starts at 1
        "1, 1, 2, 0, false, false",   // a starting child is a spare to come: no second spawn for it
        "0, 2, 4, 0, false, false",   // two JVMs warming up cover the shortfall
        "0, 0, 8, 0, false, true",    // short but full: max children reached
        "0, 0, 7, 1, false, false",   // short of two, one place left: one
    })
    void oneTickDecidesFromTheCounts(int idle, int starting, int running, int spawn, boolean retire,
            boolean maxReached) {
        DynamicPoolPolicy policy = new DynamicPoolPolicy(2, 4);
        assertEquals(new DynamicPoolPolicy.Decision(spawn, retire, maxReached),
                policy.tick(idle, starting, running, 8));
    }

    @Test
    void spawnRateDoublesWhileThePoolStaysShortUpToThirtyTwo() {
        DynamicPoolPolicy policy = new DynamicPoolPolicy(100, 100);
        List<Integer> spawned = new java.util.ArrayList<>();
        for (int tick = 0; tick < 8; tick++) {
            spawned.add(policy.tick(0, 0, 0, 1000).spawn());
        }
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 32, 32), spawned);
    }

    @Test
    void spawnRateFallsBackToOneOnceTheSparesAreMet() {
        DynamicPoolPolicy policy = new DynamicPoolPolicy(10, 10);
        policy.tick(0, 0, 0, 100);
        policy.tick(0, 0, 0, 100);
        policy.tick(10, 0, 10, 100); // satisfied
        assertEquals(1, policy.tick(0, 0, 10, 100).spawn());
    }

    @Test
    void spawnNeverExceedsTheShortfallOrTheRoomLeft() {
        DynamicPoolPolicy policy = new DynamicPoolPolicy(5, 8);
        policy.tick(0, 0, 0, 100); // rate now 2
        policy.tick(0, 0, 0, 100); // rate now 4
        assertEquals(3, policy.tick(2, 0, 2, 100).spawn(), "three short");
        assertEquals(1, new DynamicPoolPolicy(5, 8).tick(0, 0, 5, 6).spawn(), "one place left");
    }

    @Test
    void maxChildrenReachedIsReportedOncePerEpisode() {
        DynamicPoolPolicy policy = new DynamicPoolPolicy(2, 4);
        assertEquals(true, policy.tick(0, 0, 8, 8).maxChildrenReached());
        assertEquals(false, policy.tick(0, 0, 8, 8).maxChildrenReached(), "same episode");
        policy.tick(2, 0, 8, 8); // relieved
        assertEquals(true, policy.tick(0, 0, 8, 8).maxChildrenReached(), "a new episode");
    }

    @Test
    void aSpawnRateAboveTheShortfallSpawnsOnlyTheShortfall() {
        DynamicPoolPolicy policy = new DynamicPoolPolicy(5, 8);
        policy.tick(0, 0, 0, 100); // rate 1, then 2
        policy.tick(0, 0, 0, 100); // rate 2, then 4
        assertEquals(1, policy.tick(4, 0, 4, 100).spawn(), "one short at rate 4");
    }

    @Test
    void aSpawnRateAboveTheRoomLeftSpawnsOnlyIntoTheRoom() {
        DynamicPoolPolicy policy = new DynamicPoolPolicy(5, 8);
        policy.tick(0, 0, 0, 100);
        policy.tick(0, 0, 0, 100);
        assertEquals(1, policy.tick(0, 0, 5, 6).spawn(), "five short, one place left, at rate 4");
    }
}
