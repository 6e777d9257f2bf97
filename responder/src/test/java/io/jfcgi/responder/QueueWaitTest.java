package io.jfcgi.responder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** REQUEST_START as nginx ($msec) and X-Request-Start (t=microseconds) send it, and what is not a stamp. */
class QueueWaitTest {

    @ParameterizedTest(name = "\"{0}\" -> {1} ms")
    @CsvSource(delimiter = '|', value = {
        "1712345678.123          | 1712345678123",   // nginx $msec: seconds with a millisecond fraction
        "1712345678.1            | 1712345678100",
        "1712345678.123456       | 1712345678123",   // finer fractions are cut to the millisecond
        "'  1712345678.123 '     | 1712345678123",
        "1712345678              | 1712345678000",   // whole seconds
        "1712345678123           | 1712345678123",   // milliseconds
        "1712345678123456        | 1712345678123",   // microseconds
        "1712345678123456789     | 1712345678123",   // nanoseconds
        "t=1712345678123456      | 1712345678123",   // X-Request-Start: t=<microseconds>
        "t=1712345678.123        | 1712345678123",
        "1700000000.050          | 1700000000050",   // zeros are digits too
        "99999999999             | 99999999999000",  // the largest number of seconds
        "100000000000            | 100000000000",    // the smallest of milliseconds
        "99999999999999          | 99999999999999",  // the largest of milliseconds
        "100000000000000         | 100000000000",    // the smallest of microseconds
        "99999999999999999       | 99999999999999",  // the largest of microseconds
        "100000000000000000      | 100000000000",    // the smallest of nanoseconds
        "9223372036854774.999    | 9223372036854774999", // the most seconds with a fraction that still fit
    })
    void aStampReadsAsMillisecondsSinceTheEpoch(String value, long millis) {
        assertEquals(millis, QueueWait.stampMillis(value));
    }

    @ParameterizedTest(name = "\"{0}\" is no stamp")
    @NullSource
    @CsvSource({"''", "-", "abc", "-1712345678.123", "1712345678.", ".123", "1712345678.12a", "t=", "t=x",
        "1.2.3", "99999999999999999999", "'1712345678,123'", "+1712345678", "9223372036854775.0"})
    void anythingElseIsNoStamp(String value) {
        assertEquals(QueueWait.NONE, QueueWait.stampMillis(value));
    }

    @ParameterizedTest(name = "stamp {0}, now {1}: waited {2} ms")
    @CsvSource({
        "1000, 1500, 500",
        "1000, 1000, 0",
        "2000, 1000, 0",   // a stamp in the future (the web server's clock ahead of ours) counts as no wait
    })
    void theWaitIsFromTheStampToNowAndNeverNegative(long stamp, long now, long waited) {
        assertEquals(waited, QueueWait.waitedMillis(stamp, now));
    }
}
