package io.jfcgi.responder;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One request as a line of JSON, for the access log ({@code --access-log=FILE}): {@code time} (ISO-8601, UTC, with
 * milliseconds), {@code pid}, {@code method}, {@code uri}, {@code status}, {@code bytes} (of the response body),
 * {@code duration_ms} (BEGIN_REQUEST to the response's end, to the microsecond) and, when the web server stamped
 * the request, {@code queue_wait_ms}. One per access log (it keeps the last second it formatted); any thread.
 */
final class AccessLogLine {

    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The last second formatted, shared by every thread: formatting a date costs more than the rest of a line. */
    private volatile Second lastSecond = new Second(0, SECOND.format(Instant.EPOCH));

    private record Second(long epochSecond, String text) {
    }

    /** The line with its newline; {@code queueWaitMillis} {@link QueueWait#NONE} leaves the field out. */
    String format(long epochMillis, long pid, String method, String uri, int status, long bytes,
            long durationNanos, long queueWaitMillis) {
        StringBuilder line = new StringBuilder(160 + uri.length());
        line.append("{\"time\":\"");
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        Second second = lastSecond;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, SECOND.format(Instant.ofEpochSecond(epochSecond)));
            lastSecond = second;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        line.append(second.text()).append('.').append(millis < 100 ? millis < 10 ? "00" : "0" : "").append(millis)
                .append('Z');
        line.append("\",\"pid\":").append(pid).append(",\"method\":");
        appendString(line, method);
        line.append(",\"uri\":");
        appendString(line, uri);
        line.append(",\"status\":").append(status).append(",\"bytes\":").append(bytes).append(",\"duration_ms\":");
        long micros = durationNanos / 1000;
        line.append(micros / 1000).append('.');
        long fraction = micros % 1000;
        line.append(fraction < 100 ? fraction < 10 ? "00" : "0" : "").append(fraction);
        if (queueWaitMillis != QueueWait.NONE) {
            line.append(",\"queue_wait_ms\":").append(queueWaitMillis);
        }
        return line.append("}\n").toString();
    }

    /** {@code s} as a JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped. */
    static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
