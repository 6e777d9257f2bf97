package io.jfcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
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
    private final CharsetEncoder encoder;
    /**
     * Made at the first write, as large as it needs up to 1 KiB (larger text is encoded in turns): a 1 KiB buffer
     * for every response was a quarter of what the bridge allocated per request.
     */
    private ByteBuffer bytes;
    private char pendingHigh;

    ResponseWriter(OutputStream out, Charset charset) {
        this.out = out;
        this.encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
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
        write(text.toCharArray(), off, len);
    }

    private void encode(CharBuffer in) throws IOException {
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
