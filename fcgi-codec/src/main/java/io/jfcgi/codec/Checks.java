package io.jfcgi.codec;

/** Argument checks shared by the record values; a bad argument is a programming error, not bad input. */
final class Checks {
    private Checks() {
    }

    static void range(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in " + min + ".." + max + ", got " + value);
        }
    }

    static void requestId(int requestId) {
        range("requestId", requestId, 1, RecordHeader.MAX_REQUEST_ID);
    }

    static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
