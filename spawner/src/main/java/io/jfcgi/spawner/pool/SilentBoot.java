package io.jfcgi.spawner.pool;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * When a child that has said nothing on its status channel counts as booted. A foreign program (php-cgi) has no
 * channel: booted once /proc shows it waiting in accept, or, where that cannot be read, once it has lived
 * {@value #FOREIGN_READY_MILLIS} ms (spawn-fcgi's check). A .jar that never speaks (not built on jfcgi): after
 * {@value #SILENT_JAR_READY_MILLIS} ms, with a warning. Supervisor thread.
 */
final class SilentBoot {

    static final long FOREIGN_READY_MILLIS = 1000;
    static final long SILENT_JAR_READY_MILLIS = 30_000;
    private static final Logger LOG = LogManager.getLogger(SilentBoot.class);

    private final boolean reporting;
    private final ProcReader proc;
    private boolean warned;

    SilentBoot(boolean reporting, ProcReader proc) {
        this.reporting = reporting;
        this.proc = proc;
    }

    /** True when {@code child}, booting, silent and not stopping, is to count as booted now. */
    boolean booted(Child child, long now) {
        long lived = now - child.startedAtMillis;
        if (!reporting) {
            return lived >= FOREIGN_READY_MILLIS || proc.foreignLoad(child.pid) == Child.Load.IDLE;
        }
        if (lived < SILENT_JAR_READY_MILLIS) {
            return false;
        }
        if (!warned) {
            warned = true;
            LOG.warn("child {} has not reported on its status channel after {} s; counting it as ready (is the "
                    + "app built on jfcgi?)", child.pid, SILENT_JAR_READY_MILLIS / 1000);
        }
        return true;
    }
}
