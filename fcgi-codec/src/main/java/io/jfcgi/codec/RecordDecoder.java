package io.jfcgi.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the bytes of one connection into records, incrementally: feed it input in chunks of any size, from one
 * byte to megabytes, and call {@link #decode} until it returns {@code null} (it then has consumed the whole
 * chunk and needs more).
 *
 * <p>Stream records are handed out as soon as any of their content is there, as read-only views of the input
 * (no copy); a record split across chunks comes out as several records of the same type (see
 * {@link StreamRecord}). Discrete records are assembled whole; their buffer grows as bytes arrive, never to a
 * declared length ahead of them. Padding of 0..255 bytes is skipped (§3.3).
 *
 * <p>The first violation is fatal: it is thrown, with the offset of the offending byte counted from the first
 * byte this decoder saw, and thrown again by every later call. One decoder per connection; not thread-safe.
 */
public final class RecordDecoder {

    private static final String WHERE = "the connection";

    private enum State { HEADER, CONTENT, PADDING }

    private State state = State.HEADER;
    private long position;
    private long recordStart;
    private final byte[] headerBytes = new byte[RecordHeader.LENGTH];
    private int headerFill;
    private int typeCode;
    private RecordType type;
    private int requestId;
    private int contentLength;
    private int contentLeft;
    private int paddingLeft;
    private byte[] body;
    private int bodyFill;
    private FastCgiProtocolException failure;

    /** A decoder for a new connection, expecting a record header at its first byte. */
    public RecordDecoder() {
    }

