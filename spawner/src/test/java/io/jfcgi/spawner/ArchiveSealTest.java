package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seal beside a child's archive: its CRC-32C, and the identity of the file in place once it matched. */
class ArchiveSealTest {

    /** A time at which the test's files' ctimes have settled, so that a matching archive's identity is recorded. */
    private static final Instant LATER = Instant.now().plus(Duration.ofHours(1));

    @TempDir
    Path dir;
    private Path archive;

    @BeforeEach
    void aSealedArchive() throws IOException {
        archive = Files.writeString(dir.resolve("a.jsa"), "archive");
        ArchiveSeal.write(archive, ArchiveSeal.of(archive));
    }

    private List<String> sealLines() throws IOException {
        return Files.readAllLines(ArchiveSeal.of(archive), StandardCharsets.US_ASCII);
    }

    /** Until the file system's clock has ticked past the archive's ctime (a few ms): a change then shows in it. */
    private void awaitNextTick() throws IOException {
        FileTime ctime = (FileTime) Files.getAttribute(archive, "unix:ctime");
        Path probe = dir.resolve("probe");
        do {
            Files.writeString(probe, "tick");
        } while (((FileTime) Files.getAttribute(probe, "unix:ctime")).compareTo(ctime) <= 0);
    }

    @Test
    void theSealIsTheArchivesCrc32c() throws IOException {
        assertTrue(ArchiveSeal.isSealed(archive));
        Files.writeString(archive, "archivE");
        assertFalse(ArchiveSeal.isSealed(archive));
    }

    @Test
    void anArchiveWithoutASealIsNotSealed() throws IOException {
        Files.delete(ArchiveSeal.of(archive));
        assertFalse(ArchiveSeal.isSealed(archive));
    }

    @Test
    void anArchiveThatMatchedItsChecksumHasItsIdentityRecorded() throws IOException {
        assertEquals(1, sealLines().size());
        assertTrue(ArchiveSeal.isSealed(archive, LATER));
        assertEquals(List.of(ArchiveSeal.checksum(archive), ArchiveSeal.identity(archive)), sealLines());
    }

    @Test
    void theFileWithTheRecordedIdentityIsTrustedWithoutReadingItsContents() throws IOException {
        // A checksum that no contents have: only the identity can make this archive sealed.
        Files.writeString(ArchiveSeal.of(archive), "0\n" + ArchiveSeal.identity(archive) + "\n");
        assertTrue(ArchiveSeal.isSealed(archive));
    }

    @Test
    void aChangedArchiveIsRefusedEvenWithItsSizeAndMtimeRestored() throws IOException {
        assertTrue(ArchiveSeal.isSealed(archive, LATER));
        assertEquals(2, sealLines().size());
        awaitNextTick();
        FileTime mtime = Files.getLastModifiedTime(archive);
        Files.writeString(archive, "archivE"); // same size
        Files.setLastModifiedTime(archive, mtime); // the ctime still moves
        assertFalse(ArchiveSeal.isSealed(archive));
    }

    @Test
    void aForeignFileMovedIntoTheArchivesPlaceIsRefused() throws IOException {
        assertTrue(ArchiveSeal.isSealed(archive, LATER));
        assertEquals(2, sealLines().size());
        Path foreign = Files.writeString(dir.resolve("foreign"), "archivE");
        Files.setLastModifiedTime(foreign, Files.getLastModifiedTime(archive));
        Files.move(foreign, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertFalse(ArchiveSeal.isSealed(archive));
    }

    @Test
    void theSameContentsInAnotherFileAreCheckedAgainAndThenTrusted() throws IOException {
        assertTrue(ArchiveSeal.isSealed(archive, LATER));
        String before = ArchiveSeal.identity(archive);
        Path copy = Files.writeString(dir.resolve("copy"), "archive");
        Files.move(copy, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertTrue(ArchiveSeal.isSealed(archive, LATER)); // by its checksum, as before identities were recorded
        assertEquals(ArchiveSeal.identity(archive), sealLines().get(1));
        assertFalse(before.equals(sealLines().get(1)));
    }

    @Test
    void anArchiveChangedMomentsAgoIsUsedButItsIdentityIsNotYetRecorded() throws IOException {
        assertTrue(ArchiveSeal.isSealed(archive));
        assertEquals(List.of(ArchiveSeal.checksum(archive)), sealLines());
    }

    @Test
    void anEmptySealIsNotASeal() throws IOException {
        Files.writeString(ArchiveSeal.of(archive), "");
        assertFalse(ArchiveSeal.isSealed(archive));
    }
}
