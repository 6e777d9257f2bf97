package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/**
 * The CGI header block a response starts with (status, the handler's headers, the Content-Length and Content-Type
 * it lacks) and the rules for what a handler may set, without a connection: the block is put into a buffer.
 */
class ResponseHeaderBlockTest {

    private static Response response() {
        return new Response(new ResponseStream(null, null, 1, 64, false), OutputStream.nullOutputStream());
    }

    /** The block for a body of {@code bodyLength} bytes (-1: unknown), checking that its count is its length. */
    private static String block(Response response, long bodyLength) {
        int counted = response.putHeaderBlock(bodyLength, null);
        ByteBuffer out = ByteBuffer.allocate(counted + 3);
        out.position(3); // a record header before it, as in the real buffer
        assertEquals(counted, response.putHeaderBlock(bodyLength, out));
        assertEquals(counted + 3, out.position(), "the count is what was put");
        return new String(out.array(), 3, counted, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aBodyOfKnownLengthGetsContentLengthAndTheDefaultType() {
        assertEquals("Status: 200 OK\r\nContent-Length: 5\r\nContent-Type: application/octet-stream\r\n\r\n",
                block(response(), 5));
    }

    @Test
    void aBodyOfUnknownLengthGetsNoContentLength() {
        assertEquals("Status: 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n", block(response(), -1));
    }

    @Test
    void anEmptyBodyGetsContentLengthZeroAndNoType() {
        assertEquals("Status: 200 OK\r\nContent-Length: 0\r\n\r\n", block(response(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {101, 204, 304})
    void aStatusThatCarriesNoBodyGetsNeitherLengthNorType(int status) {
        Response response = response().setStatus(status);
        String line = "Status: " + status + " " + HttpStatus.reason(status) + "\r\n";
        assertEquals(line + "\r\n", block(response, 0));
        assertEquals(line + "\r\n", block(response, 7));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {0, 9, 10, 99, 100, 65535, 1234567890123L})
    void theLengthIsWrittenInDecimal(long length) {
        assertEquals("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + length + "\r\n\r\n",
                block(response().setContentType("text/plain"), length));
    }

    @Test
    void theHandlersHeadersComeInTheOrderSetAndItsLengthAndTypeWinInAnyCase() {
        Response response = response().setStatus(404).addHeader("set-cookie", "a=1").addHeader("Set-Cookie", "b=2")
                .setHeader("content-type", "text/html").setHeader("CONTENT-LENGTH", "3");
        assertEquals("Status: 404 Not Found\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\ncontent-type: text/html\r\n"
                + "CONTENT-LENGTH: 3\r\n\r\n", block(response, 3));
    }

    @Test
    void setHeaderReplacesEveryHeaderOfThatNameInAnyCase() {
        Response response = response().addHeader("X-A", "1").addHeader("x-a", "2").addHeader("X-B", "3")
                .setHeader("X-a", "4");
        assertEquals("Status: 200 OK\r\nX-B: 3\r\nX-a: 4\r\n\r\n", block(response, -1).replace(
                "Content-Type: application/octet-stream\r\n", ""));
    }

    @Test
    void aRefusedValueLeavesTheOldHeaderInPlace() {
        Response response = response().setHeader("X-A", "1");
        assertThrows(IllegalArgumentException.class, () -> response.setHeader("X-A", "2\r\n"));
        assertEquals("1", response.header("X-A"));
    }

    @Test
    void headerFindsTheFirstOfANameInAnyCase() {
        Response response = response().addHeader("X-A", "1").addHeader("x-a", "2");
        assertEquals("1", response.header("x-A"));
        assertNull(response.header("X-B"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {100, 200, 999})
    void aStatusOfThreeDigitsIsTaken(int status) {
        assertEquals(status, response().setStatus(status).status());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {-1, 0, 99, 1000})
    void aStatusOfOtherThanThreeDigitsIsRefused(int status) {
        assertThrows(IllegalArgumentException.class, () -> response().setStatus(status));
    }

    @Test
    void theStatusIs200UntilSet() {
        assertEquals(200, response().status());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "X:A", "X A", ":A", " A", "Status", "status"})
    void aNameThatIsNoTokenOrIsStatusIsRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> response().addHeader(name, "v"));
        assertThrows(IllegalArgumentException.class, () -> response().setHeader(name, "v"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a\rb", "a\nb", "\u0100", "\r", "a\n"})
    void aLineBreakOrACharBeyondIso88591IsRefusedInNameAndValue(String text) {
        assertThrows(IllegalArgumentException.class, () -> response().addHeader("X-A", text));
        assertThrows(IllegalArgumentException.class, () -> response().addHeader("X" + text, "v"));
    }

    /** Every ISO-8859-1 char but CR and LF: what a header value may hold. */
    private static String latin1ButLineBreaks() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c <= 0xFF; c++) {
            if (c != '\r' && c != '\n') {
                all.append(c);
            }
        }
        return all.toString();
    }

    @Test
    void everyIso88591CharButLineBreaksIsTakenInAValue() {
        String all = latin1ButLineBreaks();
        assertEquals(all, response().addHeader("X-A", all).header("X-A"));
    }

    @Test
    void aNullNameOrValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> response().addHeader(null, "v"));
        assertThrows(IllegalArgumentException.class, () -> response().addHeader("X-A", null));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a\rb", "a\nb", "\u0100"})
    void aContentTypeWithALineBreakOrACharBeyondIso88591IsRefusedAndTheOldOneStays(String text) {
        Response response = response().setContentType("text/plain");
        assertThrows(IllegalArgumentException.class, () -> response.setContentType(text));
        assertThrows(IllegalArgumentException.class, () -> response.setContentType(null));
        assertEquals("text/plain", response.header("content-type"));
    }

    @Test
    void contentTypeAndLengthReplaceHeadersOfTheirNameInAnyCase() {
        Response response = response().addHeader("content-type", "a/b").addHeader("CONTENT-LENGTH", "9")
                .setContentType("text/plain").setContentLength(2);
        assertEquals("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n", block(response, 2));
    }

    @Test
    void contentTypeAndLengthAreRefusedOnceTheHeadersAreSent() throws Exception {
        Response response = writable();
        response.write("hi").flush();
        assertThrows(IllegalStateException.class, () -> response.setContentType("text/plain"));
        assertThrows(IllegalStateException.class, () -> response.setContentLength(2));
    }

    @Test
    void everyIso88591CharOfAValueIsPutAsItsByteIntoAHeapOrADirectBuffer() {
        String all = latin1ButLineBreaks();
        Response response = response().setHeader("X-A", all);
        String expected = "Status: 200 OK\r\nX-A: " + all + "\r\nContent-Length: 0\r\n\r\n";
        assertEquals(expected, block(response, 0));
        ByteBuffer direct = ByteBuffer.allocateDirect(response.putHeaderBlock(0, null));
        response.putHeaderBlock(0, direct);
        byte[] bytes = new byte[direct.flip().remaining()];
        direct.get(bytes);
        assertEquals(expected, new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void contentLengthIsANonNegativeNumber() {
        assertEquals("0", response().setContentLength(0).header("Content-Length"));
        assertThrows(IllegalArgumentException.class, () -> response().setContentLength(-1));
    }

    @Test
    void aVariableIsAVariableHeader() {
        assertEquals("alice", response().setVariable("USER", "alice").header("Variable-USER"));
        assertThrows(IllegalArgumentException.class, () -> response().setVariable(null, "alice"));
    }

    @Test
    void resetForgetsStatusAndHeaders() {
        Response response = response().setStatus(500).addHeader("X-A", "1");
        response.reset();
        assertEquals(200, response.status());
        assertNull(response.header("X-A"));
    }

    @Test
    void theStreamsAreTheOnesGiven() {
        ResponseStream body = new ResponseStream(null, null, 1, 64, false);
        OutputStream errors = OutputStream.nullOutputStream();
        Response response = new Response(body, errors);
        assertSame(body, response.body());
        assertSame(errors, response.errors());
    }

    /** A response whose body goes to a writer that takes everything (a mock): what a handler writes is counted. */
    private static Response writable() {
        return new Response(new ResponseStream(mock(Exchange.class), mock(RecordWriter.class), 1, 64, false),
                OutputStream.nullOutputStream());
    }

    @Test
    void nothingChangesOnceTheHeadersAreSent() throws Exception {
        Response response = writable().addHeader("X-A", "1");
        assertFalse(response.isCommitted());
        response.write("hi").flush();
        assertTrue(response.isCommitted());
        assertThrows(IllegalStateException.class, () -> response.setStatus(404));
        assertThrows(IllegalStateException.class, () -> response.setHeader("X-A", "2"));
        assertThrows(IllegalStateException.class, () -> response.addHeader("X-B", "1"));
        assertThrows(IllegalStateException.class, response::reset);
        assertEquals("1", response.header("X-A"), "a refused setHeader leaves the header sent");
    }

    @Test
    void writeGoesToTheBodyAsUtf8() throws Exception {
        Response response = writable();
        response.write("h\u00e9");
        assertEquals(3, ((ResponseStream) response.body()).bodyBytes());
    }

    @Test
    void resetDropsTheBufferedBody() throws Exception {
        Response response = writable();
        response.write("hello");
        response.reset();
        assertEquals(0, ((ResponseStream) response.body()).bodyBytes());
        assertFalse(response.isCommitted());
    }
}
