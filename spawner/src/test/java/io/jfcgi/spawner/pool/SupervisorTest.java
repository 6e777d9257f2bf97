package io.jfcgi.spawner.pool;

import static io.jfcgi.spawner.pool.PoolHarness.EXIT_0;
import static io.jfcgi.spawner.pool.PoolHarness.exitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.codec.supervision.StatusMessage;
import io.jfcgi.spawner.PoolMode;
import io.jfcgi.spawner.os.Posix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's decisions, event by event, without processes ({@link PoolHarness}): what is spawned, signalled
 * and retired, for the static, dynamic and ondemand pools.
 */
class SupervisorTest {

    private static PoolHarness.Options options() {
        return new PoolHarness.Options();
    }

    private static PoolHarness staticPool(int children) {
        PoolHarness.Options options = options();
        options.startChildren = children;
        return new PoolHarness(options);
    }

    private static long count(PoolHarness pool, int signal) {
        return pool.signals.stream().filter(s -> s.signal() == signal).count();
    }

    // Static pool: filling, respawning, giving up.

    @Test
    void staticPoolStartsItsChildrenInSlotsZeroToNMinusOne() {
        PoolHarness pool = staticPool(3);
        assertEquals(List.of(0, 1, 2), pool.spawned.stream().map(c -> c.slot).toList());
        pool.turns(2000);
        assertEquals(3, pool.spawned.size());
    }

    @Test
    void startupIsReportedOnceEveryFirstChildIsReady() {
        PoolHarness pool = staticPool(2);
        pool.ready(pool.child(0));
        assertEquals(0, pool.servingReports);
        pool.ready(pool.child(1));
        pool.ready(pool.child(1));
        assertEquals(1, pool.servingReports);
    }

    @Test
    void aChildThatDiesAfterReadyIsRespawnedAtOnceThenWithBackoff() {
        PoolHarness pool = staticPool(1);
        pool.ready(pool.child(0));
        pool.later(20_000);
        pool.exits(pool.child(0), exitStatus(1));
        assertEquals(2, pool.spawned.size(), "the first death: no delay");
        assertEquals(0, pool.child(1).slot);
        pool.ready(pool.child(1));
        pool.exits(pool.child(1), exitStatus(1));
        assertEquals(2, pool.spawned.size(), "the second in a row waits 100 ms");
        pool.later(50);
        assertEquals(2, pool.spawned.size());
        pool.later(50);
        assertEquals(3, pool.spawned.size());
    }

    @Test
    void repeatedBootFailuresGiveUpWithTheProgramsExitStatus() {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.maxBootFailures = 3;
        PoolHarness pool = new PoolHarness(options);
        for (int i = 0; i < 3; i++) {
            pool.exits(pool.child(i), exitStatus(7));
            pool.turns(1000);
        }
        assertEquals(3, pool.spawned.size());
        assertEquals(7, pool.failureCode);
        assertTrue(pool.failure.startsWith("3 children exited before serving"), pool.failure);
        assertEquals(7, pool.supervisor.exitCode());
        assertTrue(pool.supervisor.isFinished());
    }

    @Test
    void aReadyChildResetsTheBootFailureCount() {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.maxBootFailures = 2;
        PoolHarness pool = new PoolHarness(options);
        pool.exits(pool.child(0), exitStatus(7));
        pool.ready(pool.child(1));
        pool.later(20_000);
        pool.exits(pool.child(1), exitStatus(7));
        pool.exits(pool.child(2), exitStatus(7));
        assertNull(pool.failure, "one boot failure since the last ready child");
    }

    @Test
    void aCleanExitAfter100MillisIsARecycleReplacedAtOnceWithoutBackoff() {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.maxBootFailures = 1;
        PoolHarness pool = new PoolHarness(options);
        for (int i = 0; i < 3; i++) {
            pool.later(150);
            pool.exits(pool.child(i), EXIT_0);
            assertEquals(i + 2, pool.spawned.size());
        }
        assertNull(pool.failure);
    }

    @Test
    void aCleanExitAtOnceIsABootFailure() {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.maxBootFailures = 1;
        PoolHarness pool = new PoolHarness(options);
        pool.later(50);
        pool.exits(pool.child(0), EXIT_0);
        assertEquals(1, pool.failureCode, "status 0 is no exit code for a failure");
    }

