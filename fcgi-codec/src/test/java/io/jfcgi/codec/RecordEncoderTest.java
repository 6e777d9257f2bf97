package io.jfcgi.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.jfcgi.codec.Bytes.ascii;
import static io.jfcgi.codec.Bytes.hex;
import static io.jfcgi.codec.Bytes.toArray;
import static io.jfcgi.codec.Bytes.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** §3.3: what we put on the wire: padded to eight, streams split at 65535, the empty record on its own. */
class RecordEncoderTest {

    @Test
    void helloWorldStdoutIsPaddedToEightBytes() {
        assertEquals(toHex(hex("01 06 00 01 00 0d 03 00")) + toHex(ascii("Hello, World!")) + "000000",
                toHex(toArray(RecordEncoder.encode(Bytes.stream(RecordType.STDOUT, 1, ascii("Hello, World!"))))));
    }

    @Test
    void endOfStreamIsAnEmptyRecord() {
        assertEquals("0106000100000000", toHex(toArray(RecordEncoder.encode(Stdout.endOfStream(1)))));
    }

    @Test
    void endRequestCarriesAppStatusAndProtocolStatus() {
        assertEquals("0103000100080000" + "0000002a" + "00000000",
                toHex(toArray(RecordEncoder.encode(EndRequest.complete(1, 42)))));
    }

    @Test
    void unknownTypeAnswersOnRequestIdZero() {
        assertEquals("010b000000080000" + "14" + "00000000000000", toHex(toArray(RecordEncoder.encode(new UnknownType(20)))));
    }