    /**
     * Decodes the next record from {@code in}, advancing its position past the bytes used.
     *
     * @param in the connection's next bytes, from its position to its limit; a record returned may view them,
     *           so they must stay unchanged while it is in use
     * @return the next record, or {@code null} once all of {@code in} has been consumed without completing one
     * @throws FastCgiProtocolException if the input breaks the protocol; the decoder stays failed
     */
    public Record decode(ByteBuffer in) throws FastCgiProtocolException {
        if (failure != null) {
            throw failure;
        }
        try {
            while (true) {
                switch (state) {
                    case HEADER:
                        if (!readHeader(in)) {
                            return null;
                        }
                        Record empty = startRecord();
                        if (empty != null) {
                            return empty;
                        }
                        break;
                    case CONTENT:
                        return type != null && type.isStream() ? readStreamContent(in) : readDiscreteContent(in);
                    case PADDING:
                        int skip = Math.min(paddingLeft, in.remaining());
                        in.position(in.position() + skip);
                        position += skip;
                        paddingLeft -= skip;
                        if (paddingLeft > 0) {
                            return null;
                        }
                        state = State.HEADER;
                        break;
                    default:
                        throw new AssertionError(state);
                }
            }
        } catch (FastCgiProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Whether the decoder is between records, where the input may end without losing anything.
     *
     * @return {@code true} if no record is partly read and the decoder has not failed
     */
    public boolean isAtRecordBoundary() {
        return failure == null && state == State.HEADER && headerFill == 0;
    }

    /**
     * The bytes consumed so far.
     *
     * @return the offset, in the connection, of the next byte to decode
     */
    public long position() {
        return position;
    }

    /**
     * The input has ended (the peer closed the connection).
     *
     * @throws FastCgiProtocolException if it ended inside a record
     */
    public void endOfInput() throws FastCgiProtocolException {
        if (failure != null) {
            throw failure;
        }
        if (!isAtRecordBoundary()) {
            String what = state == State.HEADER ? "header, " + headerFill + " of 8 bytes received"
                    : state == State.CONTENT ? describeType() + " content, " + (contentLength - contentLeft) + " of "
                    + contentLength + " bytes received" : "padding, " + paddingLeft + " bytes missing";
            failure = new FastCgiProtocolException(Violation.TRUNCATED_RECORD, position, WHERE,
                    "the input ended inside the record that began at byte " + recordStart + " (" + what + ")");
            throw failure;
        }
    }

    private boolean readHeader(ByteBuffer in) {
        if (headerFill == 0) {
            recordStart = position;
        }
        int n = Math.min(RecordHeader.LENGTH - headerFill, in.remaining());
        in.get(headerBytes, headerFill, n);
        headerFill += n;
        position += n;
        return headerFill == RecordHeader.LENGTH;
    }

    /** Validates the header just read; returns the record itself when it has no content. */
    private Record startRecord() throws FastCgiProtocolException {
        headerFill = 0;
        // §3.3, read straight from the array: no header object and no buffer for each of a request's records.
        int version = headerBytes[0] & 0xFF;
        if (version != RecordHeader.VERSION_1) {
            throw error(recordStart, Violation.UNSUPPORTED_VERSION, "version " + version
                    + " is not FastCGI 1 (is this peer speaking FastCGI at all?)");
        }
        typeCode = headerBytes[1] & 0xFF;
        type = RecordType.fromCode(typeCode);
        requestId = (headerBytes[2] & 0xFF) << 8 | headerBytes[3] & 0xFF;
        contentLength = (headerBytes[4] & 0xFF) << 8 | headerBytes[5] & 0xFF;
        contentLeft = contentLength;
        paddingLeft = headerBytes[6] & 0xFF;
        if (type != null) {
            checkRequestId();
            checkContentLength();
        }
        state = State.CONTENT;
        // An empty stream record has no content to wait for; the other empty ones are read as discrete content.
        if (contentLength == 0 && (type == null || type.isStream())) {
            state = State.PADDING;
            return build(Content.EMPTY, 0, 0, recordStart + RecordHeader.LENGTH);
        }
        return null;
    }

    private void checkRequestId() throws FastCgiProtocolException {
        if (type.isManagement() && requestId != RecordHeader.NULL_REQUEST_ID) {
            throw error(recordStart + 2, Violation.MANAGEMENT_RECORD_WITH_REQUEST_ID, type
                    + " is a management record and must have request id 0, got " + requestId);
        }
        if (!type.isManagement() && requestId == RecordHeader.NULL_REQUEST_ID) {
            throw error(recordStart + 2, Violation.APPLICATION_RECORD_WITHOUT_REQUEST_ID, type
                    + " belongs to a request and must not have request id 0, which is reserved for management records");
        }
    }

    private void checkContentLength() throws FastCgiProtocolException {
        int expected;
        switch (type) {
            case BEGIN_REQUEST: expected = BeginRequest.CONTENT_LENGTH; break;
            case END_REQUEST: expected = EndRequest.CONTENT_LENGTH; break;
            case UNKNOWN_TYPE: expected = UnknownType.CONTENT_LENGTH; break;
            case ABORT_REQUEST: expected = 0; break;
            default: return;
        }
        if (contentLength != expected) {
            throw error(recordStart + 4, Violation.BAD_CONTENT_LENGTH, type + " content must be " + expected
                    + " bytes, got " + contentLength);
        }
    }

    /** Hands out whatever content of a stream record is available, as a view of {@code in}. */
    private Record readStreamContent(ByteBuffer in) throws FastCgiProtocolException {
        int n = Math.min(contentLeft, in.remaining());
        if (n == 0) {
            return null;
        }
        long offset = position;
        int at = in.position();
        in.position(at + n);
        position += n;
        contentLeft -= n;
        if (contentLeft == 0) {
            state = State.PADDING;
        }
        return build(in, at, n, offset);
    }

    /** Assembles a discrete record's content; zero-copy when it is all in {@code in}. */
    private Record readDiscreteContent(ByteBuffer in) throws FastCgiProtocolException {
        long contentStart = recordStart + RecordHeader.LENGTH;
        if (bodyFill == 0 && in.remaining() >= contentLength) {
            int at = in.position();
            in.position(at + contentLength);
            position += contentLength;
            contentLeft = 0;
            state = State.PADDING;
            return build(in, at, contentLength, contentStart);
        }
        int n = Math.min(contentLength - bodyFill, in.remaining());
        if (n == 0) {
            return null;
        }
        int needed = bodyFill + n;
        if (body == null || body.length < needed) {
            int grown = Math.min(contentLength, Math.max(needed, body == null ? 0 : 2 * body.length));
            body = body == null ? new byte[grown] : Arrays.copyOf(body, grown);
        }
        in.get(body, bodyFill, n);
        bodyFill += n;
        position += n;
        contentLeft -= n;
        if (bodyFill < contentLength) {
            return null;
        }
        // The record may view this array (UnknownRecord), so it is handed over, not reused.
        ByteBuffer content = ByteBuffer.wrap(body, 0, contentLength);
        body = null;
        bodyFill = 0;
        state = State.PADDING;
        return build(content, 0, contentLength, contentStart);
    }

    /**
     * The record whose content is {@code src[at, at + length)}. Fixed-size contents are read in place; the others
     * view {@code src}, so only they cost a buffer.
     */
    private Record build(ByteBuffer src, int at, int length, long contentOffset) throws FastCgiProtocolException {
        if (type == null) {
            return new UnknownRecord(typeCode, requestId, content(src, at, length));
        }
        switch (type) {
            case BEGIN_REQUEST:
                return new BeginRequest(requestId, src.getShort(at) & 0xFFFF, src.get(at + 2) & 0xFF);
            case ABORT_REQUEST:
                return new AbortRequest(requestId);
            case END_REQUEST: {
                int code = src.get(at + 4) & 0xFF;
                ProtocolStatus status = ProtocolStatus.fromCode(code);
                if (status == null) {
                    throw error(contentOffset + 4, Violation.UNKNOWN_PROTOCOL_STATUS, "END_REQUEST protocolStatus "
                            + code + " is not one of 0..3");
                }
                return new EndRequest(requestId, src.getInt(at), status);
            }
            case PARAMS: return new Params(requestId, content(src, at, length));
            case STDIN: return new Stdin(requestId, content(src, at, length));
            case STDOUT: return new Stdout(requestId, content(src, at, length));
            case STDERR: return new Stderr(requestId, content(src, at, length));
            case DATA: return new Data(requestId, content(src, at, length));
            case GET_VALUES:
                return new GetValues(pairs("GET_VALUES record", content(src, at, length), contentOffset));
            case GET_VALUES_RESULT:
                return new GetValuesResult(pairs("GET_VALUES_RESULT record", content(src, at, length), contentOffset));
            case UNKNOWN_TYPE: return new UnknownType(src.get(at) & 0xFF);
            default: throw new AssertionError(type);
        }
    }

    private static ByteBuffer content(ByteBuffer src, int at, int length) {
        return length == 0 ? Content.EMPTY : src.slice(at, length);
    }

    /** The pairs of a management record, which must end exactly at the end of the record (§4.1). */
    private static List<NameValuePair> pairs(String what, ByteBuffer content, long contentOffset)
            throws FastCgiProtocolException {
        List<NameValuePair> pairs = new ArrayList<>();
        NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.UNLIMITED, what, WHERE, contentOffset);
        decoder.decode(content, pairs);
        decoder.finish();
        return pairs;
    }

    private String describeType() {
        return type != null ? type.name() : "type " + typeCode;
    }

    private static FastCgiProtocolException error(long offset, Violation violation, String detail) {
        return new FastCgiProtocolException(violation, offset, WHERE, detail);
    }
}
