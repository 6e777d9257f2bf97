package io.jfcgi.spawner.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's stderr reaches the file one whole line (or run of whole lines) per write. */
class WholeLineOutputTest {

    /** Records each write(2) the stream would make. */
    private final List<String> writes = new ArrayList<>();
    private final OutputStream fd = new OutputStream() {
        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writes.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
    };
    private final WholeLineOutput out = new WholeLineOutput(fd);

    @Test
    void aLongPrintlnIsOneWriteWithItsNewline() {
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        char[] line = new char[100_000];
        Arrays.fill(line, 'x');
        stream.println(new String(line));
        assertEquals(1, writes.size());
        assertEquals(100_001, writes.get(0).length());
    }

    @Test
    void aPartialLineWaitsForItsEndEvenAcrossFlush() throws IOException {
        out.write("half ".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertEquals(List.of(), writes);
        out.write("whole\nnext".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("half whole\n"), writes);
    }

    @Test
    void closeWritesWhatIsLeft() throws IOException {
        out.write("last words".getBytes(StandardCharsets.UTF_8));
        out.close();
        assertEquals(List.of("last words"), writes);
    }

    @Test
    void singleBytesAreWrittenAtTheirNewline() throws IOException {
        for (byte b : "ab\n".getBytes(StandardCharsets.UTF_8)) {
            out.write(b);
        }
        assertEquals(List.of("ab\n"), writes);
    }

    @Test
    void byteArrayOutputStreamSeesTheSameBytes() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (WholeLineOutput lines = new WholeLineOutput(file)) {
            lines.write("a\nb".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("a\nb", file.toString(StandardCharsets.UTF_8));
    }
}
