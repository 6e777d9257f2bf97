package io.jfcgi.spawner.pool;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Cuts a child's status channel (fd 3) into lines at {@code \n}, none longer than {@link #LIMIT} bytes. A status
 * line is a word and a few short fields (a {@code request} line, the longest, stays under 600 bytes), so a longer
 * one comes from a broken or foreign child: it is dropped whole, however long it goes on, and the lines after its
 * newline are read as before. A cut one could read as a message with wrong numbers, so none is passed on in part.
 * The launcher holds at most {@code LIMIT} bytes per child, whatever the child writes. One reader thread per
 * instance.
 */
final class StatusLines {

    /** As {@link LineAssembler#LIMIT}: far above any status line, small enough for every child of a big pool. */
    static final int LIMIT = LineAssembler.LIMIT;

    private final int limit;
    private byte[] line = new byte[128];
    private int size;
    /** Inside a line past the limit: its bytes are skipped up to its newline. */
    private boolean dropping;
    private long dropped;

    StatusLines() {
        this(LIMIT);
    }

    /** {@code limit}: the longest line kept, in bytes, at least 1. */
    StatusLines(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " keeps no line");
        }
        this.limit = limit;
    }

    /**
     * Takes {@code length} bytes of {@code bytes} from {@code offset}: each line they end goes to {@code sink}; a
     * line that passes the limit goes nowhere, and {@code overLong} hears of the 1st, 2nd, 4th, 8th... of them (the
     * count so far), so that a child that keeps writing them costs a warning now and then, not one each.
     */
    void feed(byte[] bytes, int offset, int length, Consumer<String> sink, LongConsumer overLong) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i - start, overLong);
                if (!dropping) {
                    sink.accept(text());
                }
                size = 0;
                dropping = false;
                start = i + 1;
            }
        }
        append(bytes, start, end - start, overLong);
    }

    /** At EOF: the last line, if the child left it without a newline (and within the limit). */
    void finish(Consumer<String> sink) {
        if (size > 0 && !dropping) {
            sink.accept(text());
        }
        size = 0;
    }

    private void append(byte[] bytes, int from, int count, LongConsumer overLong) {
        if (dropping || count == 0) {
            return;
        }
        if (size + count > limit) {
            dropping = true;
            size = 0;
            line = new byte[128]; // give back what the long line grew
            dropped++;
            if (Long.bitCount(dropped) == 1) {
                overLong.accept(dropped);
            }
            return;
        }
        if (size + count > line.length) {
            line = Arrays.copyOf(line, Math.min(limit, Math.max(size + count, line.length * 2)));
        }
        System.arraycopy(bytes, from, line, size, count);
        size += count;
    }

    /** The line so far, without a trailing {@code \r} (CRLF, as BufferedReader read it). */
    private String text() {
        int length = size > 0 && line[size - 1] == '\r' ? size - 1 : size;
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
