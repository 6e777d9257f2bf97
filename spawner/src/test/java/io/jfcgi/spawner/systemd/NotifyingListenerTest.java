package io.jfcgi.spawner.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jfcgi.spawner.pool.StartupListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What systemd is told at each turn of the pool's life, and what it is not told twice. */
class NotifyingListenerTest {

    private final List<String> told = new ArrayList<>();
    private final List<String> passedOn = new ArrayList<>();
    private final StartupListener next = new StartupListener() {
        @Override
        public void serving(int launcherPid) {
            passedOn.add("serving " + launcherPid);
        }

        @Override
        public void failed(String message, int exitCode) {
            passedOn.add("failed " + exitCode);
        }
    };
    private final NotifyingListener listener = new NotifyingListener(next, told::add, () -> 5_000_000L);

    @Test
    void servingIsReadyWithTheMainPidAndPassedOn() {
        listener.serving(42);
        assertEquals(List.of("READY=1\nMAINPID=42\nSTATUS=Serving"), told);
        assertEquals(List.of("serving 42"), passedOn);
    }

    @Test
    void aReloadIsReloadingThenReadyWithTheLastLoad() {
        listener.load(2, 0, 0);
        listener.reloading();
        listener.reloaded();
        assertEquals(List.of("STATUS=Serving: 2 idle, 0 active child(ren); listen queue 0",
                "RELOADING=1\nMONOTONIC_USEC=5000000\nSTATUS=Reloading: replacing every child",
                "READY=1\nSTATUS=Serving: 2 idle, 0 active child(ren); listen queue 0"), told);
    }

    @Test
    void theLoadIsSentOnlyWhenItChanges() {
        listener.load(2, 0, 0);
        listener.load(2, 0, 0);
        listener.load(1, 1, 0);
        assertEquals(List.of("STATUS=Serving: 2 idle, 0 active child(ren); listen queue 0",
                "STATUS=Serving: 1 idle, 1 active child(ren); listen queue 0"), told);
    }

    @Test
    void stoppingIsSentOnceAndSilencesTheRest() {
        listener.stopping("SIGTERM");
        listener.stopping("SIGTERM");
        listener.load(0, 1, 0);
        listener.reloading();
        listener.reloaded();
        assertEquals(List.of("STOPPING=1\nSTATUS=Stopping: SIGTERM"), told);
    }

    @Test
    void aFailedStartIsPassedOnAndShownAsTheStatus() {
        listener.failed("5 children exited before serving", 3);
        assertEquals(List.of("STATUS=Failed: 5 children exited before serving"), told);
        assertEquals(List.of("failed 3"), passedOn);
    }

    @Test
    void theStopAfterAFailedStartKeepsTheReasonInTheStatus() {
        listener.failed("5 children exited before serving", 3);
        listener.stopping("giving up");
        assertEquals("STOPPING=1\nSTATUS=Stopping: giving up: 5 children exited before serving", told.get(1));
    }

    @Test
    void withoutNotifySocketTheListenerIsLeftAsItWas() {
        assertSame(next, NotifyingListener.around(next, SystemdNotify.from(Map.of())));
    }
}
