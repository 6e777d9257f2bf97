package io.jfcgi.responder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Admission walked step by step, without sockets or threads: a script of steps separated by ';'.
 * {@code admit R LANE OUTCOME} ({@code -} for no lane: a peer that sends one request per connection),
 * {@code finish} (an admitted request's handler returned), {@code cancel} (one could not be run),
 * {@code forget LANE}, {@code started R,R} (the parked requests started since the last look, {@code -} none),
 * {@code admitted N}, {@code parked N}. Requests named {@code x...} were aborted while they waited.
 */
class AdmissionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            admitted up to workers plus queue                   | 2 | 9 | admit a - ADMITTED; admit b - ADMITTED; admitted 2
            one request per connection: refused when full       | 2 | 9 | admit a - ADMITTED; admit b - ADMITTED; admit c - REFUSED; admitted 2; parked 0
            a multiplexing connection's request waits when full | 1 | 9 | admit a A ADMITTED; admit b A PARKED; admitted 1; parked 1; started -
            a finished request lets a parked one in             | 1 | 9 | admit a A ADMITTED; admit b A PARKED; finish; started b; admitted 1; parked 0
            a room freed with none parked stays free            | 1 | 9 | admit a A ADMITTED; finish; admitted 0; admit b - ADMITTED
            while requests are parked nginx gets 503            | 1 | 9 | admit a A ADMITTED; admit b A PARKED; finish; started b; admit c - REFUSED
            the mux queue is bounded                            | 1 | 2 | admit a A ADMITTED; admit b A PARKED; admit c B PARKED; admit d A REFUSED; parked 2
            a mux queue of 0 refuses as before                  | 1 | 0 | admit a A ADMITTED; admit b A REFUSED
            lanes take turns as places free                     | 1 | 9 | admit a A ADMITTED; admit b A PARKED; admit c A PARKED; admit d B PARKED; finish; started b; finish; started d; finish; started c; finish; started -; admitted 0
            aborted parked requests are skipped                 | 1 | 9 | admit a A ADMITTED; admit xb A PARKED; admit c B PARKED; finish; started c; parked 0
            only aborted ones parked: the place stays free      | 1 | 9 | admit a A ADMITTED; admit xb A PARKED; finish; started -; admitted 0; parked 0
            a forgotten lane's requests never start             | 1 | 9 | admit a A ADMITTED; admit b A PARKED; admit c B PARKED; forget A; finish; started c; finish; started -
            a cancelled request frees its place only            | 1 | 9 | admit a A ADMITTED; admit b A PARKED; cancel; started -; admitted 0; parked 1
            several places free at once admit several           | 2 | 9 | admit a A ADMITTED; admit b A ADMITTED; admit c A PARKED; admit d B PARKED; finish; finish; started c,d; admitted 2
            """)
    void walks(String name, int maxAdmitted, int muxQueue, String script) {
        List<String> started = new ArrayList<>();
        Admission<String> admission = new Admission<>(maxAdmitted, muxQueue, r -> r.startsWith("x"), started::add);
        Map<String, ParkedRequests.Lane<String>> lanes = new HashMap<>();
        for (String step : script.split(";")) {
            String[] words = step.trim().split(" ");
            switch (words[0]) {
                case "admit" -> assertEquals(Admission.Outcome.valueOf(words[3]), admission.admit(words[1],
                        words[2].equals("-") ? null : lanes.computeIfAbsent(words[2], k -> admission.lane())), step);
                case "finish" -> admission.finished();
                case "cancel" -> admission.cancelled();
                case "forget" -> admission.forget(lanes.get(words[1]));
                case "started" -> {
                    assertEquals(words[1].equals("-") ? List.of() : List.of(words[1].split(",")), started, step);
                    started.clear();
                }
                case "admitted" -> assertEquals(Integer.parseInt(words[1]), admission.admitted(), step);
                case "parked" -> assertEquals(Integer.parseInt(words[1]), admission.parked(), step);
                default -> throw new IllegalArgumentException(step);
            }
        }
    }
}
