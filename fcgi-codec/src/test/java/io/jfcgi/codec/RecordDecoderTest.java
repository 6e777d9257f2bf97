package io.jfcgi.codec;

import io.jfcgi.codec.Bytes.Chunking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.jfcgi.codec.Bytes.ascii;
import static io.jfcgi.codec.Bytes.concat;
import static io.jfcgi.codec.Bytes.decodeAll;
import static io.jfcgi.codec.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * §3.3 and §8: every record type as bytes on the wire, decoded whole, byte by byte and in random chunks. Each
 * vector shows its header and body; '|' separates them.
 */
class RecordDecoderTest {

    private static ByteBuffer buf(String hexText) {
        return ByteBuffer.wrap(hex(hexText));
    }

    private static ByteBuffer buf(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }

    /** Each vector: a name, the bytes on the wire (hex, | between parts), the record they are. */
    private static Object[][] table() {
        return new Object[][] {
            {"BEGIN_REQUEST responder, keep-conn", "01 01 00 01 00 08 00 00 | 00 01 01 00 00 00 00 00",
                new BeginRequest(1, Role.RESPONDER, true)},
            {"BEGIN_REQUEST authorizer", "01 01 00 01 00 08 00 00 | 00 02 00 00 00 00 00 00",
                new BeginRequest(1, Role.AUTHORIZER, false)},
            {"BEGIN_REQUEST filter, highest id", "01 01 ff ff 00 08 00 00 | 00 03 00 00 00 00 00 00",
                new BeginRequest(0xFFFF, Role.FILTER, false)},
            {"BEGIN_REQUEST unknown role kept as a code", "01 01 7f ff 00 08 00 00 | 00 09 00 00 00 00 00 00",
                new BeginRequest(0x7FFF, 9, 0)},
            {"BEGIN_REQUEST unknown flags kept", "01 01 00 01 00 08 00 00 | 00 01 ff 00 00 00 00 00",
                new BeginRequest(1, 1, 0xFF)},
            {"ABORT_REQUEST", "01 02 00 03 00 00 00 00", new AbortRequest(3)},
            {"END_REQUEST complete", "01 03 00 01 00 08 00 00 | 00 00 00 00 00 00 00 00",
                EndRequest.complete(1, 0)},
            {"END_REQUEST appStatus 2^32-1, OVERLOADED", "01 03 00 05 00 08 00 00 | ff ff ff ff 02 00 00 00",
                new EndRequest(5, -1, ProtocolStatus.OVERLOADED)},
            {"END_REQUEST CANT_MPX_CONN", "01 03 00 02 00 08 00 00 | 00 00 00 00 01 00 00 00",
                new EndRequest(2, 0, ProtocolStatus.CANT_MPX_CONN)},
            {"END_REQUEST UNKNOWN_ROLE", "01 03 00 02 00 08 00 00 | 00 00 00 00 03 00 00 00",
                new EndRequest(2, 0, ProtocolStatus.UNKNOWN_ROLE)},
            {"PARAMS one pair, padded", "01 04 00 01 00 04 04 00 | 01 01 41 62 | 00 00 00 00",
                Bytes.stream(RecordType.PARAMS, 1, hex("01 01 41 62"))},
            {"PARAMS end of stream", "01 04 00 01 00 00 00 00", Params.endOfStream(1)},
            {"STDIN", "01 05 00 01 00 02 06 00 | 68 69 | 00 00 00 00 00 00", Bytes.stream(RecordType.STDIN, 1, ascii("hi"))},
            {"STDIN end of stream", "01 05 00 01 00 00 00 00", Stdin.endOfStream(1)},
            {"STDOUT", "01 06 00 01 00 03 00 00 | 61 62 63", Bytes.stream(RecordType.STDOUT, 1, ascii("abc"))},
            {"STDERR", "01 07 00 01 00 01 07 00 | 21 | 00 00 00 00 00 00 00", Bytes.stream(RecordType.STDERR, 1, ascii("!"))},
            {"DATA", "01 08 00 02 00 01 00 00 | 7a", Bytes.stream(RecordType.DATA, 2, ascii("z"))},
            {"STDIN with the largest padding", "01 05 00 01 00 01 ff 00 | 41 | " + "00 ".repeat(255),
                Bytes.stream(RecordType.STDIN, 1, ascii("A"))},
            {"GET_VALUES the three variables",
                "01 09 00 00 00 30 00 00 | 0e 00" + hexOf("FCGI_MAX_CONNS") + "0d 00" + hexOf("FCGI_MAX_REQS")
                    + "0f 00" + hexOf("FCGI_MPXS_CONNS"),
                GetValues.of(GetValues.MAX_CONNS, GetValues.MAX_REQS, GetValues.MPXS_CONNS)},
            {"GET_VALUES empty", "01 09 00 00 00 00 00 00", new GetValues(List.of())},
            {"GET_VALUES_RESULT", "01 0a 00 00 00 12 06 00 | 0f 01" + hexOf("FCGI_MPXS_CONNS") + "31 | 00 00 00 00 00 00",
                new GetValuesResult(List.of(NameValuePair.of("FCGI_MPXS_CONNS", "1")))},
            {"UNKNOWN_TYPE", "01 0b 00 00 00 08 00 00 | 14 00 00 00 00 00 00 00", new UnknownType(20)},
            {"type 12 is surfaced, not dropped", "01 0c 00 01 00 02 06 00 | ab cd | 00 00 00 00 00 00",
                new UnknownRecord(12, 1, buf("ab cd"))},
            {"type 0 is surfaced", "01 00 00 00 00 00 00 00", new UnknownRecord(0, 0, buf(""))},
            {"type 255 with request id 0", "01 ff 00 00 00 01 07 00 | 01 | 00 00 00 00 00 00 00",
                new UnknownRecord(255, 0, buf("01"))},
        };
    }

