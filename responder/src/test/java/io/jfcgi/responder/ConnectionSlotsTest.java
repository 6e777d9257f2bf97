package io.jfcgi.responder;

import io.jfcgi.responder.ConnectionSlots.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The --max-conns slots walked without sockets: at the limit a connection waits in the backlog until a slot is
 * released, and is refused only when none has freed for the whole wait (here 250 ms, two slots).
 */
class ConnectionSlotsTest {

    /** At millisecond {@code at}: a take (what it says), or a release ({@code null}). */
    private record Step(long at, Verdict expected) {
    }

    private static Step take(long at, Verdict expected) {
        return new Step(at, expected);
    }

    private static Step release(long at) {
        return new Step(at, null);
    }

    static Stream<Arguments> walks() {
        return Stream.of(
                Arguments.of("takes up to the limit", List.of(take(0, Verdict.TAKEN), take(0, Verdict.TAKEN))),
                Arguments.of("at the limit a take waits",
                        List.of(take(0, Verdict.TAKEN), take(0, Verdict.TAKEN), take(0, Verdict.WAIT),
                                take(249, Verdict.WAIT))),
                Arguments.of("full for the whole wait, a take refuses",
                        List.of(take(0, Verdict.TAKEN), take(0, Verdict.TAKEN), take(10, Verdict.WAIT),
                                take(260, Verdict.REFUSE), take(900, Verdict.REFUSE))),
                Arguments.of("the wait counts from the first take that found it full, not from the last slot taken",
                        List.of(take(0, Verdict.TAKEN), take(0, Verdict.TAKEN), take(500, Verdict.WAIT),
                                take(749, Verdict.WAIT), take(750, Verdict.REFUSE))),
                Arguments.of("a release frees a slot for the one waiting",
                        List.of(take(0, Verdict.TAKEN), take(0, Verdict.TAKEN), take(10, Verdict.WAIT), release(20),
                                take(21, Verdict.TAKEN))),
                Arguments.of("a release starts the wait again: a storm whose connections end is never refused",
                        List.of(take(0, Verdict.TAKEN), take(0, Verdict.TAKEN), take(0, Verdict.WAIT),
                                take(200, Verdict.WAIT), release(240), take(241, Verdict.TAKEN),
                                take(300, Verdict.WAIT), take(540, Verdict.WAIT), take(550, Verdict.REFUSE))),
                Arguments.of("refusing takes no slot",
                        List.of(take(0, Verdict.TAKEN), take(0, Verdict.TAKEN), take(0, Verdict.WAIT),
                                take(300, Verdict.REFUSE), release(301), take(302, Verdict.TAKEN),
                                take(303, Verdict.WAIT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walks")
    void decidesWhatBecomesOfTheNextConnection(String behaviour, List<Step> steps) {
        ConnectionSlots slots = new ConnectionSlots(2, Duration.ofMillis(250));
        List<Verdict> expected = new ArrayList<>();
        List<Verdict> actual = new ArrayList<>();
        for (Step step : steps) {
            long now = Duration.ofMillis(step.at()).toNanos();
            if (step.expected() == null) {
                slots.release();
            } else {
                expected.add(step.expected());
                actual.add(slots.take(now));
            }
        }
        assertEquals(expected, actual, behaviour);
    }

    @Test
    void aSlotIsFreeBelowTheLimitAndTheWaitLeftCountsFromTheFirstTakeThatFoundThemFull() {
        long ms = 1_000_000;
        ConnectionSlots slots = new ConnectionSlots(2, Duration.ofMillis(250));
        assertEquals(Verdict.TAKEN, slots.take(0));
        assertTrue(slots.anyFree());
        assertEquals(Verdict.TAKEN, slots.take(0));
        assertFalse(slots.anyFree());
        assertEquals(250 * ms, slots.waitLeft(5 * ms), "no take has waited yet: the whole wait");
        assertEquals(Verdict.WAIT, slots.take(10 * ms));
        assertEquals(150 * ms, slots.waitLeft(110 * ms));
        assertEquals(0, slots.waitLeft(300 * ms));
        slots.release();
        assertTrue(slots.anyFree());
        assertEquals(250 * ms, slots.waitLeft(400 * ms), "a release starts the wait again");
    }
}
