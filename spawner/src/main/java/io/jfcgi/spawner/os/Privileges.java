package io.jfcgi.spawner.os;

import java.io.IOException;
import java.nio.file.Path;
import jnr.posix.Group;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;

/**
 * Users, groups and giving up root, in spawn-fcgi's order: resolve, (bind), setgid + supplementary groups, chroot,
 * setuid. The launcher drops its own privileges, like spawn-fcgi, so that children started later can never run
 * as root; uid and gid 0 are refused for them.
 */
public final class Privileges {

    private final Posix posix;
    /** jnr-posix, for the passwd and group databases: loaded on first use only, as it costs ~100 ms at start. */
    private POSIX names;

    public Privileges(Posix posix) {
        this.posix = posix;
    }

    /** A user as the passwd database has it: numeric ids are accepted without an entry, as spawn-fcgi does. */
    public record User(String name, int uid, int primaryGid) {
    }

    public boolean isRoot() {
        return posix.libc().geteuid() == 0;
    }

    public User user(String nameOrId) throws IOException {
        Passwd entry = names().getpwnam(nameOrId);
        if (entry == null && nameOrId.matches("\\d+")) {
            entry = names().getpwuid(Integer.parseInt(nameOrId));
            if (entry == null) {
                return new User(null, Integer.parseInt(nameOrId), -1);
            }
        }
        if (entry == null) {
            throw new IOException("there is no user '" + nameOrId + "': create it, or name an existing one");
        }
        return new User(entry.getLoginName(), (int) entry.getUID(), (int) entry.getGID());
    }

    public int group(String nameOrId) throws IOException {
        Group entry = names().getgrnam(nameOrId);
        if (entry != null) {
            return (int) entry.getGID();
        }
        if (nameOrId.matches("\\d+")) {
            return Integer.parseInt(nameOrId);
        }
        throw new IOException("there is no group '" + nameOrId + "': create it, or name an existing one");
    }

    private POSIX names() {
        if (names == null) {
            names = POSIXFactory.getNativePOSIX();
        }
        return names;
    }

    /**
     * Takes {@code gid} (the user's primary group when -1) and the user's supplementary groups; the first half of
     * dropping root, done before chroot. Neither id may be 0: -u exists to keep FastCGI programs off root.
     */
    public void becomeGroup(User user, int gid) throws IOException {
        int group = gid != -1 ? gid : user.primaryGid();
        if (user.uid() == 0) {
            throw new IOException("refusing to run children as uid 0 (-u): name an unprivileged user");
        }
        if (group == 0 || group == -1) {
            throw new IOException(group == 0 ? "refusing to run children with gid 0: name another group with -g"
                    : "user " + user.uid() + " has no passwd entry, so it has no group: give one with -g");
        }
        posix.check(posix.libc().setgid(group), "setgid(" + group + ")");
        if (user.name() != null) {
            posix.check(posix.libc().initgroups(user.name(), group), "initgroups(" + user.name() + ")");
        } else {
            posix.check(posix.libc().setgroups(0, new int[0]), "setgroups");
        }
    }

    /** The last step, after chroot: from here on the launcher and its children run as {@code user}. */
    public void becomeUser(User user) throws IOException {
        posix.check(posix.libc().setuid(user.uid()), "setuid(" + user.uid() + ")");
    }

    /**
     * The JVM reads some of its own files only when first needed: after the chroot they are out of sight and
     * the first log line with a time stamp failed (lib/tzdb.dat). Read them now.
     */
    private static void readWhatTheJvmReadsLazily() {
        java.time.ZoneId.systemDefault().getRules();
        java.time.ZoneId.of("UTC").getRules();
    }

    /** chroot without a user change (-c alone, as root). */
    public void chroot(Path chroot) throws IOException {
        // Unlike spawn-fcgi, the launcher watches its children through /proc (RSS, fds, accept state, its pipes).
        if (!java.nio.file.Files.isDirectory(chroot.resolve("proc/self/fd"))) {
            throw new IOException("-c " + chroot + ": jspawn-fcgi needs /proc inside the chroot to supervise its "
                    + "children; mount it first (mount --bind /proc " + chroot.resolve("proc")
                    + ", or mount -t proc proc " + chroot.resolve("proc") + ")");
        }
        readWhatTheJvmReadsLazily();
        posix.check(posix.libc().chroot(chroot.toString()), "chroot " + chroot);
        posix.check(posix.libc().chdir("/"), "chdir / in the chroot");
    }
}
