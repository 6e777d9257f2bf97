package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-data sharing for .jar children: the first launch trains an archive beside its pool, the next one's children
 * map it, and a damaged archive (the worst kind: HotSpot's header intact, the rest garbage, which crashes a JVM that
 * maps it) is caught by its checksum, so the child serves without it. A WAR's servlet runners train and map one too.
 */
class ClassDataSharingIT {

    private static final Duration START = Duration.ofSeconds(60);
    /**
     * Long enough that a socket beside the archive would pass the 108 bytes of a unix socket's path: the training
     * binds elsewhere, or it would never listen and no archive would be made.
     */
    private static final String CACHE = "cache-" + "x".repeat(64);
    /** The training JVM runs under nice beside the pool; a busy CI machine slows it a lot. */
    private static final Duration TRAINED = Duration.ofSeconds(300);

    @TempDir
    static Path trained;
    @TempDir
    Path dir;

    @BeforeAll
    static void aFirstLaunchTrainsTheArchive() throws Exception {
        Path cache = trained.resolve(CACHE);
        try (Launch launch = launch(trained, cache)) {
            int port = launch.port();
            Launch.await(START, "the child ready", () -> launch.linesWith("is ready after") == 1);
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"));
            Launch.await(TRAINED, "the archive made; launcher:\n" + launch.outputText(),
                    () -> launch.linesWith("class-data sharing archive made") == 1);
        }
    }

    /** A pool of one on a port the launcher binds once (-p 0) and names: {@link Launch#port()}. */
    private static Launch launch(Path directory, Path cache) throws IOException {
        return launch(directory, cache, Launch.FIXTURE);
    }

    private static Launch launch(Path directory, Path cache, Path app) throws IOException {
        return Launch.of(directory, "-n", "-a", "127.0.0.1", "-p", "0", "-F", "1", "--cds-dir",
                cache.toString(), "--", app.toString());
    }

    private static List<Path> files(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.sorted().toList();
        }
    }

    /** The trained cache, copied: each test changes its own. */
    private Path copyOfTheCache() throws IOException {
        Path cache = Files.createDirectory(dir.resolve(CACHE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (Path file : files(trained.resolve(CACHE))) {
            Files.copy(file, cache.resolve(file.getFileName()));
        }
        return cache;
    }

    private static Path archiveIn(Path cache) throws IOException {
        return files(cache).stream().filter(file -> file.toString().endsWith(".jsa")).findFirst().orElseThrow();
    }

    @Test
    void theFirstLaunchLeavesOneArchiveAndItsChecksumAndNothingElse() throws IOException {
        List<String> names = files(trained.resolve(CACHE)).stream().map(file -> file.getFileName().toString())
                .toList();
        assertEquals(2, names.size(), names.toString());
        assertTrue(names.get(0).matches("fixture-app\\.jar-[0-9a-f]{12}-[0-9a-f]{12}\\.jsa"), names.toString());
        assertEquals(names.get(0) + ".crc32c", names.get(1));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(trained.resolve(CACHE))));
    }

    @Test
    void theNextLaunchsChildrenMapTheArchive() throws Exception {
        Path cache = copyOfTheCache();
        Path archive = archiveIn(cache);
        try (Launch launch = launch(dir, cache)) {
            int port = launch.port();
            Launch.await(START, "the child ready", () -> launch.linesWith("is ready after") == 1);
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"));
            assertTrue(launch.outputText().contains("children share the classes archived in " + archive),
                    launch.outputText());
            int child = launch.children().get(0);
            String maps = Launch.read(Path.of("/proc/" + child + "/maps"));
            assertTrue(maps.contains(archive.toString()), "the child maps " + archive);
            // One static archive: the JDK's classes come from it, not from the JDK's own lib/server/classes.jsa.
            assertFalse(maps.contains("classes.jsa"), maps);
        }
    }

    @Test
    void aWarsFirstLaunchTrainsAnArchiveThatTheNextLaunchsServletRunnersMap() throws Exception {
        TestWar.assertBuilt();
        Path war = TestWar.explode(dir);
        Path cache = dir.resolve(CACHE);
        try (Launch first = launch(dir, cache, war)) {
            Launch.await(START, "the servlet runner ready", () -> first.linesWith("is ready after") == 1);
            assertTrue(helloFromTheWar(first.port()), first.outputText());
            Launch.await(TRAINED, "the archive made; launcher:\n" + first.outputText(),
                    () -> first.linesWith("class-data sharing archive made") == 1);
        }
        Path archive = archiveIn(cache);
        assertTrue(archive.getFileName().toString().startsWith("plain-"), archive.toString());
        try (Launch next = launch(dir, cache, war)) {
            Launch.await(START, "the servlet runner ready", () -> next.linesWith("is ready after") == 1);
            assertTrue(helloFromTheWar(next.port()), next.outputText());
            assertTrue(next.outputText().contains("children share the classes archived in " + archive),
                    next.outputText());
            int child = next.children().get(0);
            assertTrue(Launch.read(Path.of("/proc/" + child + "/maps")).contains(archive.toString()),
                    "the servlet runner maps " + archive);
        }
    }

    /** The WAR's HelloServlet answered through the pool on {@code port}. */
    private static boolean helloFromTheWar(int port) throws IOException, InterruptedException {
        String body = Launch.request("127.0.0.1:" + port, "/hello");
        return body != null && body.contains(", world! (");
    }

    @Test
    void aDamagedArchiveDoesNotStopAChildFromServing() throws Exception {
        Path cache = copyOfTheCache();
        Path archive = archiveIn(cache);
        archive.toFile().setWritable(true);
        try (FileChannel file = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[(int) Math.min(1 << 20, file.size() - 4096)];
            new Random(14).nextBytes(garbage);
            file.write(ByteBuffer.wrap(garbage), 4096);
        }
        try (Launch launch = launch(dir, cache)) {
            int port = launch.port();
            Launch.await(START, "the child ready; launcher:\n" + launch.outputText(),
                    () -> launch.linesWith("is ready after") == 1);
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"));
            assertTrue(launch.outputText().contains("did not match its checksum and is removed"),
                    launch.outputText());
            int child = launch.children().get(0);
            assertFalse(Launch.read(Path.of("/proc/" + child + "/maps")).contains(archive.toString()));
            assertEquals(0, launch.linesWith("exited") + launch.linesWith("SIGSEGV"), launch.outputText());
            // The new training ends before the launcher does, so that nothing writes in the directory being removed.
            Launch.await(TRAINED, "the archive made again", () -> launch.linesWith("archive made") == 1);
        }
    }
}
