package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's reading of a child's status channel (fd 3) against a child that writes what no jfcgi child does. */
class StatusChannelIT {

    /** Twice the launcher's heap (-Xmx64m), with no newline: read whole as one line, it would take the launcher. */
    private static final int ENDLESS = 64 << 20;

    @TempDir
    Path dir;

    @Test
    void aChildWritingAnEndlessStatusLineLeavesTheLauncherUpAndItsNextLinesAreRead() throws Exception {
        Path child = dir.resolve("endless-status.sh");
        Files.writeString(child, """
                #!/bin/bash
                head -c %d /dev/zero | tr '\\0' x >&3
                printf '\\ncounts 0 7 0 0\\n' >&3
                exec sleep 600
                """.formatted(ENDLESS));
        Files.setPosixFilePermissions(child, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = dir.resolve("launcher.log");
        Path pidFile = dir.resolve("app.pid");
        try (Launch launch = Launch.of(dir, "-n", "-s", dir.resolve("app.sock").toString(), "-F", "1", "-P",
                pidFile.toString(), "--log", log.toString(), "--", child.toString())) {
            Launch.await(Duration.ofSeconds(120), "the counts line after the endless one in the status",
                    () -> status(pidFile).matches("(?s).*\\nshed requests: +7\\n.*"));
            assertTrue(launch.process.isAlive(), "the launcher is up");
            String output = Launch.read(log);
            assertEquals(1, output.lines().filter(line -> line.contains("wrote a status line (fd 3) longer than "
                    + "65536 bytes: dropped")).count(), output);
            assertTrue(!output.contains("OutOfMemoryError"), output);
        }
    }

    private String status(Path pidFile) {
        try {
            return Launch.status(dir, pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
