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

    /**
     * The session saved under an id.
     *
     * @param id the session id, as the JSESSIONID cookie carries it; may be any text a client sent
     * @return the session (expired or not: the bridge checks), or empty when there is none
     * @throws IOException when the store cannot be read
     */
    Optional<StoredSession> load(String id) throws IOException;

    /**
     * Saves a session under its id, replacing what was there.
     *
     * @param session the session with its attributes as the last request left them
     * @throws IOException when it cannot be written, or an attribute cannot be serialized
     */
    void save(StoredSession session) throws IOException;

    /**
     * Forgets a session (invalidated, or its id changed), if it is there.
     *
     * @param id the session id
     * @throws IOException when the store cannot be written
     */
    void remove(String id) throws IOException;

    /**
     * Removes every session whose inactive interval has passed at {@code now} (milliseconds since the epoch) and
     * returns them, so that their listeners can be told; the bridge calls it at most once a minute.
     *
     * @param now the time to judge by, in milliseconds since the epoch
     * @return the sessions removed, empty when none
     * @throws IOException when the store cannot be read or written
     */
    List<StoredSession> expire(long now) throws IOException;

    @Override
    default void close() throws IOException {
    }

    /**
     * This process's memory, the default: its sessions are invalidated when the application stops.
     *
     * @return a new, empty store
     */
    static SessionStore inMemory() {
        return new MemorySessionStore();
    }

    /**
     * One file per session in {@code directory} (made if absent, readable by its owner only), written atomically
     * and under a lock, so that several processes on one machine can share it.
     *
     * @param directory where the session files go; the server's own (its files are deserialized)
     * @return a store over that directory
     * @throws IOException when the directory cannot be made or used
     */
    static SessionStore directory(Path directory) throws IOException {
        return new DirectorySessionStore(directory);
    }
}
