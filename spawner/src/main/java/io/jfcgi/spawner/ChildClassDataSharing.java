package io.jfcgi.spawner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a JVM child's class-data sharing archive is, and the flags that use it: one archive per app (the files on
 * the child's command line, by path, size and mtime), per JVM (its real java.home, version and libjvm.so) and per
 * command line, in a directory that the children's user owns and nobody else may write (an archive is code: one
 * that others could write is code they could run). The archive is only ever made by {@link ArchiveTraining} and put
 * in place whole by a rename, because HotSpot does not check an archive's contents (CRCs only with
 * -XX:+VerifySharedSpaces): a truncated one crashes JDK 17 with SIGBUS, one with damaged contents crashes JDK 17 and
 * 25 with SIGSEGV, so a child killed while it dumped, or two children dumping at once, must never write the file the
 * others map. The archive is static (the JDK's classes the app uses and the app's own, in one file, instead of the
 * JDK's default archive plus a dynamic layer): 10 MiB less per idle child and half the CPU to start on JDK 17
 * (docs/benchmarks.md, "Session 12, child14j"). Pure except for the directory it checks and creates; the uid and
 * environment come in.
 */
final class ChildClassDataSharing {

    /** What the command line chose: the default directory, one of the user's ({@code --cds-dir}), or none. */
    record Choice(boolean enabled, Path directory) {
        static final Choice DEFAULT = new Choice(true, null);
        static final Choice OFF = new Choice(false, null);

        static Choice in(Path directory) {
            return new Choice(true, directory);
        }
    }

    /**
     * What a launch does: {@code jvmOptions} to add to the children's (empty when the archive is not there yet or
     * CDS is off), the {@code archive} to train when it is missing (else null), and a line that says which.
     */
    record Plan(List<String> jvmOptions, Path archive, String description) {
        Plan {
            jvmOptions = List.copyOf(jvmOptions);
        }

        static Plan none(String why) {
            return new Plan(List.of(), null, why);
        }

        boolean needsTraining() {
            return archive != null;
        }
    }

    /**
     * The user's own class-data sharing: any of these in --jvm-opt, JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS, and we
     * add nothing (their archive, or none, wins).
     */
    static final List<String> USERS_OWN = List.of("-Xshare:off", "-Xshare:dump", "-XX:SharedArchiveFile=",
            "-XX:ArchiveClassesAtExit=", "-XX:+AutoCreateSharedArchive", "-XX:-AutoCreateSharedArchive",
            "-XX:SharedClassListFile=", "-XX:DumpLoadedClassList=", "-XX:AOTCache=", "-XX:AOTMode=",
            "-XX:AOTCacheOutput=");
    /** HotSpot's magic number of a static archive (the first four bytes, little-endian on x86 and aarch64). */
    static final int STATIC_ARCHIVE_MAGIC = 0xf00baba2;
    /**
     * Hashed into every archive's name: archives of another kind (the dynamic ones that earlier builds made) get other
     * names, so a launch never takes one of them for its own.
     */
    static final String KIND = "static";
    /** HotSpot warns on stdout when it cannot use an archive (the child then runs without); not a log line's worth. */
    static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private ChildClassDataSharing() {
    }

    /**
     * @param argv the child's command line as {@link ProgramCommand} makes it ({@code java ... -jar x.jar ...})
     * @param uid the user the children run as (the launcher's, after -u)
     */
    static Plan plan(Choice choice, List<String> argv, String appName, Map<String, String> environment, int uid) {
        if (!choice.enabled()) {
            return Plan.none("class-data sharing for children is off (--cds turns it on)");
        }
        int jar = argv.indexOf("-jar");
        if (jar < 0) {
            return Plan.none("class-data sharing applies to .jar and .war children only");
        }
        String own = usersOwn(argv.subList(1, jar), environment);
        if (own != null) {
            return Plan.none("class-data sharing for children: their own " + own + " wins");
        }
        Path directory = choice.directory() != null ? choice.directory() : defaultDirectory(environment);
        if (directory == null) {
            return Plan.none("no class-data sharing for children: neither XDG_CACHE_HOME nor HOME is set; give "
                    + "--cds-dir DIR");
        }
        String refusal = secure(directory, uid);
        if (refusal != null) {
            return Plan.none("no class-data sharing for children: " + refusal);
        }
        Path archive;
        try {
            archive = directory.resolve(archiveName(argv, jar, appName));
        } catch (IOException e) {
            return Plan.none("no class-data sharing for children: " + e.getMessage());
        }
        if (Files.isRegularFile(archive) && !ArchiveSeal.isSealed(archive)) {
            try {
                Files.deleteIfExists(ArchiveSeal.of(archive));
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                return Plan.none("no class-data sharing for children: cannot remove the damaged archive " + archive
                        + ": " + e.getMessage());
            }
            return new Plan(List.of(), archive, "the class-data sharing archive " + archive + " did not match its "
                    + "checksum and is removed (a child mapping it could crash); a new one is made in the background "
                    + "for the next children");
        }
        if (Files.isRegularFile(archive) || ArchiveTraining.adopt(archive)) {
            List<String> flags = new ArrayList<>(QUIET);
            flags.add("-XX:SharedArchiveFile=" + archive);
            return new Plan(flags, null, "children share the classes archived in " + archive);
        }
        // JDK 17 runs with no sharing at all, not even the JDK's own archive, when SharedArchiveFile is missing.
        return new Plan(List.of(), archive, "no class-data sharing archive for " + appName + " yet: one is made "
                + "in the background for the next children (" + archive + ")");
    }

    /** {@code argv} with {@code jvmOptions} in front of its {@code -jar}. */
    static List<String> withJvmOptions(List<String> argv, List<String> jvmOptions) {
        List<String> with = new ArrayList<>(argv);
        with.addAll(Math.max(0, argv.indexOf("-jar")), jvmOptions);
        return List.copyOf(with);
    }

    /** The first of the user's own CDS options, or null. */
    static String usersOwn(List<String> jvmOptions, Map<String, String> environment) {
        List<String> given = new ArrayList<>(jvmOptions);
        for (String variable : ProgramCommand.JVM_VARIABLES) {
            given.addAll(List.of(environment.getOrDefault(variable, "").trim().split("\\s+")));
        }
        return given.stream().filter(option -> USERS_OWN.stream().anyMatch(option::startsWith)).findFirst()
                .orElse(null);
    }

    /** $XDG_CACHE_HOME/jfcgi when that is absolute (as the XDG spec says), else ~/.cache/jfcgi; null if neither. */
    static Path defaultDirectory(Map<String, String> environment) {
        String cache = environment.get("XDG_CACHE_HOME");
        if (cache != null && Path.of(cache).isAbsolute()) {
            return Path.of(cache, "jfcgi");
        }
        String home = environment.get("HOME");
        return home == null || home.isEmpty() ? null : Path.of(home, ".cache", "jfcgi");
    }

    /**
     * Creates the directory (mode 0700) if it is missing; returns why it is refused, or null when it is a
     * directory that {@code uid} owns and that neither its group nor others may write.
     */
    static String secure(Path directory, int uid) {
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            if (!Files.isDirectory(directory)) {
                return directory + " is not a directory";
            }
            int owner = (Integer) Files.getAttribute(directory, "unix:uid");
            if (owner != uid) {
                return directory + " belongs to uid " + owner + ", not to the children's user (uid " + uid
                        + "): give --cds-dir a directory of that user";
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                return directory + " is writable by others (mode "
                        + PosixFilePermissions.toString(permissions) + "): chmod 700 it";
            }
            return null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "cannot use " + directory + ": " + e;
        }
    }

    /**
     * {@code APP-WHO-WHAT.jsa}: WHO hashes the archive's {@link #KIND}, the JVM (real java.home, its release's
     * version, libjvm.so's size and mtime), the command line and the real paths of the files on it; WHAT hashes
     * those files' sizes and mtimes, which HotSpot checks too. A rebuilt app.jar gets a new WHAT, and the archive
     * of the old one can go.
     */
    static String archiveName(List<String> argv, int jar, String appName) throws IOException {
        Path java = Path.of(argv.get(0)).toRealPath();
        Path home = java.getParent().getParent();
        StringBuilder who = new StringBuilder(KIND).append('\n').append(home).append('\n')
                .append(JdkRelease.of(home).version()).append('\n');
        StringBuilder what = new StringBuilder();
        Path libjvm = home.resolve("lib/server/libjvm.so");
        if (Files.isRegularFile(libjvm)) {
            who.append(Files.size(libjvm)).append(' ').append(Files.getLastModifiedTime(libjvm).toMillis());
        }
        for (int i = 1; i < argv.size(); i++) {
            who.append('\n').append(argv.get(i));
            if (i > jar && Files.isRegularFile(Path.of(argv.get(i)))) {
                Path file = Path.of(argv.get(i)).toRealPath();
                who.append(" = ").append(file);
                what.append(Files.size(file)).append(' ').append(Files.getLastModifiedTime(file).toMillis())
                        .append('\n');
            }
        }
        return prefix(appName) + hash(who) + "-" + hash(what) + ".jsa";
    }

    /** The start of every archive name for this app and JVM, whatever the app's files' sizes and mtimes. */
    static String prefix(String appName) {
        return appName.replaceAll("[^A-Za-z0-9._-]", "_") + "-";
    }

    /**
     * 48 bits of FNV-1a (64-bit) in hex. A name only tells configurations apart (HotSpot itself refuses an archive of
     * another JVM or class path); SHA-256 did the same for ~30 ms of every launch before its first spawn, loading
     * the JDK's security providers and spinning VarHandle forms (docs/benchmarks.md, "Fast JVM children").
     */
    static String hash(CharSequence text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return HexFormat.of().toHexDigits(hash).substring(4);
    }
}
