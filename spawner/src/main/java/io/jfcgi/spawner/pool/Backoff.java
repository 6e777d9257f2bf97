package io.jfcgi.spawner.pool;

/**
 * Exponential respawn delay after unexpected deaths: 0 for the first, then 100 ms doubling up to 30 s, and back
 * to 0 once a child has run for {@link #STABLE_MILLIS}. One per slot and one for the whole pool, so that neither a
 * single crashing child nor a crashing program can set off a respawn storm.
 */
final class Backoff {

    static final long FIRST_DELAY_MILLIS = 100;
    static final long MAX_DELAY_MILLIS = 30_000;
    static final long STABLE_MILLIS = 10_000;

    private int failures;
    private long notBeforeMillis;

    /** Records a death at {@code nowMillis} of a child that had run {@code livedMillis}. */
    void died(long nowMillis, long livedMillis) {
        if (livedMillis >= STABLE_MILLIS) {
            failures = 0;
        }
        failures++;
        notBeforeMillis = nowMillis + delayMillis(failures);
    }

    boolean allows(long nowMillis) {
        return nowMillis >= notBeforeMillis;
    }

    static long delayMillis(int failures) {
        if (failures <= 1) {
            return 0;
        }
        long delay = FIRST_DELAY_MILLIS << Math.min(failures - 2, 20);
        return Math.min(delay, MAX_DELAY_MILLIS);
    }
}
