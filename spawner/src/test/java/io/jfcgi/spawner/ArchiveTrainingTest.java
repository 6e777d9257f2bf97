package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training's pieces that need no process: its command, its request, what counts as a whole archive. */
class ArchiveTrainingTest {

    @TempDir
    Path dir;

    @Test
    void theTrainingRunsTheChildsCommandWithTheClassListFlagInFrontOfJar() {
        Path classList = Path.of("/cache/.training-1/classes.list");
        List<String> expected = new ArrayList<>(List.of("java", "-Xmx64m", "-XX:DumpLoadedClassList=" + classList));
        expected.addAll(ChildClassDataSharing.QUIET);
        expected.addAll(List.of("-jar", "app.jar", "--flag"));
        assertEquals(expected, ArchiveTraining.command(List.of("java", "-Xmx64m", "-jar", "app.jar", "--flag"),
                classList));
    }

    @Test
    void theDumpKeepsTheChildsJvmOptionsButItsXshareAndTakesItsJarAsTheClassPath() {
        Path classList = Path.of("/cache/.training-1/classes.list");
        Path output = Path.of("/cache/.training-1/archive.jsa");
        List<String> expected = new ArrayList<>(List.of("/jdk/bin/java", "-XX:+UseSerialGC", "-Xmx64m"));
        expected.addAll(ChildClassDataSharing.QUIET);
        expected.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + output, "-cp", "/srv/app.jar"));
        assertEquals(expected, ArchiveTraining.dumpCommand(List.of("/jdk/bin/java", "-XX:+UseSerialGC",
                "-Xshare:auto", "-Xmx64m", "-jar", "/srv/app.jar", "--flag"), classList, output));
    }

    @Test
    void shWordsComeBackAsTheyWereWithSpacesQuotesAndDollars() throws Exception {
        List<String> words = List.of("/my dir/it's.jar", "$HOME", "a\\b", "`id`", "");
        Process sh = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\n' " + ArchiveTraining.shell(words))
                .redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor());
        assertEquals(String.join("\n", words) + "\n", out);
    }

    @Test
    void theStepsRunTheDumpOnlyWhenTheTrainingListedClasses() throws Exception {
        Path marker = dir.resolve("dumped");
        // "java" here is /bin/true: the training lists nothing, so the dump (here touch) must not run.
        List<String> child = List.of("/bin/true", "-jar", "app.jar");
        String steps = ArchiveTraining.steps(child, dir).replace(ArchiveTraining.shell(
                ArchiveTraining.dumpCommand(child, dir.resolve("classes.list"), dir.resolve("archive.jsa"))),
                ArchiveTraining.shell(List.of("/usr/bin/touch", marker.toString())));
        Files.writeString(dir.resolve(ArchiveTraining.STEPS), steps);
        assertEquals(1, new ProcessBuilder("/bin/sh", dir.resolve(ArchiveTraining.STEPS).toString()).start().waitFor());
        assertFalse(Files.exists(marker));
        Files.writeString(dir.resolve("classes.list"), "java/lang/Object id: 0\n");
        assertEquals(0, new ProcessBuilder("/bin/sh", dir.resolve(ArchiveTraining.STEPS).toString()).start().waitFor());
        assertTrue(Files.exists(marker));
    }

    @Test
    void theRequestIsAWholeGetOfTheRoot() throws Exception {
        ByteBuffer bytes = ArchiveTraining.request();
        RecordDecoder decoder = new RecordDecoder();
        List<Record> records = new ArrayList<>();
        for (Record record; (record = decoder.decode(bytes)) != null; ) {
            records.add(record);
        }
        assertEquals(4, records.size());
        BeginRequest begin = assertInstanceOf(BeginRequest.class, records.get(0));
        assertEquals(Role.RESPONDER, begin.role());
        assertFalse(begin.keepConn(), "the child closes the connection after the response: the end of the answer");
        assertTrue(assertInstanceOf(Params.class, records.get(1)).contentLength() > 0);
        assertEquals(0, assertInstanceOf(Params.class, records.get(2)).contentLength());
        assertEquals(0, assertInstanceOf(Stdin.class, records.get(3)).contentLength());
    }

    @Test
    void aFileThatStartsWithTheStaticArchiveMagicIsAnArchive() throws IOException {
        byte[] header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(ChildClassDataSharing.STATIC_ARCHIVE_MAGIC).array();
        assertTrue(ArchiveTraining.isArchive(Files.write(dir.resolve("a.jsa"), header)));
    }

    @Test
    void aFileWhoseHeaderWasNeverWrittenIsNoArchive() throws IOException {
        // HotSpot writes the header last: a dump killed half-way leaves zeros where the magic goes.
        assertFalse(ArchiveTraining.isArchive(Files.write(dir.resolve("a.jsa"), new byte[4096])));
    }

    @Test
    void aShortOrMissingFileIsNoArchive() throws IOException {
        assertFalse(ArchiveTraining.isArchive(Files.write(dir.resolve("a.jsa"), new byte[] {(byte) 0xa8})));
        assertFalse(ArchiveTraining.isArchive(dir.resolve("missing.jsa")));
    }

    @Test
    void anAbandonedTrainingDirectoryIsRemovedAndARecentOneKept() throws IOException {
        Path old = Files.createDirectories(dir.resolve(".training-1"));
        Files.writeString(old.resolve("archive.jsa"), "half");
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path recent = Files.createDirectories(dir.resolve(".training-2"));
        ArchiveTraining.removeAbandoned(dir);
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(recent));
    }

    private Path trainingOf(Path archive, boolean ended) throws IOException {
        return trainingOf(archive, ended ? "0" : null);
    }

    private Path trainingOf(Path archive, String status) throws IOException {
        Path training = Files.createDirectories(dir.resolve(ArchiveTraining.trainingPrefix(archive) + "123"));
        byte[] header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(ChildClassDataSharing.STATIC_ARCHIVE_MAGIC).array();
        Files.write(training.resolve("archive.jsa"), header);
        if (status != null) {
            Files.writeString(training.resolve(ArchiveTraining.ENDED), status + "\n");
        }
        return training;
    }

    @Test
    void anEndedTrainingThatNoLauncherSawIsAdoptedSealedAndItsDirectoryRemoved() throws IOException {
        Path archive = dir.resolve("app.jar-aaa-bbb.jsa");
        Path training = trainingOf(archive, true);
        assertTrue(ArchiveTraining.adopt(archive));
        assertTrue(ArchiveTraining.isArchive(archive));
        assertTrue(ArchiveSeal.isSealed(archive));
        assertFalse(Files.exists(training));
    }

    @Test
    void aTrainingWhoseJvmMayStillBeWritingIsNotAdopted() throws IOException {
        Path archive = dir.resolve("app.jar-aaa-bbb.jsa");
        Path training = trainingOf(archive, false);
        assertFalse(ArchiveTraining.adopt(archive));
        assertFalse(Files.exists(archive));
        assertTrue(Files.exists(training));
    }

    @Test
    void aTrainingWhoseDumpFailedIsNotAdopted() throws IOException {
        Path archive = dir.resolve("app.jar-aaa-bbb.jsa");
        trainingOf(archive, "124"); // timeout's status: the dump was killed
        assertFalse(ArchiveTraining.adopt(archive));
        assertFalse(Files.exists(archive));
    }

    @Test
    void anotherArchivesTrainingIsNotAdopted() throws IOException {
        trainingOf(dir.resolve("app.jar-aaa-ccc.jsa"), true);
        assertFalse(ArchiveTraining.adopt(dir.resolve("app.jar-aaa-bbb.jsa")));
    }

    @Test
    void publishingRemovesTheArchivesOfOlderBuildsOfTheSameAppAndJvm() throws IOException {
        Path older = Files.writeString(dir.resolve("app.jar-aaa-000.jsa"), "old");
        Files.writeString(ArchiveSeal.of(older), "0\n");
        Path otherJvm = Files.writeString(dir.resolve("app.jar-zzz-000.jsa"), "other");
        Path archive = dir.resolve("app.jar-aaa-bbb.jsa");
        trainingOf(archive, true);
        assertTrue(ArchiveTraining.adopt(archive));
        assertFalse(Files.exists(older));
        assertFalse(Files.exists(ArchiveSeal.of(older)));
        assertTrue(Files.exists(otherJvm));
    }
}
