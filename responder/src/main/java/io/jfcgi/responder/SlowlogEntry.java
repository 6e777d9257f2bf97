package io.jfcgi.responder;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One slowlog entry, after php-fpm's: an empty line, a header with the local date and the pid, the script, then
 * the stack of the thread running the request, innermost frame first. Where php-fpm has one frame per line as
 * {@code [0x...] function() file:line}, ours are Java's {@code at class.method(File.java:line)}, and the request's
 * method, URI, thread and running time come first. Pure.
 *
 * <pre>
 *
 * [03-Dec-2026 16:20:01] pid 4242
 * script_name = /sleep
 * request = GET /sleep?ms=3000
 * thread = fcgi-worker-1 (running 1003 ms)
 *     at java.base/java.lang.Thread.sleep(Native Method)
 *     at io.jfcgi.fixture.FixtureApp.sleep(FixtureApp.java:88)
 * </pre>
 */
final class SlowlogEntry {

    /** php-fpm's own slowlog date (local time), to the second. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss", Locale.ROOT);
    /** Frames beyond this are counted, not written: an entry stays one modest write. */
    static final int MAX_FRAMES = 100;

    private SlowlogEntry() {
    }

    static String format(ZonedDateTime time, long pid, String method, String uri, String scriptName, String thread,
            long runningMillis, StackTraceElement[] stack) {
        StringBuilder entry = new StringBuilder(256 + 80 * Math.min(stack.length, MAX_FRAMES));
        entry.append("\n[").append(DATE.format(time)).append("] pid ").append(pid).append('\n');
        entry.append("script_name = ").append(oneLine(scriptName)).append('\n');
        entry.append("request = ").append(oneLine(method)).append(' ').append(oneLine(uri)).append('\n');
        entry.append("thread = ").append(oneLine(thread)).append(" (running ").append(runningMillis).append(" ms)\n");
        int frames = Math.min(stack.length, MAX_FRAMES);
        for (int i = 0; i < frames; i++) {
            entry.append("    at ").append(stack[i]).append('\n');
        }
        if (stack.length > frames) {
            entry.append("    ... ").append(stack.length - frames).append(" more\n");
        }
        return entry.toString();
    }

    /** A value from the request, kept to its line: a newline in a URI must not forge an entry. */
    private static String oneLine(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(s.substring(0, i));
                }
                out.append(String.format("\\x%02x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
