package io.jfcgi.codec;

import org.junit.jupiter.api.Test;
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
}
