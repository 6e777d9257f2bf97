package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A log file several threads and processes append to: each entry is one {@code write(2)} on an {@code O_APPEND}
 * descriptor, so entries from several children never interleave on a local file system (Linux holds the inode's
 * lock for a whole write to a regular file, whatever its length; PIPE_BUF bounds only pipes; NFS gives no such
 * promise). Reopened when the path names another file (logrotate moved it), so children need no signal. A stream
 * rather than a FileChannel: an interrupted thread (an aborted request's) would close a channel for every writer.
 */
final class AppendOnlyFile implements AutoCloseable {

    private static final class Log {
        static final Logger LOG = Loggers.get(AppendOnlyFile.class);
    }

    /** How often the path is looked at: a stat a second is nothing, and logrotate needs no quicker answer. */
    static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path path;
    private volatile FileOutputStream stream;
    /** The file the stream writes: (device, inode), by the watchdog only. */
    private Object fileKey;
    /**
     * The stream before the last reopen, closed at the next check rather than at once: a write that read the old
     * stream just before the swap must not meet a closed one.
     */
    private FileOutputStream retired;
    private long checkedAt;

    private AppendOnlyFile(Path path, FileOutputStream stream, Object fileKey, long now) {
        this.path = path;
        this.stream = stream;
        this.fileKey = fileKey;
        this.checkedAt = now;
    }

    /** Opens (creating) {@code path} for appending. */
    static AppendOnlyFile open(Path path) throws IOException {
        FileOutputStream stream = openStream(path);
        return new AppendOnlyFile(path, stream, key(path), System.nanoTime());
    }

    Path path() {
        return path;
    }

    /** Appends {@code entry} in one write; any thread. */
    void write(byte[] entry) throws IOException {
        stream.write(entry); // one write(2) unless the disk is full
    }

    /**
     * The watchdog, at most once per {@link #CHECK_NANOS}: reopens the path when it no longer names the file
     * being written (moved or deleted by logrotate).
     */
    void reopenIfMoved(long now) {
        if (now - checkedAt < CHECK_NANOS) {
            return;
        }
        checkedAt = now;
        closeQuietly(retired);
        retired = null;
        Object current;
        try {
            current = key(path);
        } catch (NoSuchFileException e) {
            current = null;
        } catch (IOException e) {
            return; // cannot tell: keep writing where we are
        }
        if (current != null && (current.equals(fileKey) || fileKey == null)) {
            return; // the same file (or a file system without inode numbers: then only a deleted file is seen)
        }
        try {
            FileOutputStream reopened = openStream(path);
            retired = stream;
            stream = reopened;
            fileKey = key(path);
        } catch (IOException e) {
            Log.LOG.warn("cannot reopen {} after it moved: {}; still writing to the moved file", path, e.toString());
        }
    }

    @Override
    public void close() {
        closeQuietly(retired);
        closeQuietly(stream);
    }

    private static FileOutputStream openStream(Path path) throws IOException {
        return new FileOutputStream(path.toFile(), true);
    }

    private static Object key(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    private static void closeQuietly(FileOutputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // nothing left to write to it
            }
        }
    }
}
