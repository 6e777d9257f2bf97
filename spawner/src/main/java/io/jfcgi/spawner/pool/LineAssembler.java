package io.jfcgi.spawner.pool;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a child's output into lines at {@code \n} only, however the bytes arrive: a line written in pieces is
 * passed on once, whole; a line of any length is kept whole (no cap: the pipe is the child's own, so the memory
 * is one line's); a {@code \r} inside a line stays in it (BufferedReader would cut there). A trailing {@code \r}
 * (CRLF) is dropped. Lines are decoded as UTF-8 once complete, so a character split between two reads is intact.
 * One reader thread per instance.
 */
final class LineAssembler {

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /** Takes {@code length} bytes of {@code bytes} from {@code offset}; each line they end goes to {@code sink}. */
    void feed(byte[] bytes, int offset, int length, Consumer<String> sink) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                partial.write(bytes, start, i - start);
                sink.accept(take());
                start = i + 1;
            }
        }
        partial.write(bytes, start, end - start);
    }

    /** At end of output: the last line, if the child left it without a newline. */
    void finish(Consumer<String> sink) {
        if (partial.size() > 0) {
            sink.accept(take());
        }
    }

    private String take() {
        byte[] line = partial.toByteArray();
        partial.reset();
        int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
