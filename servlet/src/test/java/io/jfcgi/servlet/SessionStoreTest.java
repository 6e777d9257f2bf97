package io.jfcgi.servlet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every SessionStore does (the memory store and the directory store alike), then the directory store's own. */
class SessionStoreTest {

    @TempDir
    static Path temp;

    interface Maker {
        SessionStore make() throws IOException;
    }

    static Stream<Arguments> stores() {
        return Stream.of(
                Arguments.of("memory", (Maker) SessionStore::inMemory),
                Arguments.of("directory", (Maker) () -> SessionStore.directory(Files.createTempDirectory(temp,
                        "sessions"))));
    }

    private static StoredSession session(String id, long lastAccess, int interval) {
        return new StoredSession(id, 1000, lastAccess, interval, Map.of("user", "ada", "visits", 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aSavedSessionLoadsWithItsTimesAndAttributes(String name, Maker maker) throws IOException {
        try (SessionStore store = maker.make()) {
            store.save(session("A1", 5000, 60));
            assertEquals(session("A1", 5000, 60), store.load("A1").orElseThrow());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aSaveReplacesTheSessionAndARemoveForgetsIt(String name, Maker maker) throws IOException {
        try (SessionStore store = maker.make()) {
            store.save(session("A1", 5000, 60));
            store.save(session("A1", 9000, 60));
            assertEquals(9000, store.load("A1").orElseThrow().lastAccessedTime());
            store.remove("A1");
            assertTrue(store.load("A1").isEmpty());
            assertTrue(store.load("NEVER").isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void expiryRemovesAndReturnsOnlySessionsPastTheirInterval(String name, Maker maker) throws IOException {
        try (SessionStore store = maker.make()) {
            store.save(session("OLD", 0, 60));
            store.save(session("FRESH", 50_000, 60));
            store.save(session("FOREVER", 0, 0));
            List<StoredSession> expired = store.expire(100_000);
            assertEquals(List.of("OLD"), expired.stream().map(StoredSession::id).toList());
            assertTrue(store.load("OLD").isEmpty());
            assertTrue(store.load("FRESH").isPresent());
            assertTrue(store.load("FOREVER").isPresent());
        }
    }

    @Test
    void twoDirectoryStoresOnOneDirectorySeeEachOthersSessions() throws IOException {
        Path shared = Files.createTempDirectory(temp, "shared");
        try (SessionStore one = SessionStore.directory(shared); SessionStore two = SessionStore.directory(shared)) {
            one.save(session("A1", 5000, 60));
            assertEquals(session("A1", 5000, 60), two.load("A1").orElseThrow());
            two.remove("A1");
            assertTrue(one.load("A1").isEmpty());
        }
    }

    @Test
    void aValueThatIsNotSerializableFailsTheSaveNamingItAndLeavesTheOldSession() throws IOException {
        try (SessionStore store = SessionStore.directory(Files.createTempDirectory(temp, "unserializable"))) {
            store.save(session("A1", 5000, 60));
            StoredSession bad = new StoredSession("A1", 1000, 9000, 60, Map.of("cart", new Object()));
            NotSerializableException e = assertThrows(NotSerializableException.class, () -> store.save(bad));
            assertTrue(e.getMessage().contains("attribute 'cart'"), e.getMessage());
            assertEquals(5000, store.load("A1").orElseThrow().lastAccessedTime());
        }
    }

    @Test
    void anIdThatIsNotOneOfOursNamesNoFile() throws IOException {
        Path directory = Files.createTempDirectory(temp, "ids");
        Files.writeString(directory.resolve("secret"), "not a session");
        try (SessionStore store = SessionStore.directory(directory.resolve("sessions"))) {
            assertTrue(store.load("../secret").isEmpty());
            assertThrows(IllegalArgumentException.class, () -> store.save(session("../x", 0, 60)));
        }
    }

    @Test
    void theDirectoryIsMadeForItsOwnerOnly() throws IOException {
        Path directory = temp.resolve("made");
        try (SessionStore store = SessionStore.directory(directory)) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(directory)));
        }
    }
}
