package io.jfcgi.servlet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions live between the requests that use them: by default this process's memory; behind a pool of
 * several children, a store they share ({@link #directory}), so that a user's next request finds its session in
 * whichever child it lands. The bridge loads a session when a request first asks for it and saves it when the last
 * request using it in this process ends; while requests use it, they share one live object.
 *
 * <p>A store that leaves the process serializes the attributes: they must be {@link java.io.Serializable}. A save
 * that fails (an attribute that is not) is logged in one line and the request is answered all the same.
 * Implementations are called from several request threads at once.
 */
public interface SessionStore extends AutoCloseable {

    /** The session saved under {@code id} (expired or not: the bridge checks), or empty. */
    Optional<StoredSession> load(String id) throws IOException;

    /** Saves {@code session} under its id, replacing what was there. */
    void save(StoredSession session) throws IOException;

    /** Forgets the session {@code id}, if it is there. */
    void remove(String id) throws IOException;

    /**
     * Removes every session whose inactive interval has passed at {@code now} (milliseconds since the epoch) and
     * returns them, so that their listeners can be told; the bridge calls it at most once a minute.
     */
    List<StoredSession> expire(long now) throws IOException;

    @Override
    default void close() throws IOException {
    }

    /** This process's memory, the default: its sessions are invalidated when the application stops. */
    static SessionStore inMemory() {
        return new MemorySessionStore();
    }

    /**
     * One file per session in {@code directory} (made if absent, readable by its owner only), written atomically
     * and under a lock, so that several processes on one machine can share it.
     */
    static SessionStore directory(Path directory) throws IOException {
        return new DirectorySessionStore(directory);
    }
}
