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

    /**
     * The stream this record is part of.
     *
     * @return one of the five stream types ({@link RecordType#isStream()})
     */
    RecordType type();

    /**
     * The record's content bytes.
     *
     * @return a fresh read-only view of the content, positioned at its first byte; its position and limit are
     *         the caller's to move. Valid as long as the bytes it views are (see the class comment)
     */
    ByteBuffer content();

    /**
     * The number of content bytes.
     *
     * @return 0..65535 for a decoded record; a record made to be encoded may hold more (the encoder splits it)
     */
    int contentLength();

    /**
     * Whether this record ends its stream: an empty record closes the stream.
     *
     * @return {@code true} if the record has no content
     */
    default boolean isEndOfStream() {
        return contentLength() == 0;
    }

    @Override
    default int typeCode() {
        return type().code();
    }
}
