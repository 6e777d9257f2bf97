package io.jfcgi.responder;

import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The output side of one connection. Requests on a multiplexed connection write from different worker threads;
 * each call writes whole records under one lock, so records interleave only at record boundaries (§3.3).
 */
final class RecordWriter {

    private final GatheringByteChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    /** When the write in progress began (System.nanoTime), or 0: read by the watchdog for the write timeout. */
    private volatile long writingSince;

    RecordWriter(GatheringByteChannel channel) {
        this.channel = channel;
    }

    void write(Record record) throws IOException {
        write(RecordEncoder.encode(record));
    }

    /** Writes every byte of {@code buffers}, blocking until done. */
    void write(ByteBuffer... buffers) throws IOException {
        lock.lock();
        try {
            writingSince = Math.max(1, System.nanoTime());
            long left = 0;
            for (ByteBuffer buffer : buffers) {
                left += buffer.remaining();
            }
            while (left > 0) {
                left -= channel.write(buffers);
            }
        } finally {
            writingSince = 0;
            lock.unlock();
        }
    }

    long writingSince() {
        return writingSince;
    }
}
