package io.jfcgi.codec.supervision;

/**
 * One line on the status channel, child → launcher: a word, then fields separated by spaces. Readers ignore fields
 * they do not know and lines whose first word they do not know ({@link Unknown}), so the channel grows by
 * appending: a new message is a record here and a case in {@link #parse}.
 */
public sealed interface StatusMessage {

    /**
     * The message as the child writes it.
     *
     * @return the line without its newline
     */
    String format();

    /** The child accepts on fd 0. Until then it is starting, and does not count as idle. */
    record Ready() implements StatusMessage {
        static final String WORD = "ready";

        @Override
        public String format() {
            return WORD;
        }
    }

    /**
     * The child's requests: {@code inFlight} running now (0 is idle), {@code served} finished since it started
     * (for --max-requests), and how long the oldest in flight has run (0 with none; for --request-timeout).
     *
     * @param inFlight     requests running now, 0 when idle
     * @param served       requests finished since the child started
     * @param oldestMillis how long the oldest request in flight has run, in milliseconds; 0 with none in flight
     */
    record Active(int inFlight, long served, long oldestMillis) implements StatusMessage {
        static final String WORD = "active";

        @Override
        public String format() {
            return WORD + " " + inFlight + " " + served + " " + oldestMillis;
        }

        /** A missing {@code oldest-ms} reads as 0; fields after it are ignored. */
        static StatusMessage parse(String line, String[] fields) {
            if (fields.length < 3) {
                return new Unreadable(line, "active needs in-flight and served");
            }
            try {
                return new Active(Integer.parseInt(fields[1]), Long.parseLong(fields[2]),
                        fields.length > 3 ? Long.parseLong(fields[3]) : 0);
            } catch (NumberFormatException e) {
                return new Unreadable(line, "active takes whole numbers");
            }
        }
    }

    /**
     * The child lives: sent every second ({@link StatusMessage#ALIVE_PERIOD_MILLIS}) from {@code ready} on,
     * whatever it does, so that silence means frozen (SIGSTOP, a GC storm, swapping) rather than idle
     * (--heartbeat-timeout). A child that never sends it is an older one, and is not judged by it.
     */
    record Alive() implements StatusMessage {
        static final String WORD = "alive";

        @Override
        public String format() {
            return WORD;
        }
    }

    /**
     * The child's running totals of what the operator watches: requests written to the slowlog (over
     * {@code --slowlog-timeout}), requests shed for their queue wait (over {@code --max-queue-wait}), access-log or
     * slowlog lines that could not be written, requests answered 503 because the memory budget
     * ({@code --max-buffered-bytes}) was full, and requests answered 503 because {@code --workers} were running and
     * {@code --queue} waiting already (an overload). Sent when one changes, at most as often as {@link Active}.
     * Fields are only ever appended: an older launcher ignores the ones it does not know, and an older child's
     * missing ones read as 0.
     *
     * @param slow             requests written to the slowlog since the child started
     * @param shed             requests answered 503 for their queue wait since the child started
     * @param logFailures      slowlog or access-log entries that could not be written
     * @param budgetRefusals   requests answered 503 because the buffered PARAMS and bodies filled the memory budget
     * @param overloadRefusals requests answered 503 because the workers and the queue were full
     */
    record Counts(long slow, long shed, long logFailures, long budgetRefusals, long overloadRefusals)
            implements StatusMessage {
        static final String WORD = "counts";

        /**
         * The totals of a child that counts no budget or overload refusals (one older than those fields).
         *
         * @param slow        requests written to the slowlog since the child started
         * @param shed        requests answered 503 for their queue wait since the child started
         * @param logFailures slowlog or access-log entries that could not be written
         */
        public Counts(long slow, long shed, long logFailures) {
            this(slow, shed, logFailures, 0, 0);
        }

        /**
         * The totals of a child that counts no overload refusals (one older than the field).
         *
         * @param slow           requests written to the slowlog since the child started
         * @param shed           requests answered 503 for their queue wait since the child started
         * @param logFailures    slowlog or access-log entries that could not be written
         * @param budgetRefusals requests answered 503 because the buffered PARAMS and bodies filled the memory
         *                       budget
         */
        public Counts(long slow, long shed, long logFailures, long budgetRefusals) {
            this(slow, shed, logFailures, budgetRefusals, 0);
        }

        @Override
        public String format() {
            return WORD + " " + slow + " " + shed + " " + logFailures + " " + budgetRefusals + " " + overloadRefusals;
        }

        /**
         * Both children's totals, field by field: for a pool's sum.
         *
         * @param other the other child's totals
         * @return the sum of each field
         */
        public Counts plus(Counts other) {
            return new Counts(slow + other.slow, shed + other.shed, logFailures + other.logFailures,
                    budgetRefusals + other.budgetRefusals, overloadRefusals + other.overloadRefusals);
        }

        /** Missing trailing fields read as 0 (an older child); fields after them are ignored (a newer one). */
        static StatusMessage parse(String line, String[] fields) {
            try {
                return new Counts(field(fields, 1), field(fields, 2), field(fields, 3), field(fields, 4),
                        field(fields, 5));
            } catch (NumberFormatException e) {
                return new Unreadable(line, "counts takes whole numbers");
            }
        }

        private static long field(String[] fields, int i) {
            return fields.length > i ? Long.parseLong(fields[i]) : 0;
        }
    }

