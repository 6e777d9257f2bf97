package io.jfcgi.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static io.jfcgi.codec.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The record values themselves: what they say of themselves in a log line, and the values they are made of. */
class RecordValuesTest {

    static Stream<Arguments> streamRecords() {
        ByteBuffer three = ByteBuffer.wrap(ascii("abc"));
        return Stream.of(
            Arguments.of(new Params(7, three), "Params{requestId=7, 3 bytes}"),
            Arguments.of(new Stdin(7, three), "Stdin{requestId=7, 3 bytes}"),
            Arguments.of(new Stdout(7, three), "Stdout{requestId=7, 3 bytes}"),
            Arguments.of(new Stderr(7, three), "Stderr{requestId=7, 3 bytes}"),
            Arguments.of(new Data(7, three), "Data{requestId=7, 3 bytes}"),
            Arguments.of(new UnknownRecord(99, 7, three), "UnknownRecord{type=99}{requestId=7, 3 bytes}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("streamRecords")
    void recordsWithContentShowTheirTypeRequestAndLengthNotTheBytes(Record record, String expected) {
        assertEquals(expected, record.toString());
    }

    static Stream<Arguments> endsOfStreams() {
        return Stream.of(
            Arguments.of(RecordType.PARAMS, (IntFunction<StreamRecord>) Params::endOfStream),
            Arguments.of(RecordType.STDIN, (IntFunction<StreamRecord>) Stdin::endOfStream),
            Arguments.of(RecordType.STDOUT, (IntFunction<StreamRecord>) Stdout::endOfStream),
            Arguments.of(RecordType.STDERR, (IntFunction<StreamRecord>) Stderr::endOfStream),
            Arguments.of(RecordType.DATA, (IntFunction<StreamRecord>) Data::endOfStream));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endsOfStreams")
    void theEndOfAStreamIsAnEmptyRecordOfItsTypeAndRequest(RecordType type, IntFunction<StreamRecord> endOfStream) {
        StreamRecord end = endOfStream.apply(9);
        assertEquals(type, end.type());
        assertEquals(9, end.requestId());
        assertEquals(0, end.contentLength());
    }

    @ParameterizedTest(name = "role code {0} is {1}")
    @CsvSource(nullValues = "null", value = {"1, RESPONDER", "2, AUTHORIZER", "3, FILTER", "0, null", "4, null"})
    void beginRequestNamesTheRolesFastCgiDefinesAndNoOther(int code, Role role) {
        assertEquals(role, new BeginRequest(1, code, 0).role());
    }

    @Test
    void getValuesNamesItsVariablesInOrder() {
        assertEquals(List.of(GetValues.MAX_CONNS, GetValues.MPXS_CONNS),
                GetValues.of(GetValues.MAX_CONNS, GetValues.MPXS_CONNS).names());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0, 0, 0", "1, 1, 1, 1"})
    void limitsOfZeroAreAllowed(long maxStreamBytes, int maxPairs, int maxNameLength, int maxValueLength) {
        ParamsLimits limits = ParamsLimits.DEFAULTS.withMaxStreamBytes(maxStreamBytes).withMaxPairs(maxPairs)
                .withMaxNameLength(maxNameLength).withMaxValueLength(maxValueLength);
        assertEquals(new ParamsLimits(maxStreamBytes, maxPairs, maxNameLength, maxValueLength), limits);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-1, 0, 0, 0", "0, -1, 0, 0", "0, 0, -1, 0", "0, 0, 0, -1"})
    void aNegativeLimitIsRefused(long maxStreamBytes, int maxPairs, int maxNameLength, int maxValueLength) {
        assertThrows(IllegalArgumentException.class,
                () -> new ParamsLimits(maxStreamBytes, maxPairs, maxNameLength, maxValueLength));
    }

    static Stream<Arguments> outOfRange() {
        ByteBuffer none = ByteBuffer.allocate(0);
        return Stream.of(
            Arguments.of("Params request id 0", (Executable) () -> new Params(0, none)),
            Arguments.of("Stdin request id 65536", (Executable) () -> new Stdin(65536, none)),
            Arguments.of("Stdout request id 0", (Executable) () -> new Stdout(0, none)),
            Arguments.of("Stderr request id 0", (Executable) () -> new Stderr(0, none)),
            Arguments.of("Data request id 0", (Executable) () -> new Data(0, none)),
            Arguments.of("AbortRequest request id 0", (Executable) () -> new AbortRequest(0)),
            Arguments.of("EndRequest request id 0", (Executable) () -> EndRequest.complete(0, 0)),
            Arguments.of("BeginRequest request id 0", (Executable) () -> new BeginRequest(0, 1, 0)),
            Arguments.of("BeginRequest role 65536", (Executable) () -> new BeginRequest(1, 0x10000, 0)),
            Arguments.of("BeginRequest flags 256", (Executable) () -> new BeginRequest(1, 1, 0x100)),
            Arguments.of("UnknownType type 256", (Executable) () -> new UnknownType(256)),
            Arguments.of("UnknownRecord type 256", (Executable) () -> new UnknownRecord(256, 0, none)),
            Arguments.of("UnknownRecord request id 65536", (Executable) () -> new UnknownRecord(99, 65536, none)),
            Arguments.of("UnknownRecord of 65536 bytes",
                    (Executable) () -> new UnknownRecord(99, 0, ByteBuffer.allocate(65536))),
            Arguments.of("RecordHeader version 256", (Executable) () -> new RecordHeader(256, 1, 1, 0, 0)),
            Arguments.of("RecordHeader type 256", (Executable) () -> new RecordHeader(1, 256, 1, 0, 0)),
            Arguments.of("RecordHeader request id 65536", (Executable) () -> new RecordHeader(1, 1, 65536, 0, 0)),
            Arguments.of("RecordHeader content length 65536", (Executable) () -> new RecordHeader(1, 1, 1, 65536, 0)),
            Arguments.of("RecordHeader padding 256", (Executable) () -> new RecordHeader(1, 1, 1, 0, 256)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void aFieldOutsideWhatItsHeaderBytesHoldIsRefused(String what, Executable make) {
        assertThrows(IllegalArgumentException.class, make);
    }
}
