package io.jfcgi.responder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When a full collection gives the heap back: only after a burst, once the budget has been quiet for 5 s. */
class HeapReturnTest {

    private static final long MIB = 1 << 20;

    /** Looks at {@code (second, MiB held)} in turn; the seconds at which a collection was due. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ordinary traffic never|0:0 1:1 2:0 10:2 20:0|",
        "a burst, then 5 s quiet|0:0 1:64 2:0 6:0 7:0 8:0|7",
        "quiet is counted from when it began|0:64 1:3 3:3 5:3 6:3|6",
        "a burst that goes on is waited out|0:64 5:32 10:20 11:0 15:0 16:0|16",
        "what held again under a quarter still counts as quiet|0:20 1:3 4:3.9 6:3|6",
        "held again past a quarter, the quiet starts again|0:20 1:0 4:5 5:0 9:0 10:0|10",
        "once per burst|0:20 1:0 6:0 7:0 20:0 30:17 31:0 36:0|6 36"})
    void aCollectionIsDueAfterABurstOnceTheBudgetHasBeenQuiet(String what, String looks, String expected) {
        HeapReturn heap = new HeapReturn();
        StringBuilder due = new StringBuilder();
        for (String look : looks.split(" ")) {
            String[] parts = look.split(":");
            long second = Long.parseLong(parts[0]);
            long used = (long) (Double.parseDouble(parts[1]) * MIB);
            if (heap.due(second * 1_000_000_000L, used)) {
                due.append(due.length() == 0 ? "" : " ").append(second);
            }
        }
        assertEquals(expected == null ? "" : expected, due.toString(), what);
    }
}
