package io.jfcgi.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Test support: byte vectors written as hex, and decoding them fed in different chunkings. */
final class Bytes {

    private Bytes() {
    }

    /** Bytes from hex digits; spaces, newlines and '|' (used to mark record boundaries) are ignored. */
    static byte[] hex(String text) {
        String digits = text.replaceAll("[\\s|]", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + text);
        }
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /** Lower-case hex, two digits a byte. HexFormat, not String.format per byte: 200 KB vectors are compared. */
    static String toHex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** n bytes of a fixed pattern. */
    static byte[] pattern(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i * 7 + 3);
        }
        return bytes;
    }

    /** How input reaches the decoder. */
    enum Chunking {
        WHOLE, BYTE_BY_BYTE, RANDOM_1, RANDOM_2, RANDOM_3;

        List<ByteBuffer> split(byte[] input) {
            List<ByteBuffer> chunks = new ArrayList<>();
            if (this == WHOLE) {
                chunks.add(ByteBuffer.wrap(input));
                return chunks;
            }
            Random random = new Random(ordinal());
            for (int at = 0; at < input.length; ) {
                int n = this == BYTE_BY_BYTE ? 1 : 1 + random.nextInt(random.nextBoolean() ? 16 : 300);
                n = Math.min(n, input.length - at);
                chunks.add(ByteBuffer.wrap(input, at, n).slice());
                at += n;
            }
            return chunks;
        }
    }

    /**
     * Decodes {@code input} fed in chunks, copying each stream piece (the decoder's output views its input) and
     * joining the pieces of one wire record back together, so that results compare across chunkings.
     */
    static List<Record> decodeAll(byte[] input, Chunking chunking) throws FastCgiProtocolException {
        RecordDecoder decoder = new RecordDecoder();
        List<Record> records = new ArrayList<>();
        for (ByteBuffer chunk : chunking.split(input)) {
            Record record;
            while ((record = decoder.decode(chunk)) != null) {
                records.add(copy(record));
            }
            if (chunk.hasRemaining()) {
                throw new AssertionError("decode returned null with " + chunk.remaining() + " bytes unread");
            }
        }
        decoder.endOfInput();
        return coalesce(records);
    }

    /** Adjacent non-empty pieces of the same stream and request become one record. */
    static List<Record> coalesce(List<Record> records) {
        List<Record> out = new ArrayList<>();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        StreamRecord first = null; // the first piece of the run being joined
        for (Record record : records) {
            if (first != null && record instanceof StreamRecord piece && !piece.isEndOfStream()
                    && piece.type() == first.type() && piece.requestId() == first.requestId()) {
                joined.writeBytes(toArray(piece.content()));
                continue;
            }
            if (first != null) {
                out.add(stream(first.type(), first.requestId(), joined.toByteArray()));
                first = null;
            }
            if (record instanceof StreamRecord piece && !piece.isEndOfStream()) {
                first = piece;
                joined.reset();
                joined.writeBytes(toArray(piece.content()));
            } else {
                out.add(record);
            }
        }
        if (first != null) {
            out.add(stream(first.type(), first.requestId(), joined.toByteArray()));
        }
        return out;
    }

    static Record copy(Record record) {
        if (record instanceof StreamRecord stream) {
            return stream(stream.type(), stream.requestId(), toArray(stream.content()));
        }
        if (record instanceof UnknownRecord unknown) {
            return new UnknownRecord(unknown.typeCode(), unknown.requestId(), ByteBuffer.wrap(toArray(unknown.content())));
        }
        return record;
    }

    static StreamRecord stream(RecordType type, int requestId, byte[] content) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        switch (type) {
            case PARAMS: return new Params(requestId, buffer);
            case STDIN: return new Stdin(requestId, buffer);
            case STDOUT: return new Stdout(requestId, buffer);
            case STDERR: return new Stderr(requestId, buffer);
            case DATA: return new Data(requestId, buffer);
            default: throw new IllegalArgumentException(type + " is not a stream type");
        }
    }

    /** Encodes records back to back. */
    static byte[] encodeAll(Record... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Record record : records) {
            out.writeBytes(toArray(RecordEncoder.encode(record)));
        }
        return out.toByteArray();
    }
}
