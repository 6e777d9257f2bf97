package io.jfcgi.spawner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line a child runs: {@code java [jvm options] -jar app.jar args…} for a .jar (the java of JAVA_HOME,
 * else of PATH); {@code java [jvm options] -jar jfcgi-servlet-runner.jar app.war args…} for a web application (a
 * .war file, or a directory with WEB-INF); the program itself otherwise, found in PATH as spawn-fcgi's execvp would.
 * Checked here, before anything is bound, so that a missing program is a one-line message, not a respawn loop.
 *
 * <p>The servlet runner is found without the spawner depending on it: {@code JFCGI_SERVLET_RUNNER} if set, else
 * {@code jfcgi-servlet-runner.jar} beside the launcher's own jar (a distribution's lib/), else, in a checkout
 * where the launcher is spawner/target/jspawn-fcgi.jar, servlet/target/jfcgi-servlet-runner.jar.
 */
final class ProgramCommand {

    /**
     * The JVM flags a .jar child gets before the user's --jvm-opt: a small heap collector that starts fast and
     * holds little (children are many and small), a heap that starts at 16 MiB and grows with need instead of
     * 1/64 of the machine's memory (-18 MiB RSS per idle child here), class-data sharing on, and an exit on
     * OutOfMemoryError so that the supervisor replaces a broken child instead of leaving it limping. A later
     * --jvm-opt (e.g. -Xms256m) overrides any of them. The heap's bound follows them ({@link #maxHeap}), and then
     * {@link #HEAP_RETURN_OPTIONS}.
     *
     * <p>-XX:-ShrinkHeapInSteps: the serial collector gives the heap back only at a full collection, which a jfcgi
     * child runs once it is quiet after a burst of buffered requests; by default it would shrink nothing at the first
     * such collection (10 % at the second, 40 % at the third), so a burst's heap stayed resident. With it and
     * {@link #HEAP_RETURN_OPTIONS}, 200 stalled 960 KiB PARAMS took a child from 61 MiB to 223 MiB, and it was back
     * at 89 MiB 30 s later; without them it stayed at 254 (docs/reliability.md, "Memory budget").
     */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xshare:auto",
            "-XX:+ExitOnOutOfMemoryError", "-XX:-ShrinkHeapInSteps");
    /**
     * How far a full collection shrinks the heap: to 30 % free rather than 70 %. Left out when the user sets either
     * ratio: the JVM refuses a minimum above the maximum, which one of ours and one of theirs could make.
     */
    static final List<String> HEAP_RETURN_OPTIONS = List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");
    private static final List<String> HEAP_RATIOS = List.of("-XX:MinHeapFreeRatio=", "-XX:MaxHeapFreeRatio=");

    /**
     * The heap a JVM child may grow to unless told otherwise: without it HotSpot takes a quarter of the machine's
     * memory per child, so a few children under load could take it all. 256 MiB holds a typical app.jar many times.
     */
    static final long DEFAULT_MAX_HEAP_MIB = 256;
    /** The least derived bound, above the 16 MiB the heap starts at: -Xmx under -Xms stops the JVM at start. */
    static final long LEAST_MAX_HEAP_MIB = 32;
    /** Options that bound the heap: given any of them (in --jvm-opt or the JVM's own variables), we add none. */
    private static final List<String> HEAP_BOUNDS = List.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAMPercentage=",
            "-XX:MaxRAM=", "-XX:MaxRAMFraction=");
    /** The variables through which the JVM itself reads options. */
    static final List<String> JVM_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    /** The runner jar's file name, in a distribution's lib/ and in servlet/target. */
    static final String SERVLET_RUNNER = "jfcgi-servlet-runner.jar";

    private ProgramCommand() {
    }

    static List<String> of(LaunchOptions options, Map<String, String> environment, Path workDirectory)
            throws UsageException {
        return of(options, environment, workDirectory, launcherDirectory());
    }

    /** @param launcherDirectory where the launcher's jar is (null when run from classes), to find the runner */
    static List<String> of(LaunchOptions options, Map<String, String> environment, Path workDirectory,
            Path launcherDirectory) throws UsageException {
        List<String> program = options.program();
        List<String> argv = new ArrayList<>();
        Path war = workDirectory.resolve(program.get(0));
        if (isWebApplication(program.get(0), war)) {
            if (!Files.isReadable(war)) {
                throw new UsageException("cannot read " + war + ": give the path of an existing .war");
            }
            String java = java(environment);
            argv.add(java);
            argv.addAll(jvmOptions(options, environment, jdk(java)));
            argv.add("-jar");
            argv.add(servletRunner(environment, launcherDirectory).toString());
            argv.add(war.toString());
        } else if (options.isJvmResponder()) {
            Path jar = workDirectory.resolve(program.get(0));
            if (!Files.isReadable(jar) || Files.isDirectory(jar)) {
                throw new UsageException("cannot read " + jar + ": give the path of an existing .jar");
            }
            String java = java(environment);
            argv.add(java);
            argv.addAll(jvmOptions(options, environment, jdk(java)));
            argv.add("-jar");
            argv.add(jar.toString());
        } else {
            argv.add(executable(program.get(0), environment, workDirectory));
        }
        argv.addAll(program.subList(1, program.size()));
        return argv;
    }

    /** As below, for a JVM whose release is unknown (no native heap trim). */
    static List<String> jvmOptions(LaunchOptions options, Map<String, String> environment) {
        return jvmOptions(options, environment, JdkRelease.UNKNOWN);
    }

    /**
     * The defaults, the heap's bound unless the user sets one, the native heap trim where {@code jdk} has it
     * ({@link NativeHeapTrim}), then the user's --jvm-opt.
     */
    static List<String> jvmOptions(LaunchOptions options, Map<String, String> environment, JdkRelease jdk) {
        List<String> jvm = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        List<String> given = new ArrayList<>(options.jvmOptions());
        for (String variable : JVM_VARIABLES) {
            given.addAll(List.of(environment.getOrDefault(variable, "").trim().split("\\s+")));
        }
        if (given.stream().noneMatch(option -> HEAP_BOUNDS.stream().anyMatch(option::startsWith))) {
            jvm.add("-Xmx" + maxHeapMiB(options.maxMemoryMiB()) + "m");
        }
        if (given.stream().noneMatch(option -> HEAP_RATIOS.stream().anyMatch(option::startsWith))) {
            jvm.addAll(HEAP_RETURN_OPTIONS);
        }
        jvm.addAll(NativeHeapTrim.options(jdk, given));
        jvm.addAll(options.jvmOptions());
        return jvm;
    }

    /** The release of the JDK that {@code java} belongs to (through links, as Debian's /usr/bin/java is one). */
    private static JdkRelease jdk(String java) {
        try {
            Path bin = Path.of(java).toRealPath().getParent();
            return bin == null || bin.getParent() == null ? JdkRelease.UNKNOWN : JdkRelease.of(bin.getParent());
        } catch (IOException e) {
            return JdkRelease.UNKNOWN;
        }
    }

    /**
     * 3/4 of --max-memory when given, leaving the rest of the child's RSS budget to what is not heap (metaspace, code,
     * thread stacks), so that the JVM collects before the launcher recycles it; else {@value #DEFAULT_MAX_HEAP_MIB}.
     */
    static long maxHeapMiB(long maxMemoryMiB) {
        return maxMemoryMiB > 0 ? Math.max(LEAST_MAX_HEAP_MIB, maxMemoryMiB * 3 / 4) : DEFAULT_MAX_HEAP_MIB;
    }

    /** A .war file (existing or not: then the error says so), or an exploded WAR: a directory with WEB-INF. */
    static boolean isWebApplication(String program, Path resolved) {
        return program.endsWith(".war") && !Files.isDirectory(resolved)
                || Files.isDirectory(resolved) && Files.isDirectory(resolved.resolve("WEB-INF"));
    }

    private static Path servletRunner(Map<String, String> environment, Path launcherDirectory)
            throws UsageException {
        String configured = environment.get("JFCGI_SERVLET_RUNNER");
        if (configured != null && !configured.isEmpty()) {
            Path runner = Path.of(configured);
            if (!Files.isReadable(runner) || Files.isDirectory(runner)) {
                throw new UsageException("JFCGI_SERVLET_RUNNER=" + configured + " is not a readable jar");
            }
            return runner;
        }
        List<Path> candidates = new ArrayList<>();
        if (launcherDirectory != null) {
            candidates.add(launcherDirectory.resolve(SERVLET_RUNNER));
            // a checkout: spawner/target/jspawn-fcgi.jar beside servlet/target/jfcgi-servlet-runner.jar
            candidates.add(launcherDirectory.resolve("../../servlet/target").resolve(SERVLET_RUNNER).normalize());
        }
        for (Path candidate : candidates) {
            if (Files.isReadable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new UsageException("cannot find " + SERVLET_RUNNER + " to run the web application (looked in "
                + candidates + "): build it (./mvnw -q -pl servlet -am package -DskipTests), or set "
                + "JFCGI_SERVLET_RUNNER to its path");
    }

    /** The directory of the jar this class was loaded from, or null when it is not a jar (tests, an IDE). */
    private static Path launcherDirectory() {
        try {
            var source = ProgramCommand.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? location.getParent() : null;
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String java(Map<String, String> environment) throws UsageException {
        String home = environment.get("JAVA_HOME");
        if (home != null && !home.isEmpty()) {
            Path java = Path.of(home, "bin", "java");
            if (Files.isExecutable(java)) {
                return java.toString();
            }
        }
        String found = searchPath("java", environment);
        if (found == null) {
            throw new UsageException("cannot find java to run the .jar: set JAVA_HOME or put java on PATH");
        }
        return found;
    }

    private static String executable(String name, Map<String, String> environment, Path workDirectory)
            throws UsageException {
        if (name.contains("/")) {
            Path path = workDirectory.resolve(name);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new UsageException("cannot execute " + path + ": "
                        + (Files.exists(path) ? "it is not an executable file; chmod +x it"
                                : "no such file; give the right path"));
            }
            return path.toString();
        }
        String found = searchPath(name, environment);
        if (found == null) {
            throw new UsageException("program '" + name + "' is not in PATH (" + environment.getOrDefault("PATH", "")
                    + "): install it or give its full path");
        }
        return found;
    }

    private static String searchPath(String name, Map<String, String> environment) {
        for (String directory : environment.getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