    /**
     * The child's latest request, its method and URI, for the status page's per-process rows. Sent in the same write
     * as an {@code active} line, and only when it changed, so that a request costs the child nothing on its own.
     * Make one with {@link #of}, which keeps the line one ASCII line of bounded length.
     *
     * @param method the HTTP method, an HTTP token, or {@value #NONE}
     * @param uri    the request URI, %-escaped to ASCII without spaces, or {@value #NONE}
     */
    record Request(String method, String uri) implements StatusMessage {
        static final String WORD = "request";
        /** What a missing or unusable method or URI reads as. */
        public static final String NONE = "-";
        /** A longer URI is cut here (never inside a %XX escape): the status page shows a request, not a log. */
        public static final int MAX_URI_LENGTH = 512;
        private static final int MAX_METHOD_LENGTH = 32;
        private static final char[] HEX = "0123456789ABCDEF".toCharArray();

        /**
         * The message for a request's REQUEST_METHOD and REQUEST_URI (either may be null): a method that is not an
         * HTTP token becomes {@value #NONE}; in the URI, spaces, controls and bytes beyond ASCII are %-escaped as
         * UTF-8 (chars up to 0xFF, as the parameters decode them, as one byte each).
         *
         * @param method the request's REQUEST_METHOD; null when it had none
         * @param uri    the request's REQUEST_URI; null when it had none
         * @return the message, one ASCII line of at most {@value #MAX_URI_LENGTH} URI characters
         */
        public static Request of(String method, String uri) {
            return new Request(method != null && method.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1," + MAX_METHOD_LENGTH
                    + "}") ? method : NONE, uri == null || uri.isEmpty() ? NONE : escape(uri));
        }

        private static String escape(String uri) {
            StringBuilder out = new StringBuilder(Math.min(uri.length(), MAX_URI_LENGTH));
            for (int i = 0; i < uri.length(); i++) {
                char c = uri.charAt(i);
                String piece;
                if (c > ' ' && c < 0x7f) {
                    piece = String.valueOf(c);
                } else if (c <= 0xff) {
                    piece = percent(c);
                } else {
                    StringBuilder bytes = new StringBuilder();
                    for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        bytes.append(percent(b & 0xff));
                    }
                    piece = bytes.toString();
                }
                if (out.length() + piece.length() > MAX_URI_LENGTH) {
                    break;
                }
                out.append(piece);
            }
            return out.toString();
        }

        private static String percent(int b) {
            return "%" + HEX[b >> 4] + HEX[b & 0xf];
        }

        @Override
        public String format() {
            return WORD + " " + method + " " + uri;
        }

        /** Fields after the URI are ignored. */
        static StatusMessage parse(String line, String[] fields) {
            return fields.length < 3 ? new Unreadable(line, "request needs a method and a URI")
                    : new Request(fields[1], fields[2]);
        }
    }

    /** How often a child sends {@link Alive}. */
    long ALIVE_PERIOD_MILLIS = 1000;

    /**
     * A line whose first word this version does not know, perhaps from a newer child: to be ignored.
     *
     * @param line the line as read, without its newline
     */
    record Unknown(String line) implements StatusMessage {
        @Override
        public String format() {
            return line;
        }
    }

    /**
     * A known word with fields that do not read.
     *
     * @param line    the line as read, without its newline
     * @param problem what is wrong with it, in words, for the launcher's log
     */
    record Unreadable(String line, String problem) implements StatusMessage {
        @Override
        public String format() {
            return line;
        }
    }

    /**
     * Reads one line; never throws.
     *
     * @param line the line without its newline; not {@code null}
     * @return the message, {@link Unknown} for an unknown first word, or {@link Unreadable} for a known one whose
     *         fields do not read
     */
    static StatusMessage parse(String line) {
        String[] fields = line.trim().split("\\s+");
        return switch (fields[0]) {
            case Ready.WORD -> new Ready();
            case Active.WORD -> Active.parse(line, fields);
            case Alive.WORD -> new Alive();
            case Counts.WORD -> Counts.parse(line, fields);
            case Request.WORD -> Request.parse(line, fields);
            default -> new Unknown(line);
        };
    }
}
