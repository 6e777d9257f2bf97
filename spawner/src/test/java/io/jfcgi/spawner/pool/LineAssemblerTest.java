package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A child's bytes, however they arrive, become its lines whole: cut at \n and nowhere else. */
class LineAssemblerTest {

    private final LineAssembler assembler = new LineAssembler();
    private final List<String> lines = new ArrayList<>();

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assembler.feed(bytes, 0, bytes.length, lines::add);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "one read, two lines      | a\\nb\\n              | a,b",
        "a line in three pieces   | par/t o/f one\\n      | part of one",
        "lines across reads       | a\\nb/c\\nd/\\n       | a,bc,d",
        "CRLF loses its CR        | dos\\r\\n             | dos",
        "a CR inside stays        | 50%\\r100%\\n         | 50%\\r100%",
    })
    void piecesBecomeWholeLines(String name, String reads, String expected) {
        for (String read : reads.split("/")) {
            feed(read.replace("\\n", "\n").replace("\\r", "\r"));
        }
        assertEquals(List.of(expected.replace("\\r", "\r").split(",")), lines);
    }

    @Test
    void anEmptyLineIsALine() {
        feed("\n\n");
        assertEquals(List.of("", ""), lines);
    }

    @Test
    void aLineWithoutItsNewlineWaitsUntilTheEnd() {
        feed("no newline yet");
        assertEquals(List.of(), lines);
        assembler.finish(lines::add);
        assertEquals(List.of("no newline yet"), lines);
    }

    @Test
    void aCharacterSplitBetweenReadsIsDecodedWhole() {
        byte[] bytes = "é\n".getBytes(StandardCharsets.UTF_8);
        assembler.feed(bytes, 0, 1, lines::add);
        assembler.feed(bytes, 1, bytes.length - 1, lines::add);
        assertEquals(List.of("é"), lines);
    }

    @Test
    void aLineOfOneMebibyteInSmallReadsIsOneLine() {
        byte[] line = new byte[1 << 20];
        java.util.Arrays.fill(line, (byte) 'x');
        for (int offset = 0; offset < line.length; offset += 4096) {
            assembler.feed(line, offset, 4096, lines::add);
        }
        feed("\n");
        assertEquals(1, lines.size());
        assertEquals(1 << 20, lines.get(0).length());
    }

    @Test
    void atTheEndAfterAWholeLineThereIsNoFurtherLine() {
        feed("whole\n");
        assembler.finish(lines::add);
        assertEquals(List.of("whole"), lines);
    }
}
