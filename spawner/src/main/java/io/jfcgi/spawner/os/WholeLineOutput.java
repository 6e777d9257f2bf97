package io.jfcgi.spawner.os;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The launcher's stderr (its log and every child's lines), written one whole line per write(2). The JDK's
 * System.err writes a long line in 8 KiB pieces and its newline apart; to a file opened O_APPEND (--log) that
 * two processes share, as an old and a new launcher do during an upgrade, or to journald, pieces of two lines
 * could then interleave. A line waits here until its newline; flush() does not cut it.
 */
public final class WholeLineOutput extends OutputStream {

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    WholeLineOutput(OutputStream out) {
        this.out = out;
    }

    /**
     * Replaces System.err with a UTF-8 stream onto fd 2 that writes whole lines; fd 2 itself may be redirected
     * later ({@link LogFile}). Called first in main, before any logger takes System.err.
     */
    public static void install() {
        System.setErr(new PrintStream(new WholeLineOutput(new FileOutputStream(FileDescriptor.err)), true,
                StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) throws IOException {
        pending.write(b);
        if (b == '\n') {
            drain();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        int lastNewline = -1;
        for (int i = offset + length - 1; i >= offset; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            pending.write(bytes, offset, length);
            return;
        }
        // Complete lines (the pending start and these bytes up to the last newline) in one write; the rest waits.
        pending.write(bytes, offset, lastNewline + 1 - offset);
        drain();
        pending.write(bytes, lastNewline + 1, offset + length - lastNewline - 1);
    }

    /** Complete lines only; a partial one waits for its end. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** At exit: whatever is left, even without a newline. */
    @Override
    public synchronized void close() throws IOException {
        drain();
        out.close();
    }

    private void drain() throws IOException {
        if (pending.size() > 0) {
            try {
                out.write(pending.toByteArray());
            } finally {
                pending.reset();
            }
        }
    }
}
