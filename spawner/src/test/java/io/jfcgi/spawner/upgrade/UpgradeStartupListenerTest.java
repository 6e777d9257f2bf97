package io.jfcgi.spawner.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.pool.StartupListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The upgrade's wrapper around the launch's StartupListener passes on what it does not handle itself: systemd's
 * notifications (RELOADING, READY after a reload, STOPPING, STATUS) come through it.
 */
class UpgradeStartupListenerTest {

    @Test
    void reloadsTheStopAndTheLoadReachTheListenerItWraps() {
        List<String> heard = new ArrayList<>();
        StartupListener next = new StartupListener() {
            @Override
            public void serving(int launcherPid) {
                heard.add("serving " + launcherPid);
            }

            @Override
            public void failed(String message, int exitCode) {
                heard.add("failed " + exitCode + " " + message);
            }

            @Override
            public void reloading() {
                heard.add("reloading");
            }

            @Override
            public void reloaded() {
                heard.add("reloaded");
            }

            @Override
            public void stopping(String cause) {
                heard.add("stopping " + cause);
            }

            @Override
            public void load(int idle, int active, int queue) {
                heard.add("load " + idle + " " + active + " " + queue);
            }
        };
        LauncherUpgrade upgrade = new LauncherUpgrade(Posix.get(), new LauncherUpgrade.Settings(Duration.ofSeconds(60),
                Duration.ofSeconds(30), false, null), null, () -> null, "JSPAWN_TEST_READY_FD", pid -> { });
        StartupListener wrapped = upgrade.startup(next, false, null);
        wrapped.serving(42);
        wrapped.reloading();
        wrapped.reloaded();
        wrapped.load(2, 1, 0);
        wrapped.stopping("SIGTERM");
        wrapped.failed("gave up", 3);
        assertEquals(List.of("serving 42", "reloading", "reloaded", "load 2 1 0", "stopping SIGTERM",
                "failed 3 gave up"), heard);
    }
}
