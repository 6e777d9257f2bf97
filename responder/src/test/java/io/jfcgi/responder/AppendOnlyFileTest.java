package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Appends, and follows logrotate's move only when it looks, at most once a second. */
class AppendOnlyFileTest {

    @TempDir
    Path dir;

    @Test
    void entriesAreAppendedToWhatIsThere() throws Exception {
        Path path = dir.resolve("log");
        Files.writeString(path, "old\n");
        try (AppendOnlyFile file = AppendOnlyFile.open(path)) {
            file.write("new\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("old\nnew\n", Files.readString(path));
    }

    @Test
    void aMovedFileIsReopenedAtTheNextLookButNotBeforeASecond() throws Exception {
        Path path = dir.resolve("log");
        Path moved = dir.resolve("log.1");
        try (AppendOnlyFile file = AppendOnlyFile.open(path)) {
            long opened = System.nanoTime();
            Files.move(path, moved);
            file.reopenIfMoved(opened + AppendOnlyFile.CHECK_NANOS / 2);
            file.write("a\n".getBytes(StandardCharsets.UTF_8));
            file.reopenIfMoved(opened + AppendOnlyFile.CHECK_NANOS * 2);
            file.write("b\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("a\n", Files.readString(moved));
        assertEquals("b\n", Files.readString(path));
    }
}
