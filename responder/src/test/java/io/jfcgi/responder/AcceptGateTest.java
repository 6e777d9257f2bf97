package io.jfcgi.responder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gate between the loops' accepts and a graceful stop, walked step by step: each row is a sequence of steps,
 * and what {@code enter()} answered and {@code isShut()} said after each, as its table says.
 */
class AcceptGateTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // steps                              | what each step answered or showed
        "enter exit close shut                | true - - true",
        "close enter shut                     | - false true",
        "enter close shut exit shut           | true - false - true",
        "enter enter close exit shut exit shut | true true - - false - true",
        "enter close enter shut exit shut     | true - false false - true",
        "enter exit shut                      | true - false",
    })
    void aStopIsShutOnlyOnceClosedWithNoAcceptUnderWay(String steps, String expected) {
        AcceptGate gate = new AcceptGate();
        StringBuilder seen = new StringBuilder();
        for (String step : steps.trim().split(" ")) {
            String answer = switch (step) {
                case "enter" -> String.valueOf(gate.enter());
                case "exit" -> {
                    gate.exit();
                    yield "-";
                }
                case "close" -> {
                    gate.close();
                    yield "-";
                }
                case "shut" -> String.valueOf(gate.isShut());
                default -> throw new IllegalArgumentException(step);
            };
            seen.append(seen.length() == 0 ? "" : " ").append(answer);
        }
        assertEquals(expected.trim(), seen.toString());
    }
}