    static Stream<Arguments> vectors() {
        List<Arguments> arguments = new ArrayList<>();
        for (Object[] row : table()) {
            for (Chunking chunking : Chunking.values()) {
                arguments.add(Arguments.of(row[0], row[1], row[2], chunking));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} ({3})")
    @MethodSource("vectors")
    void decodesEveryRecordType(String name, String wire, Record expected, Chunking chunking) throws Exception {
        assertEquals(List.of(expected), decodeAll(hex(wire), chunking));
    }

    static Stream<Arguments> vectorsOnce() {
        return Stream.of(table()).map(row -> Arguments.of(row[0], row[1], row[2]));
    }

    /**
     * The encoder writes each vector's bytes, with its own padding (to a multiple of 8, in zeros) where the vector
     * pads otherwise: the decoder accepts any padding, the encoder always writes the one it chose.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorsOnce")
    void encodesEveryRecordTypeToTheSameBytesWithItsOwnPadding(String name, String wire, Record expected) {
        byte[] bytes = hex(wire);
        RecordHeader header = RecordHeader.readFrom(ByteBuffer.wrap(bytes));
        int padding = RecordHeader.paddingFor(header.contentLength());
        int contentEnd = RecordHeader.LENGTH + header.contentLength();
        byte[] padded = Arrays.copyOf(bytes, contentEnd + padding);
        padded[6] = (byte) padding;
        Arrays.fill(padded, contentEnd, padded.length, (byte) 0);
        assertEquals(Bytes.toHex(padded), Bytes.toHex(Bytes.toArray(RecordEncoder.encode(expected))));
    }

    private static String hexOf(String text) {
        return " " + Bytes.toHex(ascii(text)) + " ";
    }

    @Test
    void knownRoleAndFlagViews() {
        BeginRequest begin = new BeginRequest(1, 9, 0);
        assertNull(begin.role());
        assertFalse(begin.keepConn());
        assertTrue(new BeginRequest(1, Role.FILTER, true).keepConn());
        assertEquals(0xFFFF_FFFFL, new EndRequest(1, -1, ProtocolStatus.REQUEST_COMPLETE).appStatusUnsigned());
    }

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void streamContentOfEveryBoundaryLengthSurvivesAnyChunking(Chunking chunking) throws Exception {
        for (int length : new int[] {0, 1, 127, 128, 65534, 65535}) {
            byte[] content = Bytes.pattern(length);
            StreamRecord record = Bytes.stream(RecordType.STDOUT, 1, content);
            assertEquals(List.of(record), decodeAll(Bytes.encodeAll(record), chunking), "length " + length);
        }
    }

    @ParameterizedTest
    @EnumSource(Chunking.class)
    void streamsOfManyRecordsKeepTheirBytes(Chunking chunking) throws Exception {
        for (int length : new int[] {0, 1, 65535, 65536, 66000}) {
            byte[] content = Bytes.pattern(length);
            byte[] wire = Bytes.encodeAll(Bytes.stream(RecordType.STDIN, 7, content), Stdin.endOfStream(7));
            List<Record> records = decodeAll(wire, chunking);
            byte[] joined = new byte[0];
            for (Record record : records.subList(0, records.size() - 1)) {
                joined = concat(joined, Bytes.toArray(((StreamRecord) record).content()));
            }
            assertEquals(Bytes.toHex(content), Bytes.toHex(joined), "length " + length);
            assertEquals(Stdin.endOfStream(7), records.get(records.size() - 1));
        }
    }

    @Test
    void streamContentIsAViewOfTheInputNotACopy() throws Exception {
        byte[] wire = hex("01 05 00 01 00 02 06 00 | 68 69 | 00 00 00 00 00 00");
        StreamRecord record = (StreamRecord) new RecordDecoder().decode(ByteBuffer.wrap(wire));
        wire[8] = 'H';
        assertEquals('H', record.content().get(0));
        assertTrue(record.content().isReadOnly());
    }

    @Test
    void aRecordArrivingInPiecesIsHandedOutPieceByPiece() throws Exception {
        RecordDecoder decoder = new RecordDecoder();
        assertNull(decoder.decode(buf("01 05 00 01 00 04 04 00")));
        assertEquals(Bytes.stream(RecordType.STDIN, 1, ascii("ab")), Bytes.copy(decoder.decode(buf(ascii("ab")))));
        assertEquals(Bytes.stream(RecordType.STDIN, 1, ascii("cd")), Bytes.copy(decoder.decode(buf(ascii("cd")))));
        assertFalse(decoder.isAtRecordBoundary()); // padding still to come
        assertNull(decoder.decode(buf("00 00 00 00")));
        assertTrue(decoder.isAtRecordBoundary());
        assertEquals(24, decoder.position() + 8);
    }

    @Test
    void decodeReturnsNullOnlyWhenTheInputIsUsedUp() throws Exception {
        RecordDecoder decoder = new RecordDecoder();
        ByteBuffer two = ByteBuffer.wrap(Bytes.encodeAll(new AbortRequest(1), new AbortRequest(2)));
        assertEquals(new AbortRequest(1), decoder.decode(two));
        assertEquals(new AbortRequest(2), decoder.decode(two));
        assertNull(decoder.decode(two));
        assertFalse(two.hasRemaining());
    }

    // Appendix B: the spec's example exchanges, each whole record sequence both ways.

    static Stream<Arguments> appendixB() {
        byte[] params = pairs("SERVER_PORT", "80", "SERVER_ADDR", "199.170.183.42");
        Record[] simple = {
            new BeginRequest(1, Role.RESPONDER, false),
            Bytes.stream(RecordType.PARAMS, 1, params), Params.endOfStream(1), Stdin.endOfStream(1),
            Bytes.stream(RecordType.STDOUT, 1, ascii("Content-type: text/html\r\n\r\n<html>\n<head> ... ")),
            Stdout.endOfStream(1), EndRequest.complete(1, 0)};
        Record[] withStdin = {
            new BeginRequest(1, Role.RESPONDER, false),
            Bytes.stream(RecordType.PARAMS, 1, params), Params.endOfStream(1),
            Bytes.stream(RecordType.STDIN, 1, ascii("quantity=100&item=3047936")), Stdin.endOfStream(1),
            Bytes.stream(RecordType.STDOUT, 1, ascii("Content-type: text/html\r\n\r\n<html>\n<head> ... ")),
            Stdout.endOfStream(1), EndRequest.complete(1, 0)};
        Record[] withStderr = {
            new BeginRequest(1, Role.RESPONDER, false),
            Bytes.stream(RecordType.PARAMS, 1, params), Params.endOfStream(1), Stdin.endOfStream(1),
            Bytes.stream(RecordType.STDOUT, 1, ascii("Content-type: text/html\r\n\r\n<ht")),
            Bytes.stream(RecordType.STDERR, 1, ascii("config error: missing SI_UID\n")),
            Bytes.stream(RecordType.STDOUT, 1, ascii("ml>\n<head> ... ")),
            Stdout.endOfStream(1), Stderr.endOfStream(1), EndRequest.complete(1, 0)};
        Record[] twoConcurrent = {
            new BeginRequest(1, Role.RESPONDER, true),
            Bytes.stream(RecordType.PARAMS, 1, params), Params.endOfStream(1), Stdin.endOfStream(1),
            new BeginRequest(2, Role.RESPONDER, true),
            Bytes.stream(RecordType.PARAMS, 2, params),
            Bytes.stream(RecordType.STDOUT, 1, ascii("Content-type: text/html\r\n\r\n")),
            Params.endOfStream(2), Stdin.endOfStream(2),
            Bytes.stream(RecordType.STDOUT, 2, ascii("Content-type: text/html\r\n\r\n<html>\n<head> ... ")),
            Stdout.endOfStream(2), EndRequest.complete(2, 0),
            Bytes.stream(RecordType.STDOUT, 1, ascii("<html>\n<head> ... ")),
            Stdout.endOfStream(1), EndRequest.complete(1, 0)};
        List<Arguments> arguments = new ArrayList<>();
        Object[][] table = {{"simple", simple}, {"stdin", withStdin}, {"stderr", withStderr},
            {"two concurrent", twoConcurrent}};
        for (Object[] row : table) {
            for (Chunking chunking : Chunking.values()) {
                arguments.add(Arguments.of(row[0], row[1], chunking));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} ({2})")
    @MethodSource("appendixB")
    void appendixBExchangesDecodeAsSent(String name, Record[] exchange, Chunking chunking) throws Exception {
        assertEquals(List.of(exchange), decodeAll(Bytes.encodeAll(exchange), chunking));
    }

    @Test
    void appendixBFirstParamsRecordMatchesTheSpecBytes() {
        // {FCGI_PARAMS, 1, "\013\002SERVER_PORT80\013\016SERVER_ADDR199.170.183.42 ... "}
        assertEquals("0b02" + Bytes.toHex(ascii("SERVER_PORT80")) + "0b0e" + Bytes.toHex(ascii("SERVER_ADDR199.170.183.42")),
                Bytes.toHex(pairs("SERVER_PORT", "80", "SERVER_ADDR", "199.170.183.42")));
    }

    static byte[] pairs(String... namesAndValues) {
        List<NameValuePair> pairs = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            pairs.add(NameValuePair.of(namesAndValues[i], namesAndValues[i + 1]));
        }
        long length = pairs.stream().mapToLong(NameValuePair::encodedLength).sum();
        ByteBuffer out = ByteBuffer.allocate((int) length);
        pairs.forEach(pair -> pair.writeTo(out));
        return out.array();
    }

    // Errors: what was wrong, and at which byte.

    static Stream<Arguments> malformed() {
        String begin = "01 01 00 01 00 08 00 00 | 00 01 00 00 00 00 00 00 ";
        return Stream.of(
            Arguments.of("version 0", "00 05 00 01 00 00 00 00", Violation.UNSUPPORTED_VERSION, 0, "version 0"),
            Arguments.of("version 2 in the second record", begin + "02 05 00 01 00 00 00 00",
                Violation.UNSUPPORTED_VERSION, 16, "version 2"),
            Arguments.of("GET_VALUES with a request id", "01 09 00 01 00 00 00 00",
                Violation.MANAGEMENT_RECORD_WITH_REQUEST_ID, 2, "GET_VALUES"),
            Arguments.of("GET_VALUES_RESULT with a request id", begin + "01 0a 00 02 00 00 00 00",
                Violation.MANAGEMENT_RECORD_WITH_REQUEST_ID, 18, "GET_VALUES_RESULT"),
            Arguments.of("UNKNOWN_TYPE with a request id", "01 0b 00 01 00 08 00 00 | 01 00 00 00 00 00 00 00",
                Violation.MANAGEMENT_RECORD_WITH_REQUEST_ID, 2, "UNKNOWN_TYPE"),
            Arguments.of("BEGIN_REQUEST with id 0", "01 01 00 00 00 08 00 00 | 00 01 00 00 00 00 00 00",
                Violation.APPLICATION_RECORD_WITHOUT_REQUEST_ID, 2, "BEGIN_REQUEST"),
            Arguments.of("STDIN with id 0", "01 05 00 00 00 00 00 00",
                Violation.APPLICATION_RECORD_WITHOUT_REQUEST_ID, 2, "STDIN"),
            Arguments.of("BEGIN_REQUEST of 7 bytes", "01 01 00 01 00 07 01 00 | 00 01 00 00 00 00 00 00",
                Violation.BAD_CONTENT_LENGTH, 4, "got 7"),
            Arguments.of("BEGIN_REQUEST of 9 bytes", "01 01 00 01 00 09 07 00", Violation.BAD_CONTENT_LENGTH, 4, "got 9"),
            Arguments.of("END_REQUEST of 4 bytes", "01 03 00 01 00 04 04 00", Violation.BAD_CONTENT_LENGTH, 4, "END_REQUEST"),
            Arguments.of("ABORT_REQUEST with content", "01 02 00 01 00 01 07 00", Violation.BAD_CONTENT_LENGTH, 4, "ABORT_REQUEST"),
            Arguments.of("UNKNOWN_TYPE of 0 bytes", "01 0b 00 00 00 00 00 00", Violation.BAD_CONTENT_LENGTH, 4, "UNKNOWN_TYPE"),
            Arguments.of("END_REQUEST protocolStatus 4", "01 03 00 01 00 08 00 00 | 00 00 00 00 04 00 00 00",
                Violation.UNKNOWN_PROTOCOL_STATUS, 12, "protocolStatus 4"),
            Arguments.of("GET_VALUES pair running past the record", "01 09 00 00 00 03 05 00 | 05 00 41 | 00 00 00 00 00",
                Violation.TRUNCATED_PAIR, 11, "GET_VALUES record ended inside the pair that began at byte 8"),
            Arguments.of("GET_VALUES declaring a 2^31-1 value", "01 09 00 00 00 08 00 00 | 01 ff ff ff ff 41 00 00",
                Violation.TRUNCATED_PAIR, 16, "value of 2147483647 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputNamesTheViolationAndItsOffset(String name, String wire, Violation violation, long offset,
                                                     String mentioned) {
        for (Chunking chunking : Chunking.values()) {
            FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class,
                    () -> decodeAll(hex(wire), chunking), chunking.name());
            assertEquals(violation, e.violation(), e.getMessage());
            assertEquals(offset, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains(mentioned), e.getMessage());
            assertTrue(e.getMessage().contains("at byte " + offset + " of the connection"), e.getMessage());
        }
    }

    @Test
    void afterAnErrorTheDecoderKeepsThrowingTheSameException() {
        RecordDecoder decoder = new RecordDecoder();
        FastCgiProtocolException first = assertThrows(FastCgiProtocolException.class,
                () -> decoder.decode(buf("02 05 00 01 00 00 00 00")));
        assertSame(first, assertThrows(FastCgiProtocolException.class, () -> decoder.decode(buf("01 02 00 01 00 00 00 00"))));
        assertSame(first, assertThrows(FastCgiProtocolException.class, decoder::endOfInput));
        assertFalse(decoder.isAtRecordBoundary());
    }

    static Stream<Arguments> truncated() {
        return Stream.of(
            Arguments.of("inside the header", "01 05 00", "header, 3 of 8 bytes received"),
            Arguments.of("inside the content", "01 05 00 01 00 04 04 00 | 61 62", "STDIN content, 2 of 4 bytes received"),
            Arguments.of("inside a discrete body", "01 01 00 01 00 08 00 00 | 00 01", "BEGIN_REQUEST content, 2 of 8"),
            Arguments.of("inside the padding", "01 05 00 01 00 01 07 00 | 61 | 00 00", "padding, 5 bytes missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncated")
    void inputEndingInsideARecordIsTruncation(String name, String wire, String mentioned) throws Exception {
        RecordDecoder decoder = new RecordDecoder();
        ByteBuffer input = buf(wire);
        while (decoder.decode(input) != null) {
            // drain
        }
        FastCgiProtocolException e = assertThrows(FastCgiProtocolException.class, decoder::endOfInput);
        assertEquals(Violation.TRUNCATED_RECORD, e.violation());
        assertEquals(hex(wire).length, e.offset());
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }

    @Test
    void inputEndingBetweenRecordsIsFine() throws Exception {
        RecordDecoder decoder = new RecordDecoder();
        ByteBuffer input = buf("01 02 00 01 00 00 00 00");
        assertEquals(new AbortRequest(1), decoder.decode(input));
        assertNull(decoder.decode(input));
        decoder.endOfInput();
    }
}
