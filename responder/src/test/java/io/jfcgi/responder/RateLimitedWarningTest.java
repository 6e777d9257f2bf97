package io.jfcgi.responder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.jfcgi.responder.RateLimitedWarning.NO_LINE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One warning line per 10 s, each saying how many occurrences it held back; driven by a clock the test sets. */
class RateLimitedWarningTest {

    /** One step: at second {@code at}, an occurrence ({@code "occurred"}) or the watchdog's look ({@code "due"}). */
    private record Step(long at, String call, long expected) {
    }

    private static Step occurred(long at, long expected) {
        return new Step(at, "occurred", expected);
    }

    private static Step due(long at, long expected) {
        return new Step(at, "due", expected);
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("the first occurrence is said at once, with none held back",
                        List.of(occurred(0, 0))),
                Arguments.of("occurrences within the interval are held back",
                        List.of(occurred(0, 0), occurred(1, NO_LINE), occurred(9, NO_LINE))),
                Arguments.of("the first occurrence after the interval is said with the count held back",
                        List.of(occurred(0, 0), occurred(1, NO_LINE), occurred(2, NO_LINE), occurred(10, 2))),
                Arguments.of("the interval counts from the last line, not the first occurrence",
                        List.of(occurred(0, 0), occurred(10, 0), occurred(15, NO_LINE), occurred(19, NO_LINE),
                                occurred(20, 2))),
                Arguments.of("a burst that ended is said by the watchdog once the interval has passed",
                        List.of(occurred(0, 0), occurred(1, NO_LINE), occurred(2, NO_LINE), due(5, NO_LINE),
                                due(10, 2), due(30, NO_LINE))),
                Arguments.of("the watchdog waits for the interval from the last line, not from the clock's zero",
                        List.of(occurred(100, 0), occurred(101, NO_LINE), due(105, NO_LINE), due(110, 1))),
                Arguments.of("the watchdog's line starts a new interval",
                        List.of(occurred(0, 0), occurred(1, NO_LINE), due(10, 1), occurred(12, NO_LINE),
                                occurred(20, 1))),
                Arguments.of("with nothing held back the watchdog says nothing",
                        List.of(due(0, NO_LINE), occurred(0, 0), due(100, NO_LINE), occurred(101, 0))),
                Arguments.of("a clock that starts negative still says the first occurrence",
                        List.of(occurred(-50, 0), occurred(-45, NO_LINE), occurred(-40, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void saysOneLinePerIntervalWithTheCountHeldBack(String behaviour, List<Step> steps) {
        AtomicLong clock = new AtomicLong();
        RateLimitedWarning warning = new RateLimitedWarning(Duration.ofSeconds(10), clock::get);
        List<Long> expected = new ArrayList<>();
        List<Long> actual = new ArrayList<>();
        for (Step step : steps) {
            clock.set(Duration.ofSeconds(step.at()).toNanos());
            expected.add(step.expected());
            actual.add(step.call().equals("occurred") ? warning.occurred() : warning.due());
        }
        assertEquals(expected, actual, behaviour);
    }
}
