package io.jfcgi.spawner.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.TimeZone;

/**
 * One log line: {@code 2026-12-04 05:47:34.753 jspawn-fcgi INFO message}, local time, then the stack trace of a
 * throwable, if any. The fields by arithmetic on the zone's offset: no calendar, no locale data. Immutable.
 */
final class LogLineFormat {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final TimeZone zone;

    LogLineFormat(TimeZone zone) {
        this.zone = (TimeZone) zone.clone();
    }

    /** The whole text of an event, ending in a line separator. Any thread. */
    String format(long epochMillis, String level, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(64 + message.length());
        appendTime(line, epochMillis + zone.getOffset(epochMillis));
        line.append(" jspawn-fcgi ").append(level).append(' ').append(message).append(System.lineSeparator());
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /** yyyy-MM-dd HH:mm:ss.SSS of a local time given as milliseconds since the local epoch. */
    private static void appendTime(StringBuilder line, long localMillis) {
        long days = Math.floorDiv(localMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(localMillis, MILLIS_PER_DAY);
        // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
        long shifted = days + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        pad(line, year, 4).append('-');
        pad(line, month, 2).append('-');
        pad(line, day, 2).append(' ');
        pad(line, millisOfDay / 3_600_000, 2).append(':');
        pad(line, millisOfDay / 60_000 % 60, 2).append(':');
        pad(line, millisOfDay / 1000 % 60, 2).append('.');
        pad(line, millisOfDay % 1000, 3);
    }

    private static StringBuilder pad(StringBuilder line, long value, int digits) {
        String text = Long.toString(value);
        for (int i = text.length(); i < digits; i++) {
            line.append('0');
        }
        return line.append(text);
    }
}
