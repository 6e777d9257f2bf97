package io.jfcgi.spawner.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * Starts a program with exactly the fds it should have: {@code fds[i]} becomes its fd i (-1 means /dev/null) and
 * every other fd is closed, which {@link ProcessBuilder} cannot do (it passes only 0-2 and never a socket as 0).
 * Uses posix_spawnp, so the JVM is never forked; signal dispositions and the mask are reset to the defaults,
 * because a launcher started under nohup or from a background job would otherwise pass on ignored signals.
 */
public final class ProcessSpawner {

    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    /** Larger than glibc's posix_spawn_file_actions_t (80), posix_spawnattr_t (336) and sigset_t (128). */
    static final int OPAQUE_BYTES = 1024;

    private final Posix posix;
    private final Runtime runtime;

    public ProcessSpawner(Posix posix) {
        this.posix = posix;
        this.runtime = Runtime.getRuntime(posix.libc());
    }

    /** How the child relates to the launcher's session and process group. */
    public enum Detach {
        /** Its own process group, so a terminal's Ctrl-C reaches the launcher only, which stops it gracefully. */
        OWN_GROUP,
        /** Its own session: the daemon the launcher leaves behind when it returns. */
        NEW_SESSION
    }

    /**
     * Starts {@code argv[0]} (searched in PATH unless it holds a slash) with {@code environment} and the fds
     * {@code fds}; returns its pid. Exec failures inside the child (a missing program) show as exit status 127.
     */
    public int spawn(List<String> argv, Map<String, String> environment, int[] fds, Detach detach)
            throws IOException {
        LibC libc = posix.libc();
        Pointer actions = Memory.allocateDirect(runtime, OPAQUE_BYTES);
        Pointer attributes = Memory.allocateDirect(runtime, OPAQUE_BYTES);
        Pointer signals = Memory.allocateDirect(runtime, OPAQUE_BYTES);
        posix.checkReturned(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            posix.checkReturned(libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try {
                for (int target = 0; target < fds.length; target++) {
                    if (fds[target] < 0) {
                        posix.checkReturned(libc.posix_spawn_file_actions_addopen(actions, target, "/dev/null",
                                Posix.O_RDWR, 0), "posix_spawn_file_actions_addopen");
                    } else {
                        posix.checkReturned(libc.posix_spawn_file_actions_adddup2(actions, fds[target], target),
                                "posix_spawn_file_actions_adddup2");
                    }
                }
                closeTheRest(actions, fds.length);
                libc.sigemptyset(signals);
                posix.checkReturned(libc.posix_spawnattr_setsigmask(attributes, signals), "setsigmask");
                libc.sigfillset(signals);
                libc.sigdelset(signals, Posix.SIGKILL);
                libc.sigdelset(signals, 19); // SIGSTOP: neither can have its disposition set
                posix.checkReturned(libc.posix_spawnattr_setsigdefault(attributes, signals), "setsigdefault");
                short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
                        | (detach == Detach.NEW_SESSION ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP));
                posix.checkReturned(libc.posix_spawnattr_setflags(attributes, flags), "setflags");
                if (detach == Detach.OWN_GROUP) {
                    posix.checkReturned(libc.posix_spawnattr_setpgroup(attributes, 0), "setpgroup");
                }
                IntByReference pid = new IntByReference();
                posix.checkReturned(libc.posix_spawnp(pid, argv.get(0), actions, attributes,
                        argv.toArray(new CharSequence[0]), environment(environment)), "cannot start " + argv.get(0));
                return pid.intValue();
            } finally {
                libc.posix_spawnattr_destroy(attributes);
            }
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    /**
     * Closes every fd from {@code first} up in the child: with closefrom where glibc has it (2.34+), else one
     * close per fd open in the launcher now. spawn-fcgi's version of this loop closes nothing.
     */
    private void closeTheRest(Pointer actions, int first) throws IOException {
        try {
            posix.checkReturned(posix.libc().posix_spawn_file_actions_addclosefrom_np(actions, first),
                    "posix_spawn_file_actions_addclosefrom_np");
            return;
        } catch (UnsatisfiedLinkError e) {
            // An older C library: fall through to the list of open fds.
        }
        for (int fd : openFds()) {
            if (fd >= first) {
                posix.checkReturned(posix.libc().posix_spawn_file_actions_addclose(actions, fd),
                        "posix_spawn_file_actions_addclose");
            }
        }
    }

    private static List<Integer> openFds() throws IOException {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : entries) {
                fds.add(Integer.parseInt(entry.getFileName().toString()));
            }
        }
        return fds;
    }

    private static CharSequence[] environment(Map<String, String> environment) {
        return environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(CharSequence[]::new);
    }
}