    @Test
    void anOrphanReapedAsPidOneChangesNothing() {
        PoolHarness pool = staticPool(1);
        pool.supervisor.step(new Event.Exited(4242, exitStatus(1)), pool.now);
        assertEquals(1, pool.spawned.size());
        assertTrue(pool.signals.isEmpty());
    }

    // Rolling replacement: HUP, --max-requests, --max-memory, --request-timeout.

    @Test
    void hupReplacesChildrenOneAtATimeRetiringEachOnceItsReplacementIsReady() {
        PoolHarness pool = staticPool(2);
        pool.readyAll();
        Child a = pool.child(0);
        Child b = pool.child(1);
        pool.signal("HUP");
        pool.later(10);
        assertEquals(3, pool.spawned.size());
        Child c = pool.child(2);
        assertEquals(a.slot, c.slot);
        assertEquals(Child.Lifecycle.RUNNING, b.lifecycle(), "one at a time");
        pool.turns(2000);
        assertTrue(pool.signals.isEmpty(), "capacity never drops: the old one serves until the new one is ready");
        pool.ready(c);
        assertEquals(List.of(new PoolHarness.Signal(a.pid, Posix.SIGTERM)), pool.signals);
        pool.later(10);
        Child d = pool.child(3);
        assertEquals(b.slot, d.slot);
        assertFalse(pool.got(b, Posix.SIGTERM));
        pool.ready(d);
        assertTrue(pool.got(b, Posix.SIGTERM));
        pool.stoppedOnesExit();
        pool.turns(2000);
        assertEquals(4, pool.spawned.size());
        assertEquals(2, count(pool, Posix.SIGTERM));
    }

    @Test
    void aReplacementThatDiesBeforeReadyIsReplacedAndTheOldChildKeepsServing() {
        PoolHarness pool = staticPool(1);
        pool.ready(pool.child(0));
        pool.signal("HUP");
        pool.later(10);
        pool.exits(pool.child(1), exitStatus(1));
        assertEquals(3, pool.spawned.size());
        assertTrue(pool.signals.isEmpty());
        pool.ready(pool.child(2));
        assertTrue(pool.got(pool.child(0), Posix.SIGTERM));
    }

    @Test
    void maxRequestsMarksAChildForReplacementOnceItHasServedThatMany() {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.maxRequests = 10;
        PoolHarness pool = new PoolHarness(options);
        Child a = pool.child(0);
        pool.active(a, 0, 9, 0);
        pool.later(10);
        assertEquals(1, pool.spawned.size());
        pool.active(a, 0, 10, 0);
        pool.later(10);
        assertEquals(2, pool.spawned.size());
        pool.ready(pool.child(1));
        assertTrue(pool.got(a, Posix.SIGTERM));
    }

    @Test
    void maxMemoryMarksAChildWhoseRssIsAboveTheLimitAtATick() {
        PoolHarness.Options options = options();
        options.startChildren = 2;
        options.maxMemoryMiB = 100;
        PoolHarness pool = new PoolHarness(options);
        pool.readyAll();
        pool.rssKiB.put(pool.child(0).pid, 100 * 1024L);
        pool.rssKiB.put(pool.child(1).pid, 100 * 1024L + 1);
        pool.later(1000);
        assertEquals(Child.Lifecycle.RUNNING, pool.child(0).lifecycle(), "at the limit is not above it");
        assertEquals(Child.Lifecycle.MARKED, pool.child(1).lifecycle());
        pool.later(10);
        pool.ready(pool.child(2));
        assertEquals(List.of(new PoolHarness.Signal(pool.child(1).pid, Posix.SIGTERM)), pool.signals);
    }

    @Test
    void requestTimeoutAsksForAThreadDumpAndReplacesTheChild() {
        PoolHarness pool = requestTimeoutPool();
        Child a = pool.child(0);
        pool.active(a, 1, 0, 3000);
        pool.later(1000);
        pool.active(a, 1, 0, 5000);
        assertTrue(pool.signals.isEmpty(), "5000 ms is not over 5 s");
        pool.later(100);
        assertEquals(List.of(new PoolHarness.Signal(a.pid, Posix.SIGQUIT)), pool.signals);
        assertEquals(2, pool.spawned.size());
        pool.ready(pool.child(1));
        assertTrue(pool.got(a, Posix.SIGTERM));
    }

