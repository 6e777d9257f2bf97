package io.jfcgi.responder;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slowlog entry: php-fpm's header and script line, the request, then the frames. */
class SlowlogEntryTest {

    private static final ZonedDateTime TIME = ZonedDateTime.of(2026, 12, 3, 16, 20, 1, 0, ZoneOffset.UTC);

    @Test
    void anEntryHasTheHeaderTheScriptTheRequestAndTheFrames() {
        StackTraceElement[] stack = {
            new StackTraceElement("java.lang.Thread", "sleep", null, -2),
            new StackTraceElement("com.example.App", "handle", "App.java", 42),
        };
        assertEquals("""

                [03-Dec-2026 16:20:01] pid 4242
                script_name = /sleep
                request = GET /sleep?ms=3000
                thread = fcgi-worker-1 (running 1003 ms)
                    at java.lang.Thread.sleep(Native Method)
                    at com.example.App.handle(App.java:42)
                """, SlowlogEntry.format(TIME, 4242, "GET", "/sleep?ms=3000", "/sleep", "fcgi-worker-1", 1003, stack));
    }

    @Test
    void aNewlineInTheUriCannotForgeAnEntry() {
        String entry = SlowlogEntry.format(TIME, 1, "GET", "/x\n[03-Dec-2026 16:20:01] pid 2", null, "t", 0,
                new StackTraceElement[0]);
        assertTrue(entry.contains("request = GET /x\\x0a[03-Dec-2026 16:20:01] pid 2\n"), entry);
        assertTrue(entry.contains("script_name = -\n"), entry);
    }

    @Test
    void framesBeyondTheLimitAreCounted() {
        StackTraceElement[] stack = new StackTraceElement[SlowlogEntry.MAX_FRAMES + 7];
        java.util.Arrays.fill(stack, new StackTraceElement("A", "b", "A.java", 1));
        String entry = SlowlogEntry.format(TIME, 1, "GET", "/", "/", "t", 0, stack);
        assertEquals(SlowlogEntry.MAX_FRAMES, entry.lines().filter(l -> l.startsWith("    at ")).count());
        assertTrue(entry.endsWith("    ... 7 more\n"), entry);
    }
}
