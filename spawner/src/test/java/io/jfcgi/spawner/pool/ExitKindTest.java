package io.jfcgi.spawner.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an exit means, from the child's state, its wait status and how long it lived. */
class ExitKindTest {

    @ParameterizedTest(name = "{0}, booted {1}, status {2}, lived {3} ms, pool stopping {4} -> {5}")
    @CsvSource({
        // lifecycle, booted, raw wait status, lived ms, pool stopping, kind
        "STOPPING,  true,  15,   50000, false, STOPPED",       // told to stop: whatever the status
        "KILLED,    false, 9,    10,    true,  STOPPED",
        "RUNNING,   true,  0,    10,    false, RECYCLED",      // clean exit after it served
        "RUNNING,   false, 0,    100,   false, RECYCLED",      // php-cgi's own limit before the 1 s boot
        "MARKED,    true,  0,    5000,  false, RECYCLED",
        "RUNNING,   false, 0,    99,    false, BOOT_FAILURE",  // clean but at once: a failure
        "RUNNING,   false, 256,  5000,  false, BOOT_FAILURE",  // exit 1 before ready
        "RUNNING,   false, 11,   5000,  false, BOOT_FAILURE",  // SIGSEGV before ready
        "RUNNING,   true,  256,  5000,  false, CRASHED",
        "REPLACING, true,  9,    5000,  false, CRASHED",
        "RUNNING,   true,  0,    5000,  true,  CRASHED",       // no recycle while the pool stops
    })
    void anExitIsClassified(Child.Lifecycle lifecycle, boolean booted, int status, long lived, boolean poolStopping,
            ExitKind kind) {
        Child child = ChildTest.in(lifecycle);
        if (booted) {
            child.boot(1000);
        }
        assertEquals(kind, ExitKind.of(child, status, lived, poolStopping));
    }
}
