package io.jfcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Chars to the response's body in the response's charset, encoded at each write so that nothing waits in the
 * writer: {@code isCommitted}, {@code resetBuffer} and the buffer size mean the same as for bytes. Only a high
 * surrogate whose pair has not come yet is held back. Unmappable chars become the charset's replacement ({@code ?}).
 */
final class ResponseWriter extends Writer {

    private final OutputStream out;
    private final Charset charset;
    /** Whether ASCII text is its own encoding in this charset: then it is copied, not encoded. */
    private final boolean asciiCompatible;
    /** Made at the first text that is not plain ASCII (most responses have none). */
    private CharsetEncoder encoder;
    /**
     * Made at the first write, as large as it needs up to 1 KiB (larger text is encoded in turns): a 1 KiB buffer
     * for every response was a quarter of what the bridge allocated per request.
     */
    private ByteBuffer bytes;
    private char pendingHigh;

    ResponseWriter(OutputStream out, Charset charset) {
        this.out = out;
        this.charset = charset;
        this.asciiCompatible = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1)
                || charset.equals(StandardCharsets.US_ASCII);
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        CharBuffer in;
        if (pendingHigh != 0) {
            char[] joined = new char[len + 1];
            joined[0] = pendingHigh;
            System.arraycopy(chars, off, joined, 1, len);
            pendingHigh = 0;
            in = CharBuffer.wrap(joined);
        } else {
            in = CharBuffer.wrap(chars, off, len);
        }
        if (in.hasRemaining() && Character.isHighSurrogate(in.get(in.limit() - 1))) {
            pendingHigh = in.get(in.limit() - 1);
            in.limit(in.limit() - 1);
        }
        encode(in);
    }

    @Override
    public void write(String text, int off, int len) throws IOException {
        if (pendingHigh == 0 && asciiCompatible && isAscii(text, off, len)) {
            writeAscii(text, off, len); // no char[] copy, no encoder: a char is its byte
            return;
        }
        write(text.toCharArray(), off, len);
    }

    private static boolean isAscii(String text, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** ASCII text in an ASCII-compatible charset, through the same buffer as encoded text, in turns of its size. */
    private void writeAscii(String text, int off, int len) throws IOException {
        if (bytes == null) {
            bytes = ByteBuffer.allocate(Math.min(1024, Math.max(64, len)));
        }
        byte[] array = bytes.array();
        for (int done = 0; done < len; ) {
            int n = Math.min(array.length, len - done);
            for (int i = 0; i < n; i++) {
                array[i] = (byte) text.charAt(off + done + i);
            }
            out.write(array, 0, n);
            done += n;
        }
    }

    private void encode(CharBuffer in) throws IOException {
        if (encoder == null) {
            encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }
        if (bytes == null) {
            bytes = ByteBuffer.allocate((int) Math.min(1024, Math.max(64, in.remaining() * encoder.maxBytesPerChar())));
        }
        while (true) {
            CoderResult result = encoder.encode(in, bytes, true);
            drain();
            if (result.isUnderflow()) {
                encoder.reset();
                return;
            }
        }
    }

    private void drain() throws IOException {
        bytes.flip();
        if (bytes.hasRemaining()) {
            out.write(bytes.array(), bytes.position(), bytes.remaining());
        }
        bytes.clear();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (pendingHigh != 0) {
            char lone = pendingHigh;
            pendingHigh = 0;
            encode(CharBuffer.wrap(new char[] {lone}));
        }
        out.close();
    }
}
