package io.jfcgi.responder;

/**
 * How long a request waited before a handler could start, from the time the web server stamped on it: nginx's
 * {@code fastcgi_param REQUEST_START $msec;} (seconds since the epoch with a millisecond fraction), or the
 * {@code t=<microseconds>} of an X-Request-Start header passed on as {@code REQUEST_START}. Pure functions.
 */
final class QueueWait {

    /** No stamp, or one that does not read. */
    static final long NONE = Long.MIN_VALUE;

    /** Whole numbers below these are seconds, milliseconds, microseconds; above, nanoseconds (New Relic's rule). */
    private static final long SECONDS_BELOW = 100_000_000_000L;
    private static final long MILLIS_BELOW = 100_000_000_000_000L;
    private static final long MICROS_BELOW = 100_000_000_000_000_000L;

    private QueueWait() {
    }

    /**
     * The stamp in milliseconds since the epoch: {@code 1712345678.123} (seconds with a fraction), or a whole number
     * of seconds, milliseconds, microseconds or nanoseconds told apart by its size, either with a {@code t=} in
     * front; {@link #NONE} for null or anything else.
     */
    static long stampMillis(String value) {
        if (value == null) {
            return NONE;
        }
        String text = value.trim();
        if (text.startsWith("t=")) {
            text = text.substring(2);
        }
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text : text.substring(0, dot);
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        if (!digits(whole, 1, 19) || !digits(fraction, dot < 0 ? 0 : 1, 9)) {
            return NONE;
        }
        long n = Long.parseLong(whole);
        if (dot >= 0) {
            String millis = (fraction + "00").substring(0, 3);
            return n > Long.MAX_VALUE / 1000 - 1 ? NONE : n * 1000 + Long.parseLong(millis);
        }
        if (n < SECONDS_BELOW) {
            return n * 1000;
        }
        return n < MILLIS_BELOW ? n : n < MICROS_BELOW ? n / 1000 : n / 1_000_000;
    }

    /** The wait from {@code stampMillis} to {@code nowMillis}; a stamp in the future (clock skew) is no wait. */
    static long waitedMillis(long stampMillis, long nowMillis) {
        return Math.max(0, nowMillis - stampMillis);
    }

    private static boolean digits(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
