package io.jfcgi.spawner.os;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library calls the launcher needs and the JDK does not offer: raw listening sockets whose fd can be handed
 * to a child, {@code posix_spawn} with file actions and signal defaults (jnr-posix cannot set the latter), and the
 * privilege calls of spawn-fcgi. Bound by jnr-ffi; every call records errno.
 */
@SaveError
public interface LibC {

    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, @In int[] value, int length);

    /** For options whose value holds a pointer (SO_ATTACH_FILTER's struct sock_fprog). */
    int setsockopt(int fd, int level, int name, Pointer value, int length);

    int getsockopt(int fd, int level, int name, @Out byte[] value, IntByReference length);

    int getsockname(int fd, @Out byte[] address, IntByReference length);

    int bind(int fd, @In byte[] address, int length);

    int listen(int fd, int backlog);

    int close(int fd);

    @ssize_t
    long send(int fd, @In byte[] buffer, @size_t long length, int flags);

    @ssize_t
    long recv(int fd, @Out byte[] buffer, @size_t long length, int flags);

    int open(String path, int flags, int mode);

    int dup2(int fd, int target);

    int pipe2(@Out int[] fds, int flags);

    int fcntl(int fd, int command, int argument);

    int flock(int fd, int operation);

    int umask(int mask);

    int chown(String path, int uid, int gid);

    int chroot(String path);

    int chdir(String path);

    int setgroups(@size_t long count, @In int[] groups);

    int initgroups(String user, int group);

    int setgid(int gid);

    int setuid(int uid);

    int geteuid();

    int getpid();

    int kill(int pid, int signal);

    int waitpid(int pid, @Out int[] status, int options);

    int posix_spawnp(IntByReference pid, CharSequence file, Pointer actions, Pointer attributes,
            CharSequence[] argv, CharSequence[] envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int target);

    int posix_spawn_file_actions_addclose(Pointer actions, int fd);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, CharSequence path, int flags, int mode);

    /** glibc 2.34+; missing elsewhere, where the launcher closes the fds it knows of instead. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setpgroup(Pointer attributes, int group);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer set);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer set);

    /** {@code action} and {@code previous} are {@code struct sigaction}s, either may be null. */
    int sigaction(int signal, Pointer action, Pointer previous);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int sigdelset(Pointer set, int signal);

    String strerror(int errno);
}
