package io.jfcgi.spawner.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.SplittableRandom;
import java.util.TimeZone;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The launcher's log line: the Log4j simple logger's format of before, byte for byte. */
class LogLineFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham",
        "America/Los_Angeles"})
    void timesAreThoseOfTheSimpleLoggersDateFormat(String zoneId) {
        TimeZone zone = TimeZone.getTimeZone(zoneId);
        SimpleDateFormat before = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS 'jspawn-fcgi'");
        before.setTimeZone(zone);
        LogLineFormat format = new LogLineFormat(zone);
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            // 1970 to 2200, and around the leap days and the turns of the year
            long millis = i < 10_000 ? random.nextLong(0, 7_258_118_400_000L)
                    : 951_782_400_000L + random.nextLong(-86_400_000L * 800, 86_400_000L * 800);
            assertEquals(before.format(new Date(millis)) + " INFO hello" + System.lineSeparator(),
                    format.format(millis, "INFO", "hello", null), () -> "at " + millis);
        }
    }

    @Test
    void aThrowableFollowsTheLineWithItsStackTrace() {
        String text = new LogLineFormat(TimeZone.getTimeZone("UTC")).format(0, "ERROR", "failed",
                new IllegalStateException("broken"));
        assertTrue(text.startsWith("1970-01-01 00:00:00.000 jspawn-fcgi ERROR failed" + System.lineSeparator()
                + "java.lang.IllegalStateException: broken" + System.lineSeparator() + "\tat "), text);
    }
}
