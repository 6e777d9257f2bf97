package io.jfcgi.responder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The response to one request, in CGI form (§6.2): a {@code Status: NNN Reason} line, headers, a blank line,
 * then the body. Headers go out with the first body bytes that leave the buffer ("commit"); until then status
 * and headers may change. When the handler returns with the whole body still buffered, a Content-Length is added.
 *
 * <p>For an AUTHORIZER, {@link #setVariable} adds the {@code Variable-NAME} headers that pass values on to
 * later stages when the status is 200 (§6.3).
 */
public final class Response {

    private final ResponseStream body;
    private final OutputStream errors;
    private int status = 200;
    private static final String CRLF = "\r\n";
    private final HeaderFields headers = new HeaderFields();

    Response(ResponseStream body, OutputStream errors) {
        this.body = body;
        this.errors = errors;
        body.attach(this);
    }

    /**
     * Sets the HTTP status, 200 until set. The reason phrase is the standard one for the code.
     *
     * @param code the status code, 100..999
     * @return this response
     * @throws IllegalArgumentException if {@code code} is not three digits
     * @throws IllegalStateException    if the headers have already been sent
     */
    public Response setStatus(int code) {
        checkNotCommitted();
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("HTTP status must be three digits, got " + code);
        }
        status = code;
        return this;
    }

    /**
     * The HTTP status, as set so far.
     *
     * @return the status code; 200 unless {@link #setStatus} changed it
     */
    public int status() {
        return status;
    }

    /**
     * Replaces every header of this name (in any case) with this one.
     *
     * @param name  the header's name: a non-empty token without ':' or spaces, other than {@code Status}
     * @param value the value; ISO-8859-1 text without line breaks, possibly empty
     * @return this response
     * @throws IllegalArgumentException if {@code name} or {@code value} is {@code null} or breaks those rules
     * @throws IllegalStateException    if the headers have already been sent
     */
    public Response setHeader(String name, String value) {
        checkNotCommitted();
        checkHeader(name, value); // before removing: a refused value leaves the old header in place
        return replace(name, value);
    }

    /** Replaces every header named {@code name} (checked already) with this one. */
    private Response replace(String name, String value) {
        headers.removeAll(name);
        headers.add(name, value);
        return this;
    }

    /**
     * Adds a header, keeping others of the same name (e.g. several {@code Set-Cookie}).
     *
     * @param name  the header's name: a non-empty token without ':' or spaces, other than {@code Status}
     * @param value the value; ISO-8859-1 text without line breaks, possibly empty
     * @return this response
     * @throws IllegalArgumentException if {@code name} or {@code value} is {@code null} or breaks those rules
     * @throws IllegalStateException    if the headers have already been sent
     */
    public Response addHeader(String name, String value) {
        checkNotCommitted();
        checkHeader(name, value);
        headers.add(name, value);
        return this;
    }

    private static void checkHeader(String name, String value) {
        checkHeaderText("name", name);
        checkHeaderText("value", value);
        if (name.isEmpty() || name.indexOf(':') >= 0 || name.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("header name '" + name + "' must be a non-empty token");
        }
        if (name.equalsIgnoreCase("Status")) {
            throw new IllegalArgumentException("set the status with setStatus, not a Status header");
        }
    }

    /**
     * Sets the Content-Type header. Without one, a response with a body gets
     * {@code application/octet-stream}.
     *
     * @param type the media type, such as {@code text/html; charset=utf-8}
     * @return this response
     * @throws IllegalArgumentException if {@code type} is {@code null} or has a line break or a char outside
     *                                  ISO-8859-1
     * @throws IllegalStateException    if the headers have already been sent
     */
    public Response setContentType(String type) {
        checkNotCommitted();
        checkHeaderText("value", type); // the name is ours: only the value needs its check
        return replace("Content-Type", type);
    }

    /**
     * Sets the Content-Length header. Rarely needed: a body that is still all buffered when the handler returns
     * gets one anyway.
     *
     * @param length the body's length in bytes, which the handler must then write exactly
     * @return this response
     * @throws IllegalArgumentException if {@code length} is negative
     * @throws IllegalStateException    if the headers have already been sent
     */
    public Response setContentLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("a Content-Length cannot be negative: " + length);
        }
        checkNotCommitted();
        return replace("Content-Length", Long.toString(length)); // digits: nothing to check
    }

    /**
     * For an AUTHORIZER: sets a {@code Variable-NAME} header, which the web server hands on to later stages as a
     * parameter when the status is 200 (§6.3).
     *
     * @param name  the variable's name, without the {@code Variable-} prefix
     * @param value the value; ISO-8859-1 text without line breaks
     * @return this response
     * @throws IllegalArgumentException if {@code name} or {@code value} is {@code null}, or the header's name or
     *                                  value breaks the rules of {@link #addHeader}
     * @throws IllegalStateException    if the headers have already been sent
     */
    public Response setVariable(String name, String value) {
        if (name == null) {
            throw new IllegalArgumentException("a variable needs a name");
        }
        return setHeader("Variable-" + name, value);
    }

    /**
     * A header set so far.
     *
     * @param name the header's name, in any case
     * @return the value of the first header of that name, or {@code null} if none is set
     */
    public String header(String name) {
        return headers.first(name);
    }

    /**
     * The body. The first bytes that leave its buffer commit status and headers.
     *
     * @return the body stream; the same one on every call. It buffers up to the body buffer size (see
     *         {@link FastCgiServer.Builder#bodyBufferBytes}); a write beyond it sends. Closing it is not needed. A
     *         write to an aborted request fails with {@link RequestAbortedException}
     */
    public OutputStream body() {
        return body;
    }

    /**
     * Writes text to the body as UTF-8.
     *
     * @param text the text; not {@code null}
     * @return this response
     * @throws RequestAbortedException if the web server has aborted the request
     * @throws IOException             if the response cannot be sent
     */
    public Response write(String text) throws IOException {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Sends what is buffered now, status and headers included, which commits them.
     *
     * @throws RequestAbortedException if the web server has aborted the request
     * @throws IOException             if the response cannot be sent
     */
    public void flush() throws IOException {
        body.flush();
    }

    /**
     * The error stream (FCGI_STDERR), which the web server writes to its error log.
     *
     * @return the error stream, unbuffered: each write is sent at once, in order with the body
     */
    public OutputStream errors() {
        return errors;
    }

    /**
     * Whether status and headers have been sent, after which they can no longer change.
     *
     * @return {@code true} once the first body bytes or a {@link #flush()} went out
     */
    public boolean isCommitted() {
        return body.isCommitted();
    }

    /** Discards status, headers and buffered body, if nothing was sent yet; for error pages. */
    void reset() {
        checkNotCommitted();
        status = 200;
        headers.clear();
        body.discardBuffered();
    }

    /**
     * Puts the CGI header block for {@code bodyLength} (-1 when unknown), ending with the blank line, at {@code
     * out}'s position; with {@code out} null it only counts. Every char was checked to be ISO-8859-1 when its
     * header was set, so a char is a byte, and no String or array is built per response.
     *
     * @return the block's length in bytes
     */
    int putHeaderBlock(long bodyLength, ByteBuffer out) {
        int n = put("Status: ", out) + put(status, out) + put(" ", out) + put(HttpStatus.reason(status), out)
                + put(CRLF, out);
        boolean hasType = false;
        boolean hasLength = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            n += put(name, out) + put(": ", out) + put(headers.value(i), out) + put(CRLF, out);
            hasType |= name.equalsIgnoreCase("content-type");
            hasLength |= name.equalsIgnoreCase("content-length");
        }
        if (!hasLength && bodyLength >= 0 && HttpStatus.allowsBody(status)) {
            n += put("Content-Length: ", out) + put(bodyLength, out) + put(CRLF, out);
        }
        if (!hasType && bodyLength != 0 && HttpStatus.allowsBody(status)) {
            n += put("Content-Type: application/octet-stream\r\n", out);
        }
        return n + put(CRLF, out);
    }

    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): a char's low byte, which is the char here
    private static int put(String text, ByteBuffer out) {
        int length = text.length();
        if (out != null && out.hasArray() && out.remaining() >= length) { // one array copy, not a put per char
            int at = out.position();
            text.getBytes(0, length, out.array(), out.arrayOffset() + at);
            out.position(at + length);
        } else if (out != null) {
            for (int i = 0; i < length; i++) {
                out.put((byte) text.charAt(i));
            }
        }
        return length;
    }

    /** A non-negative number in decimal, without making a String of it. */
    private static int put(long number, ByteBuffer out) {
        int digits = 1;
        for (long rest = number / 10; rest > 0; rest /= 10) {
            digits++;
        }
        if (out != null) {
            int at = out.position() + digits;
            long rest = number;
            do {
                out.put(--at, (byte) ('0' + rest % 10));
                rest /= 10;
            } while (rest > 0);
            out.position(out.position() + digits);
        }
        return digits;
    }

    private void checkNotCommitted() {
        if (body.isCommitted()) {
            throw new IllegalStateException("the response headers have already been sent");
        }
    }

    private static void checkHeaderText(String what, String text) {
        if (text == null) {
            throw new IllegalArgumentException("header " + what + " must not be null");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c > 0xFF) {
                throw new IllegalArgumentException("header " + what + " '" + text
                        + "' has a line break or a char outside ISO-8859-1 at index " + i);
            }
        }
    }
}
