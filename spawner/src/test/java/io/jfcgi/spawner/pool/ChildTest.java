package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Child's two state machines, walked transition by transition, and the status label derived from them. */
class ChildTest {

    private static final int REPLACEMENT = 200;

    static Child child() {
        return new Child(100, 0, 0, 1000, 0, OutputStream.nullOutputStream());
    }

    /** A fresh child taken to {@code state} the usual way. */
    static Child in(Child.Lifecycle state) {
        Child child = child();
        switch (state) {
            case RUNNING -> {
            }
            case MARKED -> child.mark("reload");
            case REPLACING -> {
                child.mark("reload");
                child.replacementStarted(REPLACEMENT);
            }
            case STOPPING -> child.retire("SIGTERM", 5000);
            case FROZEN -> child.freeze("silent", 5000);
            case KILLED -> child.kill();
        }
        assertEquals(state, child.lifecycle());
        return child;
    }

    static boolean apply(Child child, String transition) {
        return switch (transition) {
            case "mark" -> child.mark("max-requests");
            case "replacementStarted" -> child.replacementStarted(REPLACEMENT);
            case "replacementGone" -> child.replacementGone(REPLACEMENT);
            case "retire" -> child.retire("stop", 5000);
            case "freeze" -> child.freeze("silent", 5000);
            case "kill" -> child.kill();
            default -> throw new IllegalArgumentException(transition);
        };
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource({
        // from, transition, to (the same state: refused, and false returned)
        "RUNNING,   mark,               MARKED",
        "RUNNING,   replacementStarted, RUNNING",
        "RUNNING,   replacementGone,    RUNNING",
        "RUNNING,   retire,             STOPPING",
        "RUNNING,   freeze,             FROZEN",
        "RUNNING,   kill,               KILLED",
        "MARKED,    mark,               MARKED",
        "MARKED,    replacementStarted, REPLACING",
        "MARKED,    replacementGone,    MARKED",
        "MARKED,    retire,             STOPPING",
        "MARKED,    freeze,             FROZEN",
        "MARKED,    kill,               KILLED",
        "REPLACING, mark,               REPLACING",
        "REPLACING, replacementStarted, REPLACING",
        "REPLACING, replacementGone,    MARKED",
        "REPLACING, retire,             STOPPING",
        "REPLACING, freeze,             FROZEN",
        "REPLACING, kill,               KILLED",
        "STOPPING,  mark,               STOPPING",
        "STOPPING,  replacementStarted, STOPPING",
        "STOPPING,  replacementGone,    STOPPING",
        "STOPPING,  retire,             STOPPING",
        "STOPPING,  freeze,             STOPPING",
        "STOPPING,  kill,               KILLED",
        "FROZEN,    mark,               FROZEN",
        "FROZEN,    replacementStarted, FROZEN",
        "FROZEN,    replacementGone,    FROZEN",
        "FROZEN,    retire,             FROZEN",
        "FROZEN,    freeze,             FROZEN",
        "FROZEN,    kill,               KILLED",
        "KILLED,    mark,               KILLED",
        "KILLED,    replacementStarted, KILLED",
        "KILLED,    replacementGone,    KILLED",
        "KILLED,    retire,             KILLED",
        "KILLED,    freeze,             KILLED",
        "KILLED,    kill,               KILLED",
    })
    void lifecycleTransitions(Child.Lifecycle from, String transition, Child.Lifecycle to) {
        Child child = in(from);
        assertEquals(from != to, apply(child, transition));
        assertEquals(to, child.lifecycle());
    }

    @Test
    void onlyItsOwnReplacementsExitPutsAReplacingChildBackToMarked() {
        Child child = in(Child.Lifecycle.REPLACING);
        assertFalse(child.replacementGone(REPLACEMENT + 1));
        assertTrue(child.isReplacedBy(REPLACEMENT));
        assertFalse(child.isReplacedBy(REPLACEMENT + 1));
    }

    @Test
    void aKilledChildKeepsTheReasonItWasStoppedForElseIsKilled() {
        Child stopping = in(Child.Lifecycle.STOPPING);
        stopping.kill();
        assertEquals("SIGTERM", stopping.reason());
        Child marked = in(Child.Lifecycle.MARKED);
        marked.kill();
        assertEquals("killed", marked.reason());
    }

    @ParameterizedTest
    @CsvSource({"STOPPING", "FROZEN"})
    void aStoppingOrFrozenChildIsOverdueAtItsDeadlineUntilKilled(Child.Lifecycle state) {
        Child child = in(state);
        assertFalse(child.isOverdue(4999));
        assertTrue(child.isOverdue(5000));
        child.kill();
        assertFalse(child.isOverdue(9999));
        assertEquals(state == Child.Lifecycle.STOPPING ? "SIGTERM" : "silent", child.reason());
    }

    @ParameterizedTest(name = "{0} with {1} in flight -> {2}")
    @CsvSource({
        "RUNNING,   -1, Starting",
        "RUNNING,    0, Idle",
        "RUNNING,    2, Busy",
        "MARKED,     2, Busy",
        "REPLACING, -1, Starting",
        "STOPPING,   0, Stopping",
        "FROZEN,     1, Stopping",
        "KILLED,     2, Stopping",
    })
    void theStatusLabelIsStoppingOnceToldToStopElseTheLoad(Child.Lifecycle lifecycle, int inFlight, String label) {
        Child child = in(lifecycle);
        if (inFlight >= 0) {
            child.boot(1000);
            child.report(inFlight, 0, 0, 1000);
        }
        assertEquals(label, child.state().label());
    }

    @Test
    void bootingIsLeftOnceAndStartsTheIdleClock() {
        Child child = child();
        assertTrue(child.boot(1500));
        assertFalse(child.boot(1600));
        assertEquals(1500, child.idleSinceMillis());
    }

    @Test
    void theIdleClockRestartsOnlyWhenTheChildBecomesIdle() {
        Child child = child();
        child.boot(1500);
        child.report(0, 1, 0, 1700);
        assertEquals(1500, child.idleSinceMillis(), "idle already");
        child.report(1, 1, 0, 1800);
        child.observe(Child.Load.IDLE, 1900);
        assertEquals(1900, child.idleSinceMillis());
    }

    @Test
    void aRequestTimesOutOnceByItsReportedAgePlusTheTimeSinceTheReport() {
        Child child = child();
        child.boot(1000);
        child.report(1, 0, 4000, 2000);
        assertFalse(child.requestTimedOut(3000, 5000), "4000 + 1000 is not over 5000");
        assertTrue(child.requestTimedOut(3001, 5000));
        assertFalse(child.requestTimedOut(9000, 5000), "once per child");
    }

    @Test
    void aRequestReportedAtZeroMillisAgesByOurClockAlone() {
        Child child = child();
        child.boot(1000);
        child.report(1, 0, 0, 2000); // it began just before the line, and then the child froze
        assertFalse(child.requestTimedOut(7000, 5000));
        assertTrue(child.requestTimedOut(7001, 5000));
        assertEquals(5001, child.requestAgeMillis(7001));
    }

    @Test
    void silenceIsNotMeasuredUntilTheFirstAliveThenFromTheLastLineOfAnyKind() {
        Child child = child();
        child.heard(2000);
        assertEquals(0, child.silentMillis(60_000), "an older child, without alive, is never silent");
        child.alive();
        assertEquals(58_000, child.silentMillis(60_000));
        child.heard(59_000);
        assertEquals(1000, child.silentMillis(60_000));
    }

    @Test
    void noRequestInFlightNeverTimesOut() {
        Child child = child();
        child.boot(1000);
        child.report(0, 5, 0, 2000);
        assertFalse(child.requestTimedOut(1_000_000, 5000));
    }

    @Test
    void aChildNeverHeardHasNoHeartbeatAgeAndOneHeardHasTheTimeSince() {
        Child child = child();
        assertFalse(child.hasBeenHeard());
        assertEquals(-1, child.heartbeatAgeMillis(5_000));
        child.heard(4_000);
        assertTrue(child.hasBeenHeard());
        assertEquals(1_000, child.heartbeatAgeMillis(5_000));
    }

    @Test
    void anActiveReportGivesItsCountsAndTheLoad() {
        Child child = child();
        child.boot(1_000);
        child.report(2, 17, 0, 2_000);
        assertEquals(2, child.inFlight());
        assertEquals(17, child.served());
        assertFalse(child.isIdle());
        child.report(0, 18, 0, 3_000);
        assertTrue(child.isIdle());
        assertEquals("child 100 (RUNNING, IDLE)", child.toString());
    }

    @Test
    void theLastRequestIsKeptForTheStatusPage() {
        Child child = child();
        child.lastRequest("POST", "/form");
        assertEquals("POST", child.lastMethod());
        assertEquals("/form", child.lastUri());
    }
}
