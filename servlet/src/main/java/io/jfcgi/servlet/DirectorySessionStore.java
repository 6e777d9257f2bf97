package io.jfcgi.servlet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Sessions as files, {@code ID.session} in one directory, for several processes on one machine. A save writes a
 * temporary file and renames it over the old one, so a reader sees the old session or the new one, never half;
 * saves, removals and expiry hold an exclusive lock on {@code .lock} in the directory, so that expiry, which reads
 * the last access and then deletes, cannot delete a session another process has just saved. Expiry goes by the last
 * access written in the file.
 *
 * <p>File: magic, creation time, last access, inactive interval, then the attributes (count, then name and
 * Java-serialized value each). Attribute classes are resolved with the thread's context class loader (the
 * application's, in a request). Deserializing trusts the directory: keep it the server's own (it is made 0700).
 */
final class DirectorySessionStore implements SessionStore {

    private static final int MAGIC = 0x4A465353; // "JFSS"
    private static final String SUFFIX = ".session";
    /** Ids the bridge makes are hex; anything else from a cookie must not name a path. */
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z_-]{1,128}");
    private static final long LOCK_WAIT_MILLIS = 10_000;

    private final Path directory;
    private final FileChannel lockFile;
    /** Threads of this process take turns before the file lock, which is per process. */
    private final ReentrantLock local = new ReentrantLock();

    DirectorySessionStore(Path directory) throws IOException {
        this.directory = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.directory)) {
            try {
                Files.createDirectories(this.directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(this.directory);
            }
        }
        this.lockFile = FileChannel.open(this.directory.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    @Override
    public Optional<StoredSession> load(String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(Files.readAllBytes(file(id)), id));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void save(StoredSession session) throws IOException {
        if (!ID.matcher(session.id()).matches()) {
            throw new IllegalArgumentException("a session id of letters, digits, _ and - only: " + session.id());
        }
        byte[] bytes = encode(session); // before any file is touched: a value that cannot be serialized fails here
        Path temp = Files.createTempFile(directory, session.id(), ".tmp"); // 0600 on POSIX
        try {
            Files.write(temp, bytes);
            withLock(() -> {
                try {
                    Files.move(temp, file(session.id()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file(session.id()), StandardCopyOption.REPLACE_EXISTING);
                }
                return null;
            });
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void remove(String id) throws IOException {
        if (ID.matcher(id).matches()) {
            withLock(() -> Files.deleteIfExists(file(id)));
        }
    }

    @Override
    public List<StoredSession> expire(long now) throws IOException {
        List<StoredSession> expired = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path path : files) {
                String name = path.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (!ID.matcher(id).matches() || !lastAccessExpired(path, now)) {
                    continue;
                }
                StoredSession gone = withLock(() -> {
                    // read again under the lock: another process may have saved it since
                    Optional<StoredSession> current = load(id);
                    if (current.isPresent() && current.get().expiredAt(now)) {
                        Files.deleteIfExists(path);
                        return current.get();
                    }
                    return null;
                });
                if (gone != null) {
                    expired.add(gone);
                }
            }
        }
        return expired;
    }

    @Override
    public void close() throws IOException {
        lockFile.close();
    }

    @Override
    public String toString() {
        return "directory " + directory;
    }

    private Path file(String id) {
        return directory.resolve(id + SUFFIX);
    }

    /** Reads only the times: expiry looks at every file and deserializes only the expired ones. */
    private static boolean lastAccessExpired(Path path, long now) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(path))) {
            if (in.readInt() != MAGIC) {
                return false;
            }
            in.readLong();
            long lastAccess = in.readLong();
            int interval = in.readInt();
            return interval > 0 && now - lastAccess > interval * 1000L;
        } catch (IOException e) {
            return false; // removed meanwhile, or being written: the next sweep sees it
        }
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding this process's turn and the directory's file lock. */
    private <T> T withLock(Locked<T> action) throws IOException {
        local.lock();
        try {
            FileLock lock = acquire();
            try {
                return action.run();
            } finally {
                lock.release();
            }
        } finally {
            local.unlock();
        }
    }

    /**
     * The file lock. Another store on the same directory in this very JVM (tests, two applications) makes the
     * JVM refuse a second lock rather than wait: then it is retried until that one is released.
     */
    private FileLock acquire() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MILLIS);
        while (true) {
            try {
                return lockFile.lock();
            } catch (OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the session directory " + directory + " stayed locked in this process");
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    private static byte[] encode(StoredSession session) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeInt(MAGIC);
            data.writeLong(session.creationTime());
            data.writeLong(session.lastAccessedTime());
            data.writeInt(session.maxInactiveSeconds());
            data.flush();
            try (ObjectOutputStream objects = new ObjectOutputStream(data)) {
                objects.writeInt(session.attributes().size());
                for (Map.Entry<String, Object> attribute : session.attributes().entrySet()) {
                    objects.writeUTF(attribute.getKey());
                    try {
                        objects.writeObject(attribute.getValue());
                    } catch (NotSerializableException e) {
                        throw new NotSerializableException("attribute '" + attribute.getKey() + "' is not "
                                + "Serializable (" + e.getMessage() + ")");
                    }
                }
            }
        }
        return bytes.toByteArray();
    }

    private static StoredSession decode(byte[] bytes, String id) throws IOException {
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes));
        if (data.readInt() != MAGIC) {
            throw new IOException("not a session file: " + id + SUFFIX);
        }
        long creation = data.readLong();
        long lastAccess = data.readLong();
        int interval = data.readInt();
        Map<String, Object> attributes = new LinkedHashMap<>();
        try (ObjectInputStream objects = new ContextObjectInputStream(data)) {
            int count = objects.readInt();
            for (int i = 0; i < count; i++) {
                attributes.put(objects.readUTF(), objects.readObject());
            }
        } catch (ClassNotFoundException e) {
            throw new IOException("session " + id + " holds a class the application lacks: " + e.getMessage(), e);
        }
        return new StoredSession(id, creation, lastAccess, interval, attributes);
    }

    /** Resolves classes with the thread's context class loader: the application's classes are not ours. */
    private static final class ContextObjectInputStream extends ObjectInputStream {
        ContextObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(description.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // a JDK class or one of ours: the default lookup below
                }
            }
            return super.resolveClass(description);
        }
    }
}
