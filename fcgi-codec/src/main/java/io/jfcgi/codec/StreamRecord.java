package io.jfcgi.codec;

import java.nio.ByteBuffer;

/**
 * A record of one of the five stream types (§3.3). A stream is its records' contents concatenated and ends
 * with an empty record; its value does not depend on how the bytes are split into records. The decoder
 * relies on that: a record that arrives in pieces is handed out as several records of the same type, so
 * that payloads are never buffered whole.
 *
 * <p>Ownership: {@link #content()} views the bytes it was made from, without copying them. A decoded
 * record views the decoder's input and is valid until the caller refills that buffer; copy what you keep.
 */
public sealed interface StreamRecord extends Record permits Params, Stdin, Stdout, Stderr, Data {

    /** The stream type of this record. */
    RecordType type();

    /** A fresh read-only view of the content; its position and limit are the caller's to move. */
    ByteBuffer content();

    /** Number of content bytes. */
    int contentLength();

    /** An empty record closes the stream. */
    default boolean isEndOfStream() {
        return contentLength() == 0;
    }

    @Override
    default int typeCode() {
        return type().code();
    }
}
