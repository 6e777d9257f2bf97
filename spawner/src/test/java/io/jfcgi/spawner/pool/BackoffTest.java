package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The respawn delay after a run of unexpected deaths. */
class BackoffTest {

    @ParameterizedTest(name = "death {0} -> wait {1} ms")
    @CsvSource({
        "1, 0",        // the first death is replaced at once (kill -9, OOM)
        "2, 100",
        "3, 200",
        "4, 400",
        "10, 25600",
        "11, 30000",   // capped
        "100, 30000",
    })
    void delayDoublesFromOneHundredMillisecondsToThirtySeconds(int failures, long delayMillis) {
        assertEquals(delayMillis, Backoff.delayMillis(failures));
    }

    @Test
    void firstDeathAllowsARespawnAtOnce() {
        Backoff backoff = new Backoff();
        backoff.died(1_000, 50);
        assertTrue(backoff.allows(1_000));
    }

    @Test
    void secondQuickDeathHoldsTheRespawnBackOneHundredMilliseconds() {
        Backoff backoff = new Backoff();
        backoff.died(1_000, 50);
        backoff.died(1_010, 10);
        assertFalse(backoff.allows(1_109));
        assertTrue(backoff.allows(1_110));
    }

    @Test
    void aChildThatRanTenSecondsResetsTheRun() {
        Backoff backoff = new Backoff();
        for (int i = 0; i < 6; i++) {
            backoff.died(1_000, 10);
        }
        backoff.died(50_000, Backoff.STABLE_MILLIS);
        assertTrue(backoff.allows(50_000));
    }

    @Test
    void aFreshBackoffAllowsEverything() {
        assertTrue(new Backoff().allows(0));
    }
}
