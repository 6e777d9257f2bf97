package io.jfcgi.spawner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgramCommandTest {

    @TempDir
    Path dir;

    private Map<String, String> environment() throws IOException {
        Path java = dir.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        return Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "PATH", "/usr/bin:/bin");
    }

    private static LaunchOptions options(String program) throws UsageException {
        LaunchCommandLine.Request request = LaunchCommandLine.parse(
                ("-p 9000 --jvm-opt -Xmx64m -- " + program).split(" "));
        return ((LaunchCommandLine.Launch) request).options();
    }

    private List<String> expected(Path runner, Path war, String... args) {
        List<String> argv = new ArrayList<>(List.of(dir.resolve("jdk/bin/java").toString()));
        argv.addAll(ProgramCommand.DEFAULT_JVM_OPTIONS);
        argv.addAll(ProgramCommand.HEAP_RETURN_OPTIONS);
        argv.addAll(List.of("-Xmx64m", "-jar", runner.toString(), war.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    @Test
    void aWarFileRunsOnTheServletRunnerBesideTheLaunchersJar() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path runner = Files.writeString(lib.resolve(ProgramCommand.SERVLET_RUNNER), "jar");
        Path war = Files.writeString(dir.resolve("app.war"), "war");
        assertEquals(expected(runner, war, "--context-path", "/shop"),
                ProgramCommand.of(options("app.war --context-path /shop"), environment(), dir, lib));
    }

    @Test
    void anExplodedWarDirectoryIsAWebApplicationToo() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path runner = Files.writeString(lib.resolve(ProgramCommand.SERVLET_RUNNER), "jar");
        Path war = Files.createDirectories(dir.resolve("exploded/WEB-INF")).getParent();
        assertEquals(expected(runner, war), ProgramCommand.of(options("exploded"), environment(), dir, lib));
    }

    @Test
    void inACheckoutTheRunnerIsFoundInServletTarget() throws Exception {
        Path launcher = Files.createDirectories(dir.resolve("spawner/target"));
        Path runner = Files.writeString(Files.createDirectories(dir.resolve("servlet/target"))
                .resolve(ProgramCommand.SERVLET_RUNNER), "jar");
        Path war = Files.writeString(dir.resolve("app.war"), "war");
        assertEquals(expected(runner, war), ProgramCommand.of(options("app.war"), environment(), dir, launcher));
    }

    @Test
    void jfcgiServletRunnerNamesTheRunnerExplicitly() throws Exception {
        Path runner = Files.writeString(dir.resolve("elsewhere.jar"), "jar");
        Path war = Files.writeString(dir.resolve("app.war"), "war");
        Map<String, String> environment = new java.util.HashMap<>(environment());
        environment.put("JFCGI_SERVLET_RUNNER", runner.toString());
        assertEquals(expected(runner, war), ProgramCommand.of(options("app.war"), environment, dir, null));
    }

    @Test
    void aMissingRunnerIsAOneLineErrorSayingHowToBuildIt() throws Exception {
        Files.writeString(dir.resolve("app.war"), "war");
        Map<String, String> environment = environment();
        UsageException e = assertThrows(UsageException.class,
                () -> ProgramCommand.of(options("app.war"), environment, dir, dir.resolve("lib")));
        assertTrue(e.getMessage().startsWith("cannot find jfcgi-servlet-runner.jar"), e.getMessage());
    }

    @Test
    void aMissingWarIsAOneLineError() throws Exception {
        Map<String, String> environment = environment();
        UsageException e = assertThrows(UsageException.class,
                () -> ProgramCommand.of(options("gone.war"), environment, dir, null));
        assertEquals("cannot read " + dir.resolve("gone.war") + ": give the path of an existing .war",
                e.getMessage());
    }

    @Test
    void aDirectoryWithoutWebInfIsNoWebApplication() throws Exception {
        Files.createDirectories(dir.resolve("plain"));
        assertTrue(!ProgramCommand.isWebApplication("plain", dir.resolve("plain")));
        assertTrue(ProgramCommand.isWebApplication("x.war", dir.resolve("x.war")));
    }

    private List<String> jvmOptions(String line, Map<String, String> environment) throws UsageException {
        LaunchCommandLine.Request request = LaunchCommandLine.parse(("-p 9000 " + line + " -- app.jar").split(" "));
        return ProgramCommand.jvmOptions(((LaunchCommandLine.Launch) request).options(), environment);
    }

    @Test
    void aJvmChildGetsABoundedHeapOf256MiBByDefault() throws Exception {
        List<String> expected = new ArrayList<>(ProgramCommand.DEFAULT_JVM_OPTIONS);
        expected.add("-Xmx256m");
        expected.addAll(ProgramCommand.HEAP_RETURN_OPTIONS);
        assertEquals(expected, jvmOptions("", Map.of()));
    }

    @Test
    void aJvmChildGivesItsHeapBackAtOnceAtAFullCollection() throws Exception {
        List<String> jvm = jvmOptions("", Map.of());
        assertTrue(jvm.containsAll(List.of("-XX:-ShrinkHeapInSteps", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30")), jvm.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-XX:MinHeapFreeRatio=50", "-XX:MaxHeapFreeRatio=90"})
    void theUsersOwnHeapFreeRatioReplacesBothOfOurs(String option) throws Exception {
        List<String> jvm = jvmOptions("--jvm-opt " + option, Map.of());
        assertEquals(List.of(option), jvm.stream().filter(o -> o.contains("HeapFreeRatio")).toList());
    }

    @ParameterizedTest(name = "--max-memory {0} -> -Xmx{1}m")
    @CsvSource({"400, 300", "1000, 750", "1, 32", "40, 32"})
    void withMaxMemoryTheHeapIsThreeQuartersOfItAndNeverUnder32MiB(long maxMemory, long heap) throws Exception {
        assertTrue(jvmOptions("--max-memory " + maxMemory, Map.of()).contains("-Xmx" + heap + "m"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-Xmx1g", "-XX:MaxHeapSize=512m", "-XX:MaxRAMPercentage=50", "-XX:MaxRAM=2g"})
    void theUsersOwnHeapBoundReplacesOurs(String option) throws Exception {
        List<String> jvm = jvmOptions("--jvm-opt " + option, Map.of());
        assertEquals(List.of(option), jvm.stream().filter(o -> o.startsWith("-Xmx") || o.startsWith("-XX:Max")
                && !o.startsWith("-XX:MaxHeapFreeRatio")).toList());
        assertEquals(option, jvm.get(jvm.size() - 1), "the user's options come last");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"})
    void aHeapBoundInTheJvmsOwnVariablesIsLeftToWork(String variable) throws Exception {
        List<String> expected = new ArrayList<>(ProgramCommand.DEFAULT_JVM_OPTIONS);
        expected.addAll(ProgramCommand.HEAP_RETURN_OPTIONS);
        assertEquals(expected, jvmOptions("", Map.of(variable, " -Dx=y  -XX:MaxRAMPercentage=60 ")));
    }

    @Test
    void aJarChildOfAJdkWithTheFlagTrimsItsNativeHeapBeforeTheUsersOptions() throws Exception {
        Files.writeString(dir.resolve("app.jar"), "jar");
        Map<String, String> environment = environment();
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"17.0.15\"\nLIBC=\"gnu\"\n");
        List<String> argv = ProgramCommand.of(options("app.jar"), environment, dir, null);
        int trim = argv.indexOf(NativeHeapTrim.OPTIONS.get(1));
        assertEquals(NativeHeapTrim.OPTIONS, argv.subList(trim - 1, trim + 1));
        assertEquals(trim + 1, argv.indexOf("-Xmx64m"), argv.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"})
    void aTrimIntervalInTheJvmsOwnVariablesIsLeftToWork(String variable) throws Exception {
        Files.writeString(dir.resolve("app.jar"), "jar");
        Map<String, String> environment = new java.util.HashMap<>(environment());
        environment.put(variable, "-XX:TrimNativeHeapInterval=0");
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"21.0.5\"\nLIBC=\"gnu\"\n");
        List<String> argv = ProgramCommand.of(options("app.jar"), environment, dir, null);
        assertTrue(argv.stream().noneMatch(o -> o.startsWith(NativeHeapTrim.INTERVAL)), argv.toString());
    }

    @Test
    void aJarStillRunsAsBefore() throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "jar");
        List<String> argv = new ArrayList<>(List.of(dir.resolve("jdk/bin/java").toString()));
        argv.addAll(ProgramCommand.DEFAULT_JVM_OPTIONS);
        argv.addAll(ProgramCommand.HEAP_RETURN_OPTIONS);
        argv.addAll(List.of("-Xmx64m", "-jar", jar.toString(), "--workers", "4"));
        assertEquals(argv, ProgramCommand.of(options("app.jar --workers 4"), environment(), dir, null));
    }
}
