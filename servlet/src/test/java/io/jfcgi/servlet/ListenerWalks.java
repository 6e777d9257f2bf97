package io.jfcgi.servlet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The expectations of one step of a NonBlockingRead/NonBlockingWrite walk: "PHASE [result] [tasks=N] [events=a,b]". */
final class ListenerWalks {

    private ListenerWalks() {
    }

    static void check(String step, String phase, String result, int tasks, List<String> events) {
        String[] expected = step.split(" -> ")[1].split(" ");
        assertEquals(expected[0], phase, step);
        for (int i = 1; i < expected.length; i++) {
            if (expected[i].startsWith("tasks=")) {
                assertEquals(Integer.parseInt(expected[i].substring(6)), tasks, step);
            } else if (expected[i].startsWith("events=")) {
                assertEquals(expected[i].substring(7), String.join(",", events), step);
            } else {
                assertEquals(expected[i], result, step);
            }
        }
    }
}
