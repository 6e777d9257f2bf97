package io.jfcgi.spawner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child's class-data sharing archive's seal, {@code ARCHIVE.crc32c} beside it: the archive's CRC-32C, written
 * when it was made, and once an archive in place has matched it (its last change {@link #SETTLED} ago), a second
 * line with that file's identity (device, inode, size, mtime and ctime, in ns). A launch whose archive has that
 * identity uses it without reading it (8 MiB of CRC on the launcher's C1 before its first spawn,
 * docs/benchmarks.md); any other file in its place (another inode) or any change to it (a write, a chmod or a reset
 * mtime all set the ctime, which users cannot set) is read and checked against the CRC again. HotSpot maps a damaged archive and crashes, so this check is what keeps it out.
 */
final class ArchiveSeal {

    private static final String IDENTITY = "unix:dev,ino,size,lastModifiedTime,ctime";
    /**
     * A file's times move in clock ticks (a few ms): an identity is recorded only once its ctime is this much in the
     * past, so that any later change to the file carries a later ctime than the one recorded.
     */
    static final Duration SETTLED = Duration.ofSeconds(2);

    private ArchiveSeal() {
    }

    /** Where an archive's seal is kept: written when the archive is made, checked at each launch. */
    static Path of(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".crc32c");
    }

    /** The archive's CRC-32C, in hex. */
    static String checksum(Path archive) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (var in = Files.newInputStream(archive)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return Long.toHexString(crc.getValue());
    }

    /** Writes the seal of a whole archive at {@code seal}, from its contents (its identity comes at first use). */
    static void write(Path archive, Path seal) throws IOException {
        Files.writeString(seal, checksum(archive) + "\n", StandardCharsets.US_ASCII);
    }

    /**
     * True when the archive is the file whose identity the seal records, or else its contents match the seal's
     * CRC-32C and it did not change while they were read; then its identity is recorded for the next launches.
     */
    static boolean isSealed(Path archive) {
        return isSealed(archive, Instant.now());
    }

    /** As {@link #isSealed(Path)} at {@code now}, the time that says whether the file's ctime has settled. */
    static boolean isSealed(Path archive, Instant now) {
        try {
            List<String> seal = Files.readAllLines(of(archive), StandardCharsets.US_ASCII);
            if (seal.isEmpty()) {
                return false;
            }
            String before = identity(archive);
            if (seal.size() > 1 && seal.get(1).equals(before)) {
                return true;
            }
            if (!seal.get(0).trim().equals(checksum(archive)) || !identity(archive).equals(before)) {
                return false;
            }
            long changedNanos = Long.parseLong(before.substring(before.lastIndexOf(' ') + 1)); // the ctime
            if (changedNanos < TimeUnit.SECONDS.toNanos(now.minus(SETTLED).getEpochSecond())) {
                record(archive, seal.get(0).trim(), before);
            }
            return true;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The file's device, inode, size, mtime and ctime (ns, last), following links as HotSpot does when it maps it. */
    static String identity(Path file) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, IDENTITY);
        return attributes.get("dev") + " " + attributes.get("ino") + " " + attributes.get("size") + " "
                + nanos(attributes.get("lastModifiedTime")) + " " + nanos(attributes.get("ctime"));
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    /** Best effort, whole by a rename: a launch that cannot write it checks the CRC again next time. */
    private static void record(Path archive, String checksum, String identity) {
        Path seal = of(archive);
        Path next = seal.resolveSibling(seal.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            Files.writeString(next, checksum + "\n" + identity + "\n", StandardCharsets.US_ASCII);
            Files.move(next, seal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(next);
            } catch (IOException ignored) {
                // nothing more to do: a stray file of a few bytes in the user's own cache directory
            }
        }
    }
}
