package io.jfcgi.responder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
    private final List<String[]> headers = new ArrayList<>();

    Response(ResponseStream body, OutputStream errors) {
        this.body = body;
        this.errors = errors;
        body.attach(this);
    }

    /** Sets the HTTP status (100..999) while headers are not yet committed. */
    public Response setStatus(int code) {
        checkNotCommitted();
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("HTTP status must be three digits, got " + code);
        }
        status = code;
        return this;
    }

    public int status() {
        return status;
    }

    /** Replaces every header named {@code name} (any case) with this one. */
    public Response setHeader(String name, String value) {
        checkNotCommitted();
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        return addHeader(name, value);
    }

    /** Adds a header, keeping others of the same name (e.g. several {@code Set-Cookie}). */
    public Response addHeader(String name, String value) {
        checkNotCommitted();
        checkHeaderText("name", name);
        checkHeaderText("value", value);
        if (name.isEmpty() || name.indexOf(':') >= 0 || name.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("header name '" + name + "' must be a non-empty token");
        }
        if (name.equalsIgnoreCase("Status")) {
            throw new IllegalArgumentException("set the status with setStatus, not a Status header");
        }
        headers.add(new String[] {name, value});
        return this;
    }

    public Response setContentType(String type) {
        return setHeader("Content-Type", type);
    }

    public Response setContentLength(long length) {
        return setHeader("Content-Length", Long.toString(length));
    }

    /** AUTHORIZER: a {@code Variable-NAME} header, which the web server hands on when the status is 200. */
    public Response setVariable(String name, String value) {
        return setHeader("Variable-" + name, value);
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** The body. The first bytes that leave its buffer commit status and headers. */
    public OutputStream body() {
        return body;
    }

    /** Writes {@code text} to the body as UTF-8. */
    public Response write(String text) throws IOException {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Sends what is buffered now, headers included. */
    public void flush() throws IOException {
        body.flush();
    }

    /** The error stream (FCGI_STDERR): the web server writes it to its error log. */
    public OutputStream errors() {
        return errors;
    }

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

    /** The CGI header block for {@code bodyLength} (-1 when unknown), ending with the blank line. */
    byte[] headerBlock(long bodyLength) {
        HeaderBytes block = new HeaderBytes();
        block.append("Status: ").append(status).append(" ").append(HttpStatus.reason(status)).append("\r\n");
        boolean hasType = false;
        boolean hasLength = false;
        for (String[] h : headers) {
            block.append(h[0]).append(": ").append(h[1]).append("\r\n");
            hasType |= h[0].equalsIgnoreCase("content-type");
            hasLength |= h[0].equalsIgnoreCase("content-length");
        }
        if (!hasLength && bodyLength >= 0 && HttpStatus.allowsBody(status)) {
            block.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        if (!hasType && bodyLength != 0 && HttpStatus.allowsBody(status)) {
            block.append("Content-Type: application/octet-stream\r\n");
        }
        return block.append("\r\n").toByteArray();
    }

    /**
     * The header block's bytes, written straight from the strings: every char was checked to be ISO-8859-1 when
     * the header was set, so a char is a byte, and no String or StringBuilder is built per response.
     */
    private static final class HeaderBytes {
        private byte[] bytes = new byte[128];
        private int count;

        HeaderBytes append(String text) {
            int length = text.length();
            ensure(length);
            for (int i = 0; i < length; i++) {
                bytes[count++] = (byte) text.charAt(i);
            }
            return this;
        }

        HeaderBytes append(long number) {
            return append(Long.toString(number));
        }

        private void ensure(int more) {
            if (count + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, count);
        }
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