    @Test
    void aStreamOf66000BytesIsTwoRecordsPaddedOneAndSeven() {
        byte[] wire = toArray(RecordEncoder.encode(Bytes.stream(RecordType.STDIN, 1, Bytes.pattern(66000))));
        assertEquals("01050001ffff0100", toHex(wire).substring(0, 16)); // 65535, padding 1
        int second = 8 + 65535 + 1;
        assertEquals("0105000101d10700", toHex(java.util.Arrays.copyOfRange(wire, second, second + 8))); // 465, pad 7
        assertEquals(second + 8 + 465 + 7, wire.length);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 7, 8, 13, 65535, 65536, 66000, 131070, 200000})
    void encodedLengthIsExact(int length) {
        StreamRecord record = Bytes.stream(RecordType.STDOUT, 3, Bytes.pattern(length));
        assertEquals(RecordEncoder.encodedLength(record), RecordEncoder.encode(record).remaining());
        assertEquals(RecordEncoder.encodedLength(record), RecordEncoder.encodedLength(length));
        assertEquals(0, RecordEncoder.encodedLength(record) % 8);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 8, 13, 65535, 65536, 66000, 200000})
    void gatheringWritesTheSameBytesAsCopying(int length) {
        StreamRecord record = Bytes.stream(RecordType.STDOUT, 3, Bytes.pattern(length));
        ByteArrayOutputStream gathered = new ByteArrayOutputStream();
        for (ByteBuffer part : RecordEncoder.encodeGathering(record)) {
            gathered.writeBytes(toArray(part));
        }
        assertEquals(toHex(toArray(RecordEncoder.encode(record))), toHex(gathered.toByteArray()));
    }

    @Test
    void gatheringSlicesThePayloadInsteadOfCopyingIt() {
        byte[] payload = Bytes.pattern(100_000);
        ByteBuffer[] parts = RecordEncoder.encodeGathering(new Stdout(1, ByteBuffer.wrap(payload)));
        List<ByteBuffer> large = new ArrayList<>();
        for (ByteBuffer part : parts) {
            if (part.remaining() > 100) {
                large.add(part);
            }
        }
        assertEquals(2, large.size());
        payload[0] = 42;
        payload[99_999] = 43;
        assertEquals(42, large.get(0).get(large.get(0).position()));
        assertEquals(43, large.get(1).get(large.get(1).limit() - 1));
    }

    @Test
    void tooSmallABufferGetsNothingWritten() {
        ByteBuffer out = ByteBuffer.allocate(20);
        out.put((byte) 9);
        assertThrows(BufferOverflowException.class,
                () -> RecordEncoder.encode(Bytes.stream(RecordType.STDOUT, 1, Bytes.pattern(13)), out));
        assertEquals(1, out.position());
    }

    @Test
    void getValuesResultMustFitOneRecord() {
        List<NameValuePair> big = List.of(NameValuePair.of(ascii("N"), new byte[70_000]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordEncoder.encode(new GetValuesResult(big)));
        assertTrue(e.getMessage().contains("single record"), e.getMessage());
    }

    @Test
    void getValuesResultFillingOneRecordExactlyIsEncoded() {
        // 1 + 4 + 1 + 65529 bytes of pairs: the most one record's content holds.
        List<NameValuePair> full = List.of(NameValuePair.of(ascii("N"), new byte[RecordHeader.MAX_CONTENT_LENGTH - 6]));
        assertEquals(RecordHeader.LENGTH + RecordHeader.MAX_CONTENT_LENGTH + 1,
                RecordEncoder.encode(new GetValuesResult(full)).remaining());
    }

    @Test
    void encodingLeavesTheRecordsContentWhereItWas() {
        ByteBuffer content = ByteBuffer.wrap(ascii("abc"));
        Stdout record = new Stdout(1, content);
        RecordEncoder.encode(record);
        RecordEncoder.encodeGathering(record);
        assertEquals(3, record.contentLength());
        assertEquals(0, content.position());
    }

    @Test
    void roundTripsOneOfEachType() throws Exception {
        Record[] records = {
            new BeginRequest(1, Role.FILTER, true), new AbortRequest(2), EndRequest.complete(3, 7),
            Bytes.stream(RecordType.PARAMS, 4, hex("01 01 41 42")), Bytes.stream(RecordType.STDIN, 5, ascii("in")),
            Bytes.stream(RecordType.STDOUT, 6, ascii("out")), Bytes.stream(RecordType.STDERR, 7, ascii("err")),
            Bytes.stream(RecordType.DATA, 8, ascii("data")), GetValues.of(GetValues.MAX_REQS),
            new GetValuesResult(List.of(NameValuePair.of(GetValues.MAX_REQS, "16"))), new UnknownType(99),
            new UnknownRecord(200, 9, ByteBuffer.wrap(ascii("?")))};
        assertEquals(List.of(records), Bytes.decodeAll(Bytes.encodeAll(records), Bytes.Chunking.WHOLE));
    }

    @Test
    void recordHeaderRoundTrips() {
        RecordHeader header = new RecordHeader(1, 6, 0xABCD, 0x1234, 0xFF);
        ByteBuffer out = ByteBuffer.allocate(8);
        header.writeTo(out);
        assertEquals("0106abcd1234ff00", toHex(out.array()));
        assertEquals(header, RecordHeader.readFrom(out.flip()));
        assertEquals(8 + 0x1234 + 0xFF, header.recordLength());
    }

    @Test
    void recordValuesRefuseImpossibleFields() {
        assertThrows(IllegalArgumentException.class, () -> new Stdout(0, ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class, () -> new BeginRequest(65536, Role.RESPONDER, false));
        assertThrows(IllegalArgumentException.class, () -> new UnknownRecord(RecordType.STDIN.code(), 1,
                ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class, () -> new RecordHeader(1, 1, 1, 65536, 0));
    }

    @Test
    void codeTablesMatchTheSpec() {
        for (RecordType type : RecordType.values()) {
            assertSame(type, RecordType.fromCode(type.code()));
        }
        assertEquals(11, RecordType.values().length);
        assertEquals(null, RecordType.fromCode(0));
        assertEquals(null, RecordType.fromCode(12));
        for (Role role : Role.values()) {
            assertSame(role, Role.fromCode(role.code()));
        }
        for (ProtocolStatus status : ProtocolStatus.values()) {
            assertSame(status, ProtocolStatus.fromCode(status.code()));
        }
        assertEquals(null, ProtocolStatus.fromCode(4));
    }
}
