package io.jfcgi.spawner.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** On SIGURG, whose default action is to do nothing, so the test JVM is safe whatever arrives meanwhile. */
class SignalDispositionTest {

    private static final int SIGURG = 23;
    private final Posix posix = Posix.get();

    @AfterEach
    void backToDefault() throws Exception {
        setHandler(0);
    }

    @Test
    void anIgnoredSignalIsPutBackToItsDefault() throws Exception {
        setHandler(1); // SIG_IGN, as nohup leaves SIGHUP
        assertTrue(SignalDisposition.isIgnored(posix, SIGURG));
        assertTrue(SignalDisposition.restoreIfIgnored(posix, SIGURG));
        assertFalse(SignalDisposition.isIgnored(posix, SIGURG));
        assertEquals(0, handler(), "SIG_DFL");
    }

    @Test
    void aSignalThatIsNotIgnoredIsLeftAsItIs() throws Exception {
        setHandler(0);
        assertFalse(SignalDisposition.restoreIfIgnored(posix, SIGURG));
        assertEquals(0, handler());
    }

    private void setHandler(long handler) throws Posix.NativeException {
        Pointer action = Memory.allocateDirect(Runtime.getRuntime(posix.libc()), 256, true);
        action.putAddress(0, handler);
        posix.check(posix.libc().sigaction(SIGURG, action, null), "sigaction");
    }

    private long handler() throws Posix.NativeException {
        Pointer current = Memory.allocateDirect(Runtime.getRuntime(posix.libc()), 256, true);
        posix.check(posix.libc().sigaction(SIGURG, null, current), "sigaction");
        return current.getAddress(0);
    }
}