    @Test
    void requestTimeoutCatchesAChildThatStoppedReportingOnce() {
        PoolHarness pool = requestTimeoutPool();
        Child a = pool.child(0);
        pool.active(a, 1, 0, 100);
        pool.turns(4800);
        assertTrue(pool.signals.isEmpty());
        pool.turns(200);
        assertEquals(1, count(pool, Posix.SIGQUIT));
        pool.turns(10_000);
        assertEquals(1, count(pool, Posix.SIGQUIT), "one thread dump per child");
    }

    @Test
    void requestTimeoutCatchesAChildThatFrozeJustAfterReportingANewRequest() {
        PoolHarness pool = requestTimeoutPool();
        Child a = pool.child(0);
        pool.active(a, 1, 0, 0); // a request of 0 ms: the age now comes from our clock alone
        pool.turns(5000);
        assertTrue(pool.signals.isEmpty());
        pool.turns(100);
        assertEquals(List.of(new PoolHarness.Signal(a.pid, Posix.SIGQUIT)), pool.signals);
        assertEquals(Child.Lifecycle.REPLACING, a.lifecycle());
    }

    private static PoolHarness requestTimeoutPool() {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.requestTimeout = Duration.ofSeconds(5);
        PoolHarness pool = new PoolHarness(options);
        pool.ready(pool.child(0));
        return pool;
    }

    // Liveness: --heartbeat-timeout.

    /** One ready child that has sent its first alive, in a pool that judges a silence over 5 s. */
    private static PoolHarness heartbeatPool() {
        return heartbeatPool(Duration.ofSeconds(5), true);
    }

    private static PoolHarness heartbeatPool(Duration timeout, boolean sendsAlive) {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.heartbeatTimeout = timeout;
        PoolHarness pool = new PoolHarness(options);
        pool.ready(pool.child(0));
        if (sendsAlive) {
            pool.alive(pool.child(0));
        }
        return pool;
    }

    @Test
    void aChildThatFallsSilentGetsSigquitThenSigkillAfterTheGraceAndANewChildTakesItsSlot() {
        PoolHarness pool = heartbeatPool();
        Child frozen = pool.child(0);
        pool.turns(5000);
        assertTrue(pool.signals.isEmpty(), "5 s of silence is not over 5 s");
        pool.turns(100);
        assertEquals(List.of(new PoolHarness.Signal(frozen.pid, Posix.SIGQUIT)), pool.signals);
        assertEquals(Child.Lifecycle.FROZEN, frozen.lifecycle());
        assertEquals(2, pool.spawned.size(), "a new child at once, not after the kill");
        assertEquals(frozen.slot, pool.child(1).slot);
        pool.turns(Supervisor.FROZEN_KILL_GRACE_MILLIS - 100);
        assertFalse(pool.got(frozen, Posix.SIGKILL), "a JVM that can still run has time for its thread dump");
        pool.turns(100);
        assertTrue(pool.got(frozen, Posix.SIGKILL));
        pool.exits(frozen, Posix.SIGKILL);
        pool.ready(pool.child(1));
        pool.turns(2000);
        assertEquals(2, pool.spawned.size(), "its exit was expected: no second replacement");
        assertEquals(1, count(pool, Posix.SIGQUIT));
    }

    @Test
    void aChildThatKeepsItsHeartbeatIsLeftAloneIdleOrBusy() {
        PoolHarness pool = heartbeatPool();
        Child a = pool.child(0);
        for (int second = 0; second < 60; second++) {
            if (second == 20) {
                pool.active(a, 1, 0, 0);
            }
            pool.turns(1000);
            pool.alive(a);
        }
        assertTrue(pool.signals.isEmpty());
        assertEquals(1, pool.spawned.size());
        assertEquals(Child.Lifecycle.RUNNING, a.lifecycle());
    }

    @Test
    void aChildThatNeverSentAliveIsNotJudgedByItsSilence() {
        PoolHarness pool = heartbeatPool(Duration.ofSeconds(5), false); // an older jfcgi: ready and active only
        pool.active(pool.child(0), 0, 3, 0);
        pool.turns(60_000);
        assertTrue(pool.signals.isEmpty());
        assertEquals(1, pool.spawned.size());
    }

