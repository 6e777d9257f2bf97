package io.jfcgi.spawner.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * Binds the C calls a launch makes before its first spawn, off the main thread: jnr-ffi binds each method of
 * {@link LibC} at its first call (the first of all also finds libc's file), ~60-110 ms under load on the main
 * thread otherwise (docs/benchmarks.md, "the launcher's path to the first spawn"). Every call here is harmless: on
 * fd -1 (EBADF), or on spawn attributes that are made and destroyed without a spawn; posix_spawnp itself, waitpid,
 * kill and the calls that change the process are left to their first real use.
 */
public final class CallsAhead {

    private CallsAhead() {
    }

    /** In the order a launch needs them: its user, its socket, its children's pipes and spawn attributes. */
    public static void bind(Posix posix) {
        LibC libc = posix.libc();
        libc.geteuid();
        libc.getpid();
        byte[] address = new byte[128];
        IntByReference length = new IntByReference(address.length);
        libc.setsockopt(-1, Posix.SOL_SOCKET, Posix.SO_REUSEADDR, new int[] {1}, 4);
        libc.bind(-1, address, 16);
        libc.listen(-1, 1);
        libc.getsockname(-1, address, length);
        libc.getsockopt(-1, Posix.SOL_SOCKET, Posix.SO_REUSEADDR, address, length);
        libc.fcntl(-1, Posix.F_DUPFD_CLOEXEC, 10);
        libc.close(-1);
        spawnAttributes(posix);
    }

    private static void spawnAttributes(Posix posix) {
        LibC libc = posix.libc();
        Runtime runtime = Runtime.getRuntime(libc);
        Pointer actions = Memory.allocateDirect(runtime, ProcessSpawner.OPAQUE_BYTES);
        Pointer attributes = Memory.allocateDirect(runtime, ProcessSpawner.OPAQUE_BYTES);
        Pointer signals = Memory.allocateDirect(runtime, ProcessSpawner.OPAQUE_BYTES);
        if (libc.posix_spawn_file_actions_init(actions) == 0) {
            libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Posix.O_RDWR, 0);
            libc.posix_spawn_file_actions_adddup2(actions, 0, 1);
            try {
                libc.posix_spawn_file_actions_addclosefrom_np(actions, 3);
            } catch (UnsatisfiedLinkError e) {
                libc.posix_spawn_file_actions_addclose(actions, 3);
            }
            libc.posix_spawn_file_actions_destroy(actions);
        }
        if (libc.posix_spawnattr_init(attributes) == 0) {
            libc.sigemptyset(signals);
            libc.posix_spawnattr_setsigmask(attributes, signals);
            libc.sigfillset(signals);
            libc.sigdelset(signals, Posix.SIGKILL);
            libc.posix_spawnattr_setsigdefault(attributes, signals);
            libc.posix_spawnattr_setflags(attributes, (short) 0);
            libc.posix_spawnattr_setpgroup(attributes, 0);
            libc.posix_spawnattr_destroy(attributes);
        }
    }
}
