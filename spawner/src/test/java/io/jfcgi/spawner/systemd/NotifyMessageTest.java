package io.jfcgi.spawner.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sd_notify texts, assignment by assignment, as systemd parses them (one KEY=VALUE per line). */
class NotifyMessageTest {

    @Test
    void readyNamesTheMainPidAndTheStatus() {
        assertEquals("READY=1\nMAINPID=4242\nSTATUS=Serving", NotifyMessage.ready(4242, "Serving"));
    }

    @Test
    void reloadingCarriesTheMonotonicClockInMicroseconds() {
        assertEquals("RELOADING=1\nMONOTONIC_USEC=123456789\nSTATUS=Reloading: replacing every child",
                NotifyMessage.reloading(123_456_789L));
    }

    @Test
    void reloadedIsReadyAgainWithoutAnotherMainPid() {
        assertEquals("READY=1\nSTATUS=Serving: 2 idle", NotifyMessage.reloaded("Serving: 2 idle"));
    }

    @Test
    void stoppingSaysWhy() {
        assertEquals("STOPPING=1\nSTATUS=Stopping: SIGTERM", NotifyMessage.stopping("SIGTERM"));
    }

    @Test
    void mainPidAloneForAHandOver() {
        assertEquals("MAINPID=77", NotifyMessage.mainPid(77));
    }

    @Test
    void mainPidRefusesWhatIsNoProcess() {
        assertThrows(IllegalArgumentException.class, () -> NotifyMessage.mainPid(0));
    }

    @Test
    void aNewlineInAStatusCannotStartAnotherAssignment() {
        assertEquals("STATUS=Failed: a READY=1", NotifyMessage.status("Failed: a\nREADY=1"));
    }

    @ParameterizedTest(name = "idle {0}, active {1}, queue {2}")
    @CsvSource(delimiter = '|', value = {
        "2 | 0 | 0  | Serving: 2 idle, 0 active child(ren); listen queue 0",
        "0 | 4 | 17 | Serving: 0 idle, 4 active child(ren); listen queue 17",
        "1 | 1 | -1 | Serving: 1 idle, 1 active child(ren); listen queue unknown",
    })
    void loadShowsIdleActiveAndTheListenQueue(int idle, int active, int queue, String expected) {
        assertEquals(expected, NotifyMessage.load(idle, active, queue));
    }
}
