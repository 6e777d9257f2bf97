package io.jfcgi.responder;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One input of {@link ConnectionFuzzTest}: what a web server sends on one connection, and how it sends it. The
 * bytes are a header, then the stream itself, so that a corpus file is mostly the records a human can read:
 * <ul>
 * <li>byte 0, flags: bits 0-1 how many cuts (0 to 2; 3 counts as 2), bit 2 keep our side open after the last
 *     write (else it is shut down, and the server reads EOF), bit 3 close with a reset (SO_LINGER 0);</li>
 * <li>then two bytes (big-endian) per cut: an offset into the stream, taken modulo its length plus one, where one
 *     write ends and the next begins, so that the server's decoder may see a record in pieces;</li>
 * <li>the rest: the stream, at most {@link #MAX_STREAM} bytes (more is dropped: a longer one could fill both
 *     sockets' buffers while the server's handler writes a big answer, and neither side would read).</li>
 * </ul>
 * Any byte array is a valid input, the empty one too (a connection opened and closed).
 */
record FuzzInput(byte[] stream, int[] cuts, boolean keepOpen, boolean reset) {

    static final int MAX_STREAM = 64 << 10;
    private static final int KEEP_OPEN = 4;
    private static final int RESET = 8;

    static FuzzInput parse(byte[] input) {
        if (input.length == 0) {
            return new FuzzInput(new byte[0], new int[0], false, false);
        }
        int flags = input[0] & 0xff;
        int cutCount = Math.min(2, flags & 3);
        int header = Math.min(input.length, 1 + 2 * cutCount);
        byte[] stream = Arrays.copyOfRange(input, header, Math.min(input.length, header + MAX_STREAM));
        int[] cuts = new int[(header - 1) / 2];
        for (int i = 0; i < cuts.length; i++) {
            int offset = (input[1 + 2 * i] & 0xff) << 8 | input[2 + 2 * i] & 0xff;
            cuts[i] = offset % (stream.length + 1);
        }
        Arrays.sort(cuts);
        return new FuzzInput(stream, cuts, (flags & KEEP_OPEN) != 0, (flags & RESET) != 0);
    }

    /** The input that {@link #parse} reads back as this one; for writing seeds. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(cuts.length | (keepOpen ? KEEP_OPEN : 0) | (reset ? RESET : 0));
        for (int cut : cuts) {
            out.write(cut >> 8);
            out.write(cut);
        }
        out.writeBytes(stream);
        return out.toByteArray();
    }

    /** The stream split at the cuts: one array per write, the empty ones left out. */
    List<byte[]> pieces() {
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            if (cut > from) {
                pieces.add(Arrays.copyOfRange(stream, from, cut));
                from = cut;
            }
        }
        if (stream.length > from) {
            pieces.add(Arrays.copyOfRange(stream, from, stream.length));
        }
        return pieces;
    }
}
