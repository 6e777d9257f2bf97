package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.spawner.os.Posix;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor's part of an upgrade: once a successor launcher serves, the pool stops as at SIGTERM. */
class SupervisorHandOverTest {

    @TempDir
    Path dir;

    private PoolHarness handedOver() {
        PoolHarness.Options options = new PoolHarness.Options();
        options.statusFile = dir.resolve("app.pid.status");
        PoolHarness pool = new PoolHarness(options);
        pool.readyAll();
        pool.supervisor.handOver("upgraded: launcher 4242 serves 127.0.0.1:9000 now");
        pool.supervisor.step(pool.events.poll(), pool.now);
        return pool;
    }

    @Test
    void aHandOverRetiresEveryChildWithSigtermAndTheirStopTimeout() {
        PoolHarness pool = handedOver();
        assertEquals(2, pool.signals.stream().filter(s -> s.signal() == Posix.SIGTERM).count(), "" + pool.signals);
        assertFalse(pool.supervisor.isFinished(), "the children finish their requests first");
        pool.stoppedOnesExit();
        assertTrue(pool.supervisor.isFinished());
        assertEquals(0, pool.supervisor.exitCode());
    }

    @Test
    void aHandOverStartsNoNewChildForTheOnesThatLeave() {
        PoolHarness pool = handedOver();
        pool.stoppedOnesExit();
        pool.turns(5000);
        assertEquals(2, pool.spawned.size());
    }

    @Test
    void afterAHandOverTheStatusFileIsTheSuccessorsAndNoLongerWritten() throws Exception {
        PoolHarness pool = handedOver();
        Files.writeString(dir.resolve("app.pid.status"), "the successor's");
        pool.turns(3000);
        assertEquals("the successor's", Files.readString(dir.resolve("app.pid.status")));
    }
}