    @Test
    void aPauseOfTheLaunchersOwnIsNotCountedAsTheChildsSilence() {
        PoolHarness pool = heartbeatPool();
        pool.later(60_000); // the launcher frozen with its children, then thawed before its readers catch up
        assertTrue(pool.signals.isEmpty());
        pool.turns(5000);
        assertTrue(pool.signals.isEmpty(), "5 s since the launcher woke is not over 5 s");
        pool.turns(100);
        assertEquals(1, count(pool, Posix.SIGQUIT), "silent since then: frozen");
    }

    @Test
    void heartbeatTimeoutZeroJudgesNoSilence() {
        PoolHarness pool = heartbeatPool(Duration.ZERO, true);
        pool.turns(60_000);
        assertTrue(pool.signals.isEmpty());
    }

    @Test
    void aFrozenChildIsKilledAtItsDeadlineEvenWhenThePoolStopsMeanwhile() {
        PoolHarness pool = heartbeatPool();
        Child frozen = pool.child(0);
        pool.turns(5100);
        pool.signal("TERM");
        assertFalse(pool.got(frozen, Posix.SIGTERM), "SIGKILL is on its way");
        pool.turns(Supervisor.FROZEN_KILL_GRACE_MILLIS);
        assertTrue(pool.got(frozen, Posix.SIGKILL));
    }

    // Dynamic pool.

    private static PoolHarness dynamicPool(int start) {
        PoolHarness.Options options = options();
        options.mode = PoolMode.DYNAMIC;
        options.startChildren = start;
        options.minSpare = 1;
        options.maxSpare = 3;
        options.maxChildren = 8;
        PoolHarness pool = new PoolHarness(options);
        pool.readyAll();
        return pool;
    }

    @Test
    void dynamicPoolGrowsAtATickWhenNoChildIsIdle() {
        PoolHarness pool = dynamicPool(2);
        pool.active(pool.child(0), 1, 0, 0);
        pool.active(pool.child(1), 1, 0, 0);
        pool.later(999);
        assertEquals(2, pool.spawned.size());
        pool.later(1);
        assertEquals(3, pool.spawned.size());
    }

    @Test
    void dynamicPoolCountsNoChildIdleWhileConnectionsWaitInTheListenQueue() {
        PoolHarness pool = dynamicPool(2);
        pool.listenQueue = 4;
        pool.later(1000);
        assertEquals(3, pool.spawned.size());
    }

    @Test
    void dynamicPoolRetiresOneIdleChildPerTickBeyondMaxSpareOnceIdleForTheTimeout() {
        PoolHarness pool = dynamicPool(5);
        pool.turns(9900);
        assertTrue(pool.signals.isEmpty(), "idle, but not for --idle-timeout yet");
        pool.turns(100);
        assertEquals(1, count(pool, Posix.SIGTERM));
        pool.turns(1000);
        assertEquals(2, count(pool, Posix.SIGTERM));
        pool.turns(5000);
        assertEquals(2, count(pool, Posix.SIGTERM), "three idle is within --max-spare");
    }

    // Ondemand pool.

    private static PoolHarness onDemandPool(boolean reporting) {
        PoolHarness.Options options = options();
        options.mode = PoolMode.ONDEMAND;
        options.startChildren = 0;
        options.maxChildren = 2;
        options.reporting = reporting;
        return new PoolHarness(options);
    }

    @Test
    void onDemandPoolServesAtOnceAndSpawnsOneAtATimeWhileConnectionsWait() {
        PoolHarness pool = onDemandPool(true);
        assertEquals(1, pool.servingReports);
        pool.turns(2000);
        assertTrue(pool.spawned.isEmpty());
        pool.listenQueue = 3;
        pool.later(100);
        pool.later(100);
        assertEquals(1, pool.spawned.size(), "the next once this one is up");
        pool.ready(pool.child(0));
        assertEquals(2, pool.spawned.size());
        pool.ready(pool.child(1));
        pool.turns(2000);
        assertEquals(2, pool.spawned.size(), "--max-children");
    }

    @Test
    void onDemandPoolRetiresAChildIdleForTheIdleTimeout() {
        PoolHarness pool = onDemandPool(true);
        pool.listenQueue = 1;
        pool.later(100);
        pool.ready(pool.child(0));
        pool.listenQueue = 0;
        pool.turns(9000);
        assertTrue(pool.signals.isEmpty());
        pool.turns(2000);
        assertEquals(List.of(new PoolHarness.Signal(pool.child(0).pid, Posix.SIGTERM)), pool.signals);
    }

