package io.jfcgi.spawner.pool;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a child's output into lines at {@code \n}, however the bytes arrive: a line written in pieces is passed on
 * once, whole; a {@code \r} inside a line stays in it (BufferedReader would cut there). A trailing {@code \r}
 * (CRLF) is dropped. Lines are decoded as UTF-8 once complete, so a character split between two reads is intact.
 *
 * <p>A line is kept whole up to {@link #LIMIT} bytes: past that, the first {@code LIMIT} bytes (fewer, to end on a
 * whole UTF-8 character) go out as a piece ending in {@link #CUT}, and the rest of the line follows as further
 * pieces, each starting with {@link #CONTINUED}. A child that writes without a newline forever then costs the
 * launcher (a 64 MiB heap) one bounded buffer, not its heap. One reader thread per instance.
 */
final class LineAssembler {

    /**
     * 64 KiB: above journald's LineMax (48K), which splits longer lines anyway, and far above php-fpm's log_limit
     * (1024 by default), nginx's (2 KiB) and Docker's (16 KiB); small enough that every child of a big pool can
     * hold one in the launcher's 64 MiB heap with the copies that logging makes.
     */
    static final int LIMIT = 64 * 1024;
    /** Ends a piece whose line goes on in the next one. */
    static final String CUT = " [cut]";
    /** Starts a piece that goes on from a cut one. */
    static final String CONTINUED = "[continued] ";

    private final int limit;
    private byte[] partial = new byte[256];
    private int size;
    private boolean continued;

    LineAssembler() {
        this(LIMIT);
    }

    /** {@code limit}: the longest piece in bytes, at least 4 (one UTF-8 character). */
    LineAssembler(int limit) {
        if (limit < 4) {
            throw new IllegalArgumentException("limit " + limit + " is under one UTF-8 character");
        }
        this.limit = limit;
    }

    /** Takes {@code length} bytes of {@code bytes} from {@code offset}; each line or piece they end goes to sink. */
    void feed(byte[] bytes, int offset, int length, Consumer<String> sink) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i - start, sink);
                emitLine(sink);
                start = i + 1;
            }
        }
        append(bytes, start, end - start, sink);
    }

    /** At end of output: the last line, if the child left it without a newline. */
    void finish(Consumer<String> sink) {
        if (size > 0) {
            emitLine(sink);
        }
    }

    /** Bytes within one line: a full buffer is cut only when one more byte comes (a line of limit bytes is whole). */
    private void append(byte[] bytes, int from, int count, Consumer<String> sink) {
        int at = from;
        int left = count;
        while (left > 0) {
            if (size == limit) {
                emitCut(sink);
            }
            int take = Math.min(left, limit - size);
            if (size + take > partial.length) {
                partial = Arrays.copyOf(partial, Math.min(limit, Math.max(size + take, partial.length * 2)));
            }
            System.arraycopy(bytes, at, partial, size, take);
            size += take;
            at += take;
            left -= take;
        }
    }

    private void emitCut(Consumer<String> sink) {
        int cut = characterBoundary();
        sink.accept(prefix() + new String(partial, 0, cut, StandardCharsets.UTF_8) + CUT);
        System.arraycopy(partial, cut, partial, 0, size - cut);
        size -= cut;
        continued = true;
    }

    private void emitLine(Consumer<String> sink) {
        int length = size > 0 && partial[size - 1] == '\r' ? size - 1 : size;
        sink.accept(prefix() + new String(partial, 0, length, StandardCharsets.UTF_8));
        size = 0;
        continued = false;
    }

    private String prefix() {
        return continued ? CONTINUED : "";
    }

    /**
     * Where to cut the full buffer ({@code size == limit}, at least 4) so that no UTF-8 character is split: before
     * the last character's lead byte if that character is incomplete, else at the end. Only the last three bytes can
     * start an incomplete character (a lead byte four back has its four bytes). Bytes that are not UTF-8 are cut
     * anywhere. The cut is never at 0, so every cut hands out at least one byte.
     */
    private int characterBoundary() {
        for (int i = size - 1; i > size - 4; i--) {
            int b = partial[i] & 0xff;
            if ((b & 0xc0) != 0x80) { // a lead byte (or ASCII): its character needs this many bytes
                int needed = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return size - i >= needed ? size : i;
            }
        }
        return size; // three continuation bytes: a whole 4-byte character, or not UTF-8
    }
}
