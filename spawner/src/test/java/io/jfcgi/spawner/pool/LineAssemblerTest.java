package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A child's bytes, however they arrive, become its lines whole, cut at \n, and past the limit into marked pieces. */
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "exactly the limit is whole        | 12345678\\n           | 12345678",
        "one byte past the limit is cut    | 123456789\\n          | 12345678 [cut],[continued] 9",
        "piece after piece | abcdefghijklmnopq\\n | abcdefgh [cut],[continued] ijklmnop [cut],[continued] q",
        "the limit counts across reads     | abcd/efgh/ij\\n       | abcdefgh [cut],[continued] ij",
        "the next line is whole again      | abcdefghij\\nk\\n     | abcdefgh [cut],[continued] ij,k",
        "a 2-byte character is not split   | abcdefgé\\n           | abcdefg [cut],[continued] é",
        "a 4-byte character is not split   | abcde😀\\n             | abcde [cut],[continued] 😀",
        "CRLF loses its CR in a last piece | abcdefghij\\r\\n      | abcdefgh [cut],[continued] ij",
        "a 3-byte character is not split   | abcdef\u0800\\n       | abcdef [cut],[continued] \u0800",
        "a 3-byte character at the limit is whole | abcde\u0800x\\n | abcde\u0800 [cut],[continued] x",
        "a 2-byte character at the limit is whole | abcdef\u00e9x\\n | abcdef\u00e9 [cut],[continued] x",
        "a 4-byte character at the limit is whole | abcd\ud83d\ude00x\\n | abcd\ud83d\ude00 [cut],[continued] x",
        "the rest of a cut character and more than the limit in one read | abcdefg\u00e9hijklmnop\\n"
                + " | abcdefg [cut],[continued] \u00e9hijklm [cut],[continued] nop",
    })
    void aLinePastTheLimitIsCutIntoMarkedPieces(String name, String reads, String expected) {
        LineAssembler small = new LineAssembler(8);
        for (String read : reads.split("/")) {
            byte[] bytes = read.replace("\\n", "\n").replace("\\r", "\r").getBytes(StandardCharsets.UTF_8);
            small.feed(bytes, 0, bytes.length, lines::add);
        }
        assertEquals(List.of(expected.split(",")), lines);
    }

    @Test
    void aCutLineWithoutItsNewlineEndsAtTheEnd() {
        LineAssembler small = new LineAssembler(8);
        byte[] bytes = "abcdefghij".getBytes(StandardCharsets.UTF_8);
        small.feed(bytes, 0, bytes.length, lines::add);
        small.finish(lines::add);
        assertEquals(List.of("abcdefgh [cut]", "[continued] ij"), lines);
    }

    @Test
    void aLimitUnderOneCharacterIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LineAssembler(3));
    }

    @Test
    void aLimitOfOneCharacterCutsBetweenFourByteCharacters() {
        LineAssembler smallest = new LineAssembler(4);
        byte[] bytes = "\ud83d\ude00\ud83d\ude01\n".getBytes(StandardCharsets.UTF_8);
        smallest.feed(bytes, 0, bytes.length, lines::add);
        assertEquals(List.of("\ud83d\ude00 [cut]", "[continued] \ud83d\ude01"), lines);
    }

    @Test
    void aLineOfOneMebibyteInSmallReadsGoesOutInPiecesOfTheLimit() {
        byte[] line = new byte[1 << 20];
        Arrays.fill(line, (byte) 'x');
        for (int offset = 0; offset < line.length; offset += 4096) {
            assembler.feed(line, offset, 4096, lines::add);
        }
        feed("\n");
        assertEquals((1 << 20) / LineAssembler.LIMIT, lines.size());
        assertEquals(1 << 20, lines.stream().mapToLong(piece -> piece.chars().filter(c -> c == 'x').count()).sum());
        assertTrue(lines.stream().allMatch(piece -> piece.length() <= LineAssembler.CONTINUED.length()
                + LineAssembler.LIMIT + LineAssembler.CUT.length()), "no piece is longer than the limit");
    }

    @Test
    void atTheEndAfterAWholeLineThereIsNoFurtherLine() {
        feed("whole\n");
        assembler.finish(lines::add);
        assertEquals(List.of("whole"), lines);
    }
}
