package io.jfcgi.spawner;

import org.junit.jupiter.api.Test;
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

    @Test
    void aJarStillRunsAsBefore() throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "jar");
        List<String> argv = new ArrayList<>(List.of(dir.resolve("jdk/bin/java").toString()));
        argv.addAll(ProgramCommand.DEFAULT_JVM_OPTIONS);
        argv.addAll(List.of("-Xmx64m", "-jar", jar.toString(), "--workers", "4"));
        assertEquals(argv, ProgramCommand.of(options("app.jar --workers 4"), environment(), dir, null));
    }
}
