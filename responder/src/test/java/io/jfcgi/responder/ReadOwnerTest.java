package io.jfcgi.responder;

import io.jfcgi.responder.ReadOwner.Owner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who reads a connection, walked without a socket: every transition from every state, then the races. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadOwnerTest {

    private static final String PULLER = "request 1";
    private static final String HELD = "held STDIN record";

    /** The selector's read interest as the owner last set it. */
    private static final class RecordedInterest implements ReadOwner.Interest {
        volatile boolean on = true;
        volatile int changes;

        @Override
        public void set(boolean read) {
            on = read;
            changes++;
        }
    }

    private final RecordedInterest interest = new RecordedInterest();
    private final ReadOwner<String, String> owner = new ReadOwner<>(interest);

    /** Brings the fresh owner into {@code state} by legal transitions. */
    private void bringTo(Owner state) {
        switch (state) {
            case LOOP -> { }
            case PULLER_IDLE -> assertTrue(owner.handToPuller(PULLER, 10));
            case PULLING -> {
                assertTrue(owner.handToPuller(PULLER, 10));
                assertTrue(owner.beginPull(PULLER, false, 20));
            }
            case PAUSED -> assertTrue(owner.pause(HELD, 30));
            case WAITER -> assertTrue(owner.beginWait());
            case CLOSED -> owner.close();
            default -> throw new AssertionError(state);
        }
        assertEquals(state, owner.owner());
    }

    /** A transition by its name in the table below. */
    private interface Transition extends BiFunction<ReadOwner<String, String>, ReadOwner.State<String, String>, Boolean> {
    }

    private static java.util.Map.Entry<String, Transition> transition(String name, Transition applied) {
        return java.util.Map.entry(name, applied);
    }

    private static final java.util.Map<String, Transition> TRANSITIONS = java.util.Map.ofEntries(
            transition("handToPuller", (o, seen) -> o.handToPuller(PULLER, 100)),
            transition("beginPull", (o, seen) -> o.beginPull(PULLER, false, 100)),
            transition("beginPullEligible", (o, seen) -> o.beginPull(PULLER, true, 100)),
            transition("endPull", (o, seen) -> o.endPull(PULLER, 100)),
            transition("releasePuller", (o, seen) -> o.releasePuller(PULLER)),
            transition("releaseIdlePuller", (o, seen) -> o.releaseIdlePuller(seen)),
            transition("pause", (o, seen) -> o.pause(HELD, 100)),
            transition("resumed", (o, seen) -> o.resumed()),
            transition("beginWait", (o, seen) -> o.beginWait()),
            transition("endWait", (o, seen) -> o.endWait()),
            transition("close", (o, seen) -> {
                o.close();
                return true;
            }));

    @ParameterizedTest(name = "{0} --{1}--> {3} ({2})")
    @CsvSource({
        // from,     transition,        done,  to
        "LOOP,        handToPuller,      true,  PULLER_IDLE",
        "LOOP,        beginPull,         false, LOOP",
        "LOOP,        beginPullEligible, true,  PULLING",
        "LOOP,        endPull,           false, LOOP",
        "LOOP,        releasePuller,     false, LOOP",
        "LOOP,        releaseIdlePuller, false, LOOP",
        "LOOP,        pause,             true,  PAUSED",
        "LOOP,        resumed,           false, LOOP",
        "LOOP,        close,             true,  CLOSED",
        "LOOP,        beginWait,         true,  WAITER",
        "LOOP,        endWait,           false, LOOP",
        "PULLER_IDLE, handToPuller,      false, PULLER_IDLE",
        "PULLER_IDLE, beginPull,         true,  PULLING",
        "PULLER_IDLE, beginPullEligible, true,  PULLING",
        "PULLER_IDLE, endPull,           false, PULLER_IDLE",
        "PULLER_IDLE, releasePuller,     true,  LOOP",
        "PULLER_IDLE, releaseIdlePuller, true,  LOOP",
        "PULLER_IDLE, pause,             true,  PAUSED",
        "PULLER_IDLE, resumed,           false, PULLER_IDLE",
        "PULLER_IDLE, close,             true,  CLOSED",
        "PULLER_IDLE, beginWait,         false, PULLER_IDLE",
        "PULLER_IDLE, endWait,           false, PULLER_IDLE",
        "PULLING,     handToPuller,      false, PULLING",
        "PULLING,     beginPull,         false, PULLING",
        "PULLING,     beginPullEligible, false, PULLING",
        "PULLING,     endPull,           true,  PULLER_IDLE",
        "PULLING,     releasePuller,     true,  LOOP",
        "PULLING,     releaseIdlePuller, false, PULLING",
        "PULLING,     pause,             true,  PAUSED",
        "PULLING,     resumed,           false, PULLING",
        "PULLING,     close,             true,  CLOSED",
        "PULLING,     beginWait,         false, PULLING",
        "PULLING,     endWait,           false, PULLING",
        "PAUSED,      handToPuller,      false, PAUSED",
        "PAUSED,      beginPull,         false, PAUSED",
        "PAUSED,      beginPullEligible, false, PAUSED",
        "PAUSED,      endPull,           false, PAUSED",
        "PAUSED,      releasePuller,     false, PAUSED",
        "PAUSED,      releaseIdlePuller, false, PAUSED",
        "PAUSED,      pause,             false, PAUSED",
        "PAUSED,      resumed,           true,  LOOP",
        "PAUSED,      close,             true,  CLOSED",
        "PAUSED,      beginWait,         false, PAUSED",
        "PAUSED,      endWait,           false, PAUSED",
        "WAITER,      handToPuller,      true,  PULLER_IDLE",
        "WAITER,      beginPull,         false, WAITER",
        "WAITER,      beginPullEligible, false, WAITER",
        "WAITER,      endPull,           false, WAITER",
        "WAITER,      releasePuller,     false, WAITER",
        "WAITER,      releaseIdlePuller, false, WAITER",
        "WAITER,      pause,             true,  PAUSED",
        "WAITER,      resumed,           false, WAITER",
        "WAITER,      close,             true,  CLOSED",
        "WAITER,      beginWait,         false, WAITER",
        "WAITER,      endWait,           true,  LOOP",
        "CLOSED,      handToPuller,      false, CLOSED",
        "CLOSED,      beginPull,         false, CLOSED",
        "CLOSED,      beginPullEligible, false, CLOSED",
        "CLOSED,      endPull,           false, CLOSED",
        "CLOSED,      releasePuller,     false, CLOSED",
        "CLOSED,      releaseIdlePuller, false, CLOSED",
        "CLOSED,      pause,             false, CLOSED",
        "CLOSED,      resumed,           false, CLOSED",
        "CLOSED,      close,             true,  CLOSED",
        "CLOSED,      beginWait,         false, CLOSED",
        "CLOSED,      endWait,           false, CLOSED",
    })
    void everyTransitionFromEveryState(Owner from, String transition, boolean done, Owner to) {
        bringTo(from);
        boolean result = TRANSITIONS.get(transition).apply(owner, owner.state());
        assertEquals(done, result, "whether " + transition + " applies in " + from);
        assertEquals(to, owner.owner());
        assertEquals(to == Owner.CLOSED, owner.isClosed());
        if (to == Owner.LOOP) {
            assertTrue(interest.on, "the loop owns the reading: the selector must report the socket");
        }
        if (to == Owner.PAUSED) {
            assertFalse(interest.on, "paused: nobody may read until the handler makes room");
        }
        if (to == Owner.WAITER) {
            assertFalse(interest.on, "a worker waits on the socket: the loop must not read it too");
        }
        if (to == Owner.PULLING || to == Owner.PULLER_IDLE) {
            assertSame(PULLER, owner.puller());
        } else {
            assertNull(owner.puller());
        }
    }

    @Test
    void onlyTheLoopOrThePullingThreadMayRead() {
        Thread other = new Thread(() -> { });
        assertTrue(owner.mayRead(other), "LOOP: whoever holds the drive");
        owner.handToPuller(PULLER, 1);
        assertFalse(owner.mayRead(Thread.currentThread()), "PULLER_IDLE: nobody");
        owner.beginPull(PULLER, false, 2);
        assertTrue(owner.mayRead(Thread.currentThread()), "PULLING: its handler's thread");
        assertFalse(owner.mayRead(other), "PULLING: no other thread");
        owner.pause(HELD, 3);
        assertFalse(owner.mayRead(Thread.currentThread()), "PAUSED: nobody");
        assertSame(HELD, owner.held());
        owner.close();
        assertFalse(owner.mayRead(Thread.currentThread()), "CLOSED: nobody");
    }

    @Test
    void onlyTheWaitingWorkerMayReadAndEndItsWait() throws InterruptedException {
        assertTrue(owner.beginWait());
        assertTrue(owner.mayRead(Thread.currentThread()), "WAITER: the waiting worker");
        assertTrue(owner.isWaiter(Thread.currentThread()));
        boolean[] other = new boolean[3];
        Thread thread = new Thread(() -> {
            other[0] = owner.mayRead(Thread.currentThread());
            other[1] = owner.endWait();
            other[2] = owner.handToPuller(PULLER, 5);
        });
        thread.start();
        thread.join();
        assertFalse(other[0], "WAITER: no other thread reads (the loop's readable socket is not its own)");
        assertFalse(other[1], "only the waiter ends its wait");
        assertFalse(other[2], "only the waiter, driving, hands a body to its handler");
        assertEquals(Owner.WAITER, owner.owner());
        assertTrue(owner.endWait());
        assertTrue(interest.on, "back to the loop: the selector reports the socket again");
    }

    @Test
    void aWorkerDoesNotWaitOnAConnectionAnotherThreadIsReading() {
        assertTrue(owner.tryTakeDrive(), "the loop reads the next request already");
        assertFalse(owner.beginWait());
        assertEquals(Owner.LOOP, owner.owner());
        assertTrue(interest.on);
        assertEquals(0, owner.giveBackDrive(1));
        assertTrue(owner.beginWait(), "once the drive is given back");
    }

    @Test
    void theLoopSeeingTheSocketReadableWhileAWorkerWaitsLeavesItToTheWorker() {
        assertTrue(owner.beginWait());
        assertFalse(owner.loopSawReadable(), "the loop does not drive a connection a worker waits on");
        assertFalse(interest.on);
        assertEquals(Owner.WAITER, owner.owner());
    }

    @Test
    void aPauseDropsTheInterestAndTheResumeRestoresIt() {
        owner.pause(HELD, 1);
        assertFalse(interest.on);
        owner.resumed();
        assertTrue(interest.on);
    }

    @Test
    void theLoopDropsTheInterestOfAConnectionItsPullerReads() {
        owner.handToPuller(PULLER, 1);
        assertFalse(owner.loopSawReadable(), "the loop must not read");
        assertFalse(interest.on, "nor be told again and again that the socket is readable");
    }

    @Test
    void aReleaseAfterTheLoopDroppedTheInterestRestoresIt() {
        // The kept Apache connection that never read its next request: the loop dropped the interest for a
        // puller whose request was ending, and nobody restored it.
        owner.handToPuller(PULLER, 1);
        owner.loopSawReadable();
        owner.releasePuller(PULLER);
        assertTrue(interest.on);
        assertTrue(owner.loopSawReadable(), "the loop reads again");
    }

    @Test
    void aLoopThatSeesTheSocketAfterTheReleaseReadsIt() {
        owner.handToPuller(PULLER, 1);
        owner.releasePuller(PULLER);
        assertTrue(owner.loopSawReadable());
        assertTrue(interest.on);
    }

    @Test
    void aPauseWhileAHandlerPullsHandsTheReadingToTheLoopAtTheResume() {
        owner.handToPuller(PULLER, 1);
        owner.beginPull(PULLER, false, 2);
        owner.pause(HELD, 3);
        assertFalse(owner.endPull(PULLER, 4), "the pause let the puller go");
        assertEquals(0, owner.giveBackDrive(1));
        owner.resumed();
        assertEquals(Owner.LOOP, owner.owner());
        assertTrue(interest.on);
    }

    @Test
    void theLoopParksWhileAnotherThreadDrivesAndTheHolderRestoresTheInterestWhenDone() {
        assertTrue(owner.tryTakeDrive(), "a handed-off runner drives");
        assertFalse(owner.loopSawReadable(), "the new runner must not drive at once");
        assertFalse(interest.on, "nor spin on a socket it cannot read");
        assertEquals(1, owner.giveBackDrive(1), "the holder drives once more for the loop");
        assertFalse(interest.on, "it still drives: the interest stays off");
        assertEquals(0, owner.giveBackDrive(1));
        assertTrue(interest.on);
    }

    /**
     * The holder gives the drive back between the loop's failed attempt to take it and the loop's parking: the
     * loop must see that nobody drives any more and restore the interest itself. The test holds the owner's lock
     * to stop the loop in that gap.
     */
    @Test
    void aDriveGivenBackJustBeforeTheLoopParksLeavesTheInterestOn() throws Exception {
        assertTrue(owner.tryTakeDrive(), "a handed-off runner drives");
        Thread loop = new Thread(owner::loopSawReadable, "loop");
        synchronized (owner) {
            loop.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (loop.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(Thread.State.BLOCKED, loop.getState(), "the loop waits for the lock to park");
            assertEquals(1, owner.giveBackDrive(1), "the holder drives once more for the loop");
            assertEquals(0, owner.giveBackDrive(1));
        }
        loop.join();
        assertTrue(interest.on, "nobody drives, and the loop owns the reading");
    }

    @Test
    void aPullerThatFindsTheDriveBusyStillClaimsTheReading() {
        assertTrue(owner.tryTakeDrive(), "the loop is reading");
        assertFalse(owner.beginPull(PULLER, true, 5));
        assertEquals(Owner.PULLER_IDLE, owner.owner(), "the loop stops at its next read and kicks the handler");
        assertFalse(owner.mayRead(Thread.currentThread()));
        assertEquals(0, owner.giveBackDrive(1), "no drive is owed for the failed pull");
        assertTrue(owner.beginPull(PULLER, false, 6));
    }

    @Test
    void theWatchdogsReleaseIsIgnoredWhenThePullerReadAgainMeanwhile() {
        owner.handToPuller(PULLER, 1);
        ReadOwner.State<String, String> seen = owner.state();
        owner.beginPull(PULLER, false, 2);
        owner.giveBackDrive(1);
        owner.endPull(PULLER, 3);
        assertFalse(owner.releaseIdlePuller(seen), "the handler read at 2: it is not idle since 1");
        assertEquals(Owner.PULLER_IDLE, owner.owner());
        assertEquals(3, owner.state().since());
    }

    @Test
    void anotherRequestsReleaseLeavesThePullerAlone() {
        owner.handToPuller(PULLER, 1);
        assertFalse(owner.releasePuller("request 3"));
        assertSame(PULLER, owner.puller());
    }

    /**
     * The drive passed between a handed-off runner and the loop's new runner, as fast as they can: whatever the
     * interleaving, once both stop the interest is on (the loop owns the reading and nobody drives).
     */
    @Test
    void noInterleavingOfDrivesAndReadableSocketsLeavesTheInterestOff() throws Exception {
        for (int round = 0; round < 200; round++) {
            ReadOwner<String, String> shared = new ReadOwner<>(interest);
            interest.on = true;
            CountDownLatch start = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                await(start);
                for (int i = 0; i < 500; i++) {
                    if (shared.tryTakeDrive()) {
                        int missed = 1;
                        while ((missed = shared.giveBackDrive(missed)) != 0) {
                            Thread.onSpinWait();
                        }
                    }
                }
            });
            holder.start();
            start.countDown();
            for (int i = 0; i < 500; i++) {
                if (shared.loopSawReadable()) {
                    int missed = 1;
                    while ((missed = shared.giveBackDrive(missed)) != 0) {
                        Thread.onSpinWait();
                    }
                }
            }
            holder.join();
            assertTrue(interest.on, "round " + round + ": the interest stayed off with nobody driving");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
