package io.jfcgi.spawner.pool;

import java.util.regex.Pattern;

/**
 * How one line of a child's output appears in the launcher's log. The launcher's own prefix (its time, level and
 * "child PID:") goes before a plain line; a line that begins with a time of its own (a logging framework's: Log4j,
 * Logback, java.util.logging formatted, Go's log, php-fpm's) gets only "child PID:", so that it does not carry two
 * times. Pure.
 */
final class ChildLine {

    /**
     * A time at the start, optionally in brackets: ISO-8601 date and time ({@code 2026-12-03T16:10:00,123},
     * {@code 2026-12-03 16:10:00}), {@code 2026/12/03 16:10:00}, a bare {@code 16:10:00.123} (Log4j's and
     * Logback's default patterns), or {@code 03-Dec-2026 16:10:00} (php-fpm).
     */
    private static final Pattern OWN_TIME = Pattern.compile("^\\[?(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}"
            + "|\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}"
            + "|\\d{2}:\\d{2}:\\d{2}[.,]\\d{3}"
            + "|\\d{2}-[A-Z][a-z]{2}-\\d{4} \\d{2}:\\d{2}:\\d{2})");

    private ChildLine() {
    }

    /** True when {@code line} starts with a time of its own. */
    static boolean hasOwnTime(String line) {
        return OWN_TIME.matcher(line).lookingAt();
    }

    /** The launcher's message for {@code line}, which its logger prefixes with time and level. */
    static String message(int pid, String line) {
        return "child " + pid + ": " + line;
    }
}
