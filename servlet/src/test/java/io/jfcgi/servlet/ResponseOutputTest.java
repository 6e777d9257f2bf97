package io.jfcgi.servlet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The body buffer: nothing leaves it, and nothing commits, until it is full, flushed or finished. */
class ResponseOutputTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private int commits;

    private ResponseOutput output(int bufferSize) {
        return new ResponseOutput(sink, () -> commits++, bufferSize);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    /** Writes of {@code chunk} bytes up to {@code total}: what has left the buffer, then everything once finished. */
    @ParameterizedTest(name = "buffer {0}, {1} bytes in writes of {2}: {3} sent before the end")
    @CsvSource({
        "8192, 13, 13, 0",         // a small body waits for the end
        "8192, 8192, 100, 0",      // a body of exactly the buffer's size, grown in many writes, still waits
        "8192, 8193, 100, 8100",   // one byte more: the full buffer left before the write that did not fit
        "8192, 20000, 20000, 20000", // a write larger than the buffer goes straight through
        "512, 3000, 1, 2560",      // byte by byte: each full buffer leaves as it fills
    })
    void bytesLeaveOnlyWhenTheBufferIsFull(int bufferSize, int total, int chunk, int sentBefore) throws IOException {
        ResponseOutput output = output(bufferSize);
        byte[] body = pattern(total);
        for (int off = 0; off < total; off += chunk) {
            output.write(body, off, Math.min(chunk, total - off));
        }
        assertEquals(sentBefore, sink.size());
        assertEquals(sentBefore > 0 ? 1 : 0, commits);
        output.finish();
        assertEquals(1, commits);
        assertArrayEquals(body, sink.toByteArray());
    }

    @Test
    void theBufferSizeIsTheOneSetNotWhatHasBeenAllocated() throws IOException {
        ResponseOutput output = output(8192);
        output.write(pattern(10), 0, 10);
        assertEquals(8192, output.bufferSize());
        assertEquals(10, output.buffered());
    }

    @Test
    void aNewBufferSizeIsRefusedOnceBytesWereWritten() throws IOException {
        ResponseOutput output = output(8192);
        output.setBufferSize(1024);
        assertEquals(1024, output.bufferSize());
        output.write(pattern(1), 0, 1);
        assertThrows(IllegalStateException.class, () -> output.setBufferSize(4096));
    }

    @Test
    void resetBufferDropsWhatWaitsAndTheBufferFillsAgain() throws IOException {
        ResponseOutput output = output(1024);
        output.write(pattern(700), 0, 700);
        output.resetBuffer();
        byte[] body = pattern(1024);
        output.write(body, 0, 1024);
        assertEquals(0, sink.size());
        output.finish();
        assertArrayEquals(body, sink.toByteArray());
    }
}
