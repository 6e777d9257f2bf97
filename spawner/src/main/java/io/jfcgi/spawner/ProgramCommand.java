package io.jfcgi.spawner;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line a child runs: {@code java [jvm options] -jar app.jar args…} for a .jar (the java of JAVA_HOME,
 * else of PATH), the program itself otherwise, found in PATH as spawn-fcgi's execvp would. Checked here, before
 * anything is bound, so that a missing program is a one-line message, not a respawn loop.
 */
final class ProgramCommand {

    /**
     * The JVM flags a .jar child gets before the user's --jvm-opt: a small heap collector that starts fast and
     * holds little (children are many and small), a heap that starts at 16 MiB and grows with need instead of
     * 1/64 of the machine's memory (-18 MiB RSS per idle child here), class-data sharing on, and an exit on
     * OutOfMemoryError so that the supervisor replaces a broken child instead of leaving it limping. A later
     * --jvm-opt (e.g. -Xms256m) overrides any of them.
     */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xshare:auto",
            "-XX:+ExitOnOutOfMemoryError");

    private ProgramCommand() {
    }

    static List<String> of(LaunchOptions options, Map<String, String> environment, Path workDirectory)
            throws UsageException {
        List<String> program = options.program();
        List<String> argv = new ArrayList<>();
        if (options.isJar()) {
            Path jar = workDirectory.resolve(program.get(0));
            if (!Files.isReadable(jar) || Files.isDirectory(jar)) {
                throw new UsageException("cannot read " + jar + ": give the path of an existing .jar");
            }
            argv.add(java(environment));
            argv.addAll(DEFAULT_JVM_OPTIONS);
            argv.addAll(options.jvmOptions());
            argv.add("-jar");
            argv.add(jar.toString());
        } else {
            argv.add(executable(program.get(0), environment, workDirectory));
        }
        argv.addAll(program.subList(1, program.size()));
        return argv;
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
