package io.jfcgi.responder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The mux queue walked step by step, without sockets. A script is steps separated by ';': {@code park LANE R
 * ok|full}, {@code next R} (or {@code next -} for none), {@code forget LANE}, {@code count N}. Requests whose name
 * starts with {@code x} are gone (aborted while they waited).
 */
class ParkedRequestsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            one lane is first in first out                 | 9 | park A a1 ok; park A a2 ok; park A a3 ok; next a1; next a2; next a3; next -
            lanes take turns, one request each             | 9 | park A a1 ok; park A a2 ok; park A a3 ok; park B b1 ok; park B b2 ok; next a1; next b1; next a2; next b2; next a3; next -
            a lane that empties leaves the ring            | 9 | park A a1 ok; park B b1 ok; park B b2 ok; next a1; next b1; next b2; park A a2 ok; next a2; next -
            a lane that comes back waits behind the others | 9 | park A a1 ok; park B b1 ok; next a1; park A a2 ok; next b1; next a2
            the queue is bounded across lanes              | 3 | park A a1 ok; park B b1 ok; park A a2 ok; park B b2 full; count 3; next a1; park B b2 ok
            a capacity of 0 parks nothing                  | 0 | park A a1 full; count 0; next -
            gone requests are dropped on the way           | 9 | park A xa1 ok; park A a2 ok; park B xb1 ok; count 3; next a2; count 1; next -; count 0
            a lane of gone requests only yields nothing    | 9 | park A xa1 ok; park A xa2 ok; next -; count 0; park A a3 ok; next a3
            a forgotten lane drops what waits in it        | 9 | park A a1 ok; park A a2 ok; park B b1 ok; forget A; count 1; next b1; next -
            a forgotten lane takes nothing more            | 9 | park A a1 ok; forget A; park A a2 full; count 0
            forgetting frees room in the queue             | 2 | park A a1 ok; park B b1 ok; park B b2 full; forget A; park B b2 ok; next b1; next b2
            """)
    void walks(String name, int capacity, String script) {
        ParkedRequests<String> parked = new ParkedRequests<>(capacity);
        Map<String, ParkedRequests.Lane<String>> lanes = new HashMap<>();
        for (String step : script.split(";")) {
            String[] words = step.trim().split(" ");
            switch (words[0]) {
                case "park" -> assertEquals(words[3].equals("ok"),
                        parked.park(words[2], lanes.computeIfAbsent(words[1], k -> parked.lane())), step);
                case "next" -> assertEquals(words[1].equals("-") ? null : words[1], parked.next(r -> r.startsWith("x")),
                        step);
                case "forget" -> parked.forget(lanes.get(words[1]));
                case "count" -> {
                    assertEquals(Integer.parseInt(words[1]), parked.count(), step);
                    assertEquals(parked.count() == 0, parked.isEmpty(), step);
                }
                default -> throw new IllegalArgumentException(step);
            }
        }
    }
}