    @Test
    void aForeignChildIsRetiredOnlyWhileProcShowsItWaitingInAccept() {
        PoolHarness pool = onDemandPool(false);
        pool.listenQueue = 1;
        pool.later(100);
        Child php = pool.child(0);
        pool.listenQueue = 0;
        pool.foreignLoad.put(php.pid, Child.Load.IDLE);
        pool.later(100);
        assertTrue(php.isBooted(), "in accept on fd 0: booted");
        pool.foreignLoad.put(php.pid, Child.Load.BUSY);
        pool.turns(15_000);
        assertTrue(pool.signals.isEmpty(), "busy as /proc shows it");
        pool.foreignLoad.put(php.pid, Child.Load.IDLE);
        pool.turns(11_000);
        assertTrue(pool.got(php, Posix.SIGTERM));
    }

    @Test
    void aForeignChildWithoutProcCountsAsBootedAfterOneSecond() {
        PoolHarness.Options options = options();
        options.startChildren = 1;
        options.reporting = false;
        PoolHarness pool = new PoolHarness(options);
        pool.turns(900);
        assertFalse(pool.child(0).isBooted());
        pool.turns(100);
        assertTrue(pool.child(0).isBooted());
        assertEquals(1, pool.servingReports);
    }

    // Stopping and resizing by signal.

    @Test
    void termRetiresAllAndKillsWhatIsLeftAtTheStopTimeout() {
        PoolHarness.Options options = options();
        options.stopTimeout = Duration.ofSeconds(5);
        PoolHarness pool = new PoolHarness(options);
        pool.readyAll();
        pool.signal("TERM");
        assertEquals(2, count(pool, Posix.SIGTERM));
        pool.exits(pool.child(0), Posix.SIGTERM);
        pool.turns(4900);
        assertEquals(0, count(pool, Posix.SIGKILL));
        assertEquals(2, pool.spawned.size(), "no respawn while stopping");
        pool.turns(100);
        assertTrue(pool.got(pool.child(1), Posix.SIGKILL));
        assertFalse(pool.got(pool.child(0), Posix.SIGKILL), "it had already stopped");
        assertFalse(pool.supervisor.isFinished());
        pool.exits(pool.child(1), Posix.SIGKILL);
        assertTrue(pool.supervisor.isFinished());
        assertEquals(0, pool.supervisor.exitCode());
    }

    @Test
    void aSecondTermKillsAtOnce() {
        PoolHarness pool = staticPool(2);
        pool.signal("TERM");
        pool.signal("INT");
        assertEquals(2, count(pool, Posix.SIGKILL));
    }

    @Test
    void quitKillsAllAtOnce() {
        PoolHarness pool = staticPool(2);
        pool.readyAll();
        pool.signal("QUIT");
        assertEquals(2, count(pool, Posix.SIGKILL));
        assertEquals(0, count(pool, Posix.SIGTERM));
        pool.stoppedOnesExit();
        assertTrue(pool.supervisor.isFinished());
    }

    @Test
    void ttinAddsAChildAndTtouRetiresOneDownToOne() {
        PoolHarness pool = staticPool(2);
        pool.readyAll();
        pool.signal("TTIN");
        assertEquals(3, pool.spawned.size());
        pool.signal("TTOU");
        assertEquals(List.of(new PoolHarness.Signal(pool.child(0).pid, Posix.SIGTERM)), pool.signals,
                "the one idle longest");
        pool.signal("TTOU");
        pool.signal("TTOU");
        pool.turns(1000);
        assertEquals(2, count(pool, Posix.SIGTERM), "never below one child");
        assertEquals(3, pool.spawned.size());
    }

    @Test
    void unknownSignalsAndStatusLinesChangeNothing() {
        PoolHarness pool = staticPool(1);
        pool.signal("WINCH");
        pool.supervisor.step(new Event.Reported(pool.child(0).pid, StatusMessage.parse("heartbeat 1")), pool.now);
        pool.turns(1000);
        assertEquals(1, pool.spawned.size());
        assertTrue(pool.signals.isEmpty());
        assertFalse(pool.child(0).isBooted());
    }
}
