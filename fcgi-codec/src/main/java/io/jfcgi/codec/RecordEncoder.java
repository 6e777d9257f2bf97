package io.jfcgi.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns records into bytes. Every record is padded to a multiple of eight bytes, as §3.3 recommends and nginx,
 * libfcgi, PHP and Go do. A stream record with more than 65535 content bytes is written as several records
 * (the stream's value is unchanged, §3.3); the empty record that ends a stream is a record of its own, e.g.
 * {@link Stdout#endOfStream(int)}.
 *
 * <p>{@link #encode(Record, ByteBuffer)} copies; {@link #encodeGathering(StreamRecord)} returns header, payload
 * slices and padding as separate buffers for a gathering write, so a large payload is never copied. Stateless.
 */
public final class RecordEncoder {

    private RecordEncoder() {
    }

    /**
     * The bytes a record takes on the wire.
     *
     * @param record the record to measure
     * @return headers, content and padding, in bytes, of every record it splits into
     * @throws IllegalArgumentException if a GET_VALUES or GET_VALUES_RESULT does not fit one record
     */
    public static int encodedLength(Record record) {
        return encodedLength(contentLength(record));
    }

    /**
     * The bytes a stream record of this much content takes on the wire, split at 65535 and padded.
     *
     * @param content the content length in bytes, not negative; 0 is one empty record (a header alone)
     * @return headers, content and padding, in bytes
     */
    public static int encodedLength(int content) {
        if (content == 0) {
            return RecordHeader.LENGTH;
        }
        int full = content / RecordHeader.MAX_CONTENT_LENGTH;
        int rest = content % RecordHeader.MAX_CONTENT_LENGTH;
        int fullLength = RecordHeader.LENGTH + RecordHeader.MAX_CONTENT_LENGTH
                + RecordHeader.paddingFor(RecordHeader.MAX_CONTENT_LENGTH);
        return full * fullLength + (rest == 0 ? 0 : RecordHeader.LENGTH + rest + RecordHeader.paddingFor(rest));
    }

    /**
     * Encodes a record into a new buffer.
     *
     * @param record the record to encode
     * @return a new buffer holding the record's bytes, flipped, ready to read
     * @throws IllegalArgumentException if a GET_VALUES or GET_VALUES_RESULT does not fit one record
     */
    public static ByteBuffer encode(Record record) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(record));
        encode(record, out);
        return out.flip();
    }

    /**
     * Writes {@code record} at {@code out}'s position and advances it.
     *
     * @param record the record to encode
     * @param out    where to write; needs {@link #encodedLength(Record)} bytes remaining
     * @throws BufferOverflowException if {@code out} has less than {@link #encodedLength} bytes left; nothing is
     *                                 written then
     * @throws IllegalArgumentException if a GET_VALUES or GET_VALUES_RESULT does not fit one record
     */
    public static void encode(Record record, ByteBuffer out) {
        if (out.remaining() < encodedLength(record)) {
            throw new BufferOverflowException();
        }
        if (record instanceof StreamRecord stream) {
            encodeStream(stream, out);
            return;
        }
        int content = contentLength(record);
        RecordHeader header = RecordHeader.of(record.typeCode(), record.requestId(), content);
        header.writeTo(out);
        if (record instanceof BeginRequest begin) {
            out.putShort((short) begin.roleCode()).put((byte) begin.flags());
            pad(5, out);
        } else if (record instanceof EndRequest end) {
            out.putInt(end.appStatus()).put((byte) end.protocolStatus().code());
            pad(3, out);
        } else if (record instanceof UnknownType unknown) {
            out.put((byte) unknown.unknownType());
            pad(7, out);
        } else if (record instanceof GetValues values) {
            writePairs(values.variables(), out);
        } else if (record instanceof GetValuesResult result) {
            writePairs(result.variables(), out);
        } else if (record instanceof UnknownRecord unknown) {
            out.put(unknown.content());
        } // AbortRequest has no content
        pad(header.paddingLength(), out);
    }

    /**
     * The bytes of {@code record} as buffers for a gathering write: the content is sliced, never copied; headers
     * and padding share small buffers (the padding of one record travels with the next record's header).
     * The slices view the record's content, so they are valid as long as it is.
     *
     * @param record the stream record to encode, of any length (more than 65535 bytes become several records)
     * @return the buffers to write, in order, each ready to read
     */
    public static ByteBuffer[] encodeGathering(StreamRecord record) {
        ByteBuffer content = record.content();
        int length = content.remaining();
        int records = Math.max(1, (length + RecordHeader.MAX_CONTENT_LENGTH - 1) / RecordHeader.MAX_CONTENT_LENGTH);
        int lastPadding = RecordHeader.paddingFor(length - (records - 1) * RecordHeader.MAX_CONTENT_LENGTH);
        ByteBuffer[] parts = new ByteBuffer[(length == 0 ? 1 : 2 * records) + (lastPadding > 0 ? 1 : 0)];
        ByteBuffer small = ByteBuffer.allocate(records * RecordHeader.LENGTH + records * 7);
        int part = 0;
        int previousPadding = 0;
        int offset = 0;
        for (int i = 0; i < records; i++) {
            int n = Math.min(RecordHeader.MAX_CONTENT_LENGTH, length - offset);
            int start = small.position();
            pad(previousPadding, small);
            RecordHeader header = RecordHeader.of(record.typeCode(), record.requestId(), n);
            header.writeTo(small);
            parts[part++] = small.slice(start, small.position() - start);
            if (n > 0) {
                parts[part++] = content.slice(offset, n);
            }
            previousPadding = header.paddingLength();
            offset += n;
        }
        if (lastPadding > 0) {
            parts[part] = small.slice(small.position(), lastPadding); // never written: zeros, as padding is sent
        }
        return parts;
    }

    private static void encodeStream(StreamRecord record, ByteBuffer out) {
        ByteBuffer content = record.content();
        do {
            int n = Math.min(RecordHeader.MAX_CONTENT_LENGTH, content.remaining());
            RecordHeader header = RecordHeader.of(record.typeCode(), record.requestId(), n);
            header.writeTo(out);
            out.put(content.slice(content.position(), n));
            content.position(content.position() + n);
            pad(header.paddingLength(), out);
        } while (content.hasRemaining());
    }

    private static int contentLength(Record record) {
        if (record instanceof StreamRecord stream) {
            return stream.contentLength();
        }
        if (record instanceof BeginRequest || record instanceof EndRequest || record instanceof UnknownType) {
            return 8;
        }
        if (record instanceof GetValues values) {
            return pairsLength(values.variables(), "GET_VALUES");
        }
        if (record instanceof GetValuesResult result) {
            return pairsLength(result.variables(), "GET_VALUES_RESULT");
        }
        if (record instanceof UnknownRecord unknown) {
            return unknown.content().remaining();
        }
        return 0; // AbortRequest
    }

    private static int pairsLength(List<NameValuePair> pairs, String type) {
        long length = 0;
        for (NameValuePair pair : pairs) {
            length += pair.encodedLength();
        }
        if (length > RecordHeader.MAX_CONTENT_LENGTH) {
            throw new IllegalArgumentException(type + " is a single record; its " + length
                    + " bytes of pairs exceed " + RecordHeader.MAX_CONTENT_LENGTH);
        }
        return (int) length;
    }

    private static void writePairs(List<NameValuePair> pairs, ByteBuffer out) {
        for (NameValuePair pair : pairs) {
            pair.writeTo(out);
        }
    }

    private static void pad(int n, ByteBuffer out) {
        for (int i = 0; i < n; i++) {
            out.put((byte) 0);
        }
    }
}
