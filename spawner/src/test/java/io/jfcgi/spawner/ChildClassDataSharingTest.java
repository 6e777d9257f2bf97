package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The archive's place, name and flags, with a fake JDK and app.jar in a temporary directory: no process. */
class ChildClassDataSharingTest {

    @TempDir
    Path dir;
    private Path jar;
    private int uid;

    @BeforeEach
    void jdkAndApp() throws IOException {
        Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"17.0.15\"\n");
        Files.createDirectories(dir.resolve("jdk/lib/server"));
        Files.writeString(dir.resolve("jdk/lib/server/libjvm.so"), "jvm");
        jar = Files.writeString(dir.resolve("app.jar"), "jar");
        uid = (Integer) Files.getAttribute(dir, "unix:uid");
    }

    private List<String> argv(String... jvmOptions) {
        List<String> argv = new ArrayList<>(List.of(dir.resolve("jdk/bin/java").toString()));
        argv.addAll(List.of(jvmOptions));
        argv.addAll(List.of("-jar", jar.toString(), "--flag"));
        return argv;
    }

    private ChildClassDataSharing.Plan plan(List<String> argv) {
        return ChildClassDataSharing.plan(ChildClassDataSharing.Choice.in(dir.resolve("cache")), argv, "app.jar",
                Map.of(), uid);
    }

    private Path archive() {
        return plan(argv()).archive();
    }

    @Test
    void noCdsAddsNothingAndTrainsNothing() {
        ChildClassDataSharing.Plan plan = ChildClassDataSharing.plan(ChildClassDataSharing.Choice.OFF, argv(),
                "app.jar", Map.of(), uid);
        assertEquals(List.of(), plan.jvmOptions());
        assertFalse(plan.needsTraining());
    }

    @Test
    void withoutAnArchiveTheChildrenGetNoFlagsAndOneIsTrained() {
        ChildClassDataSharing.Plan plan = plan(argv());
        assertEquals(List.of(), plan.jvmOptions());
        assertTrue(plan.needsTraining());
        assertEquals(dir.resolve("cache"), plan.archive().getParent());
        assertTrue(plan.archive().getFileName().toString().startsWith("app.jar-"));
    }

    @Test
    void aSealedArchiveIsGivenToTheChildrenQuietly() throws IOException {
        Path archive = archive();
        seal(archive, "archive");
        List<String> expected = new ArrayList<>(ChildClassDataSharing.QUIET);
        expected.add("-XX:SharedArchiveFile=" + archive);
        ChildClassDataSharing.Plan plan = plan(argv());
        assertEquals(expected, plan.jvmOptions());
        assertFalse(plan.needsTraining());
    }

    @Test
    void anArchiveThatDoesNotMatchItsChecksumIsRemovedAndTrainedAgain() throws IOException {
        Path archive = archive();
        seal(archive, "archive");
        Files.writeString(archive, "damaged");
        ChildClassDataSharing.Plan plan = plan(argv());
        assertEquals(List.of(), plan.jvmOptions());
        assertTrue(plan.needsTraining());
        assertFalse(Files.exists(archive));
        assertFalse(Files.exists(ArchiveSeal.of(archive)));
    }

    @Test
    void anArchiveWithoutItsChecksumIsNotUsed() throws IOException {
        Path archive = archive();
        Files.writeString(archive, "archive");
        assertEquals(List.of(), plan(argv()).jvmOptions());
    }

    @ParameterizedTest(name = "--jvm-opt {0}")
    @ValueSource(strings = {"-Xshare:off", "-XX:SharedArchiveFile=/mine.jsa", "-XX:ArchiveClassesAtExit=/x.jsa",
            "-XX:+AutoCreateSharedArchive", "-XX:AOTCache=/app.aot"})
    void theUsersOwnSharingWins(String option) throws IOException {
        seal(archive(), "archive");
        ChildClassDataSharing.Plan plan = plan(argv("-XX:+UseSerialGC", option));
        assertEquals(List.of(), plan.jvmOptions());
        assertFalse(plan.needsTraining());
        assertTrue(plan.description().contains(option), plan.description());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"})
    void theUsersOwnSharingWinsFromTheJvmsVariablesToo(String variable) {
        assertEquals("-Xshare:off", ChildClassDataSharing.usersOwn(List.of("-Xmx64m"),
                Map.of(variable, "-Xss1m -Xshare:off")));
    }

    @Test
    void theDirectoryIsCreatedForTheOwnerOnly() throws IOException {
        plan(argv());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache"))));
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"rwxrwx---", "rwx---rwx", "rwxrwxrwx"})
    void aDirectoryOthersMayWriteIsRefused(String mode) throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString(mode));
        ChildClassDataSharing.Plan plan = plan(argv());
        assertEquals(List.of(), plan.jvmOptions());
        assertFalse(plan.needsTraining());
        assertTrue(plan.description().contains("writable by others"), plan.description());
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() {
        ChildClassDataSharing.Plan plan = ChildClassDataSharing.plan(
                ChildClassDataSharing.Choice.in(dir.resolve("cache")), argv(), "app.jar", Map.of(), uid + 1);
        assertFalse(plan.needsTraining());
        assertTrue(plan.description().contains("belongs to uid " + uid), plan.description());
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsRefused() throws IOException {
        Files.writeString(dir.resolve("cache"), "");
        assertTrue(plan(argv()).description().contains("is not a directory"));
    }

    @ParameterizedTest(name = "XDG_CACHE_HOME={0} HOME={1} -> {2}")
    @CsvSource(nullValues = "none", value = {
            "/var/cache/u, /home/u, /var/cache/u/jfcgi",
            "relative/cache, /home/u, /home/u/.cache/jfcgi",
            "none, /home/u, /home/u/.cache/jfcgi",
            "none, none, none"})
    void theDefaultDirectoryFollowsXdg(String cache, String home, String expected) {
        Map<String, String> environment = new HashMap<>();
        if (cache != null) {
            environment.put("XDG_CACHE_HOME", cache);
        }
        if (home != null) {
            environment.put("HOME", home);
        }
        assertEquals(expected == null ? null : Path.of(expected),
                ChildClassDataSharing.defaultDirectory(environment));
    }

    @Test
    void withoutAHomeThereIsNoDefaultDirectory() {
        ChildClassDataSharing.Plan plan = ChildClassDataSharing.plan(ChildClassDataSharing.Choice.DEFAULT, argv(),
                "app.jar", Map.of(), uid);
        assertFalse(plan.needsTraining());
        assertTrue(plan.description().contains("--cds-dir"));
    }

    @Test
    void theNameIsStableForTheSameAppAndJvm() {
        assertEquals(archive(), archive());
    }

    @Test
    void aRebuiltAppGetsANewArchiveWithTheSamePrefix() throws IOException {
        String before = archive().getFileName().toString();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        String after = archive().getFileName().toString();
        assertNotEquals(before, after);
        assertEquals(before.substring(0, before.lastIndexOf('-')), after.substring(0, after.lastIndexOf('-')));
    }

    @Test
    void anotherJvmGetsAnotherArchive() throws IOException {
        String before = archive().getFileName().toString();
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"17.0.16\"\n");
        assertNotEquals(before.substring(0, before.lastIndexOf('-')),
                archive().getFileName().toString().substring(0, before.lastIndexOf('-')));
    }

    @Test
    void otherJvmOptionsGetAnotherArchive() {
        assertNotEquals(archive(), plan(argv("-Xmx1g")).archive());
    }

    @Test
    void aForeignProgramGetsNoArchive() {
        ChildClassDataSharing.Plan plan = plan(List.of("/usr/bin/php-cgi"));
        assertFalse(plan.needsTraining());
        assertEquals(List.of(), plan.jvmOptions());
    }

    @Test
    void theFlagsGoInFrontOfJar() {
        assertEquals(List.of("java", "-Xmx1m", "-Xlog:cds=off", "-jar", "app.jar", "x"),
                ChildClassDataSharing.withJvmOptions(List.of("java", "-Xmx1m", "-jar", "app.jar", "x"),
                        List.of("-Xlog:cds=off")));
    }

    @Test
    void withoutUsersOwnSharingThereIsNone() {
        assertNull(ChildClassDataSharing.usersOwn(List.of("-Xmx1m"), Map.of()));
    }

    @Test
    void aNamesHashIsTwelveHexDigitsOfFnv1a() {
        // FNV-1a 64 of "" is its offset basis, of "a" a published test vector; the name keeps the low 48 bits.
        assertEquals("9ce484222325", ChildClassDataSharing.hash(""));
        assertEquals("dc4c8601ec8c", ChildClassDataSharing.hash("a")); // af63dc4c8601ec8c
        assertNotEquals(ChildClassDataSharing.hash("java -jar a.jar"), ChildClassDataSharing.hash("java -jar b.jar"));
    }

    private static void seal(Path archive, String content) throws IOException {
        Files.createDirectories(archive.getParent());
        Files.writeString(archive, content);
        Files.writeString(ArchiveSeal.of(archive), ArchiveSeal.checksum(archive) + "\n");
    }
}
