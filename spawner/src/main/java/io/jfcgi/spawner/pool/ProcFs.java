package io.jfcgi.spawner.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's /proc: RSS from /proc/PID/statm, the foreign child's state from /proc/PID/syscall. */
final class ProcFs implements ProcReader {

    private static final long PAGE_KIB = 4;

    private final ForeignChildState foreign = ForeignChildState.forThisMachine();

    @Override
    public long rssKiB(int pid) {
        try {
            // statm: size resident shared ... in pages.
            String[] fields = Files.readString(Path.of("/proc/" + pid + "/statm")).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_KIB;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public Child.Load foreignLoad(int pid) {
        return foreign.of(pid);
    }
}
