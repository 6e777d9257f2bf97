package io.jfcgi.servlet;

import io.jfcgi.responder.Response;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The {@link HttpServletResponse} for one request, over the responder's {@link Response}: status, headers and
 * cookies held here until the body buffer ({@link ResponseOutput}) commits them; the content type and its charset
 * by the rules of Servlet 6 §5.6; {@code sendError} and {@code sendRedirect}, which end the application's part of
 * the response (the bridge writes the error page after the servlet returns).
 *
 * <p>One thread at a time: the request's.
 */
final class BridgeResponse implements HttpServletResponse {

    static final int DEFAULT_BUFFER_SIZE = 8192;

    /** How the body is being written: not yet, by bytes or by chars; the spec allows one of the two only. */
    private enum BodyMode { NONE, STREAM, WRITER }

    private final Response target;
    private final String method;
    private final WebAppContext context;
    private final ResponseOutput out;
    private final List<String[]> headers = new ArrayList<>();
    private BridgeRequest request;
    private int status = 200;
    private String mediaType;
    private String characterEncoding;
    private boolean charsetExplicit;
    private Locale locale = Locale.getDefault();
    private BodyMode mode = BodyMode.NONE;
    private PrintWriter writer;
    private long contentLength = -1;
    private int errorStatus;
    private String errorMessage;

    BridgeResponse(Response target, String method, WebAppContext context) {
        this.target = target;
        this.method = method;
        this.context = context;
        this.out = new ResponseOutput(target.body(), this::commitHeaders, DEFAULT_BUFFER_SIZE);
        this.characterEncoding = context.getResponseCharacterEncoding();
    }

    void attach(BridgeRequest value) {
        request = value;
        out.listenerThreads(value::listenerThreads);
    }

    /** The status sendError asked for, or 0. */
    int errorStatus() {
        return errorStatus;
    }

    String errorMessage() {
        return errorMessage;
    }

    /** Ends the response as the request ends: adds Content-Length when the whole body is still buffered. */
    void finish() throws IOException {
        // no writer flush: the writer holds no chars (ResponseWriter encodes at each write), and its flush would
        // commit the response before the Content-Length below is known
        if (!out.isCommitted() && contentLength < 0 && !method.equals("HEAD") && allowsBody(status)) {
            contentLength = out.buffered(); // the body is all in the buffer: its length is known
        }
        out.finish();
    }

    /** Clears the state a sendError left, so that the error page can be written in its place. */
    void prepareErrorPage() {
        errorStatus = 0;
        out.resume();
        mode = BodyMode.NONE;
        writer = null;
    }

    private void commitHeaders() {
        target.setStatus(status);
        for (String[] header : headers) {
            target.addHeader(header[0], header[1]);
        }
        String type = getContentType();
        if (type != null) {
            target.setContentType(type);
        }
        if (contentLength >= 0 && allowsBody(status)) {
            target.setContentLength(contentLength);
        }
    }

    private static boolean allowsBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    @Override
    public void addCookie(Cookie cookie) {
        addHeader("Set-Cookie", Cookies.format(cookie, Instant.now()));
    }

    @Override
    public boolean containsHeader(String name) {
        return getHeader(name) != null;
    }

    @Override
    public String encodeURL(String url) {
        return url; // sessions are tracked by cookie only
    }

    @Override
    public String encodeRedirectURL(String url) {
        return url;
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        checkNotCommitted("sendError");
        resetBuffer();
        status = sc;
        errorStatus = sc;
        errorMessage = msg;
        out.suspend();
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        checkNotCommitted("sendRedirect");
        if (clearBuffer) {
            resetBuffer();
        }
        setStatus(sc);
        setHeader("Location", Redirects.absolute(location, request));
        if (clearBuffer) {
            out.suspend();
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, httpDate(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, httpDate(date));
    }

    private static String httpDate(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }

    @Override
    public void setHeader(String name, String value) {
        if (name == null || isCommitted()) {
            return; // ignored once committed, as the spec has it
        }
        if (special(name, value)) {
            return;
        }
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        if (value != null) {
            headers.add(new String[] {name, value});
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (name == null || value == null || isCommitted()) {
            return;
        }
        if (!special(name, value)) {
            headers.add(new String[] {name, value});
        }
    }

    /** Content-Type and Content-Length set as headers go where their setters put them. */
    private boolean special(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            if (value == null) {
                mediaType = null;
            } else {
                setContentType(value);
            }
            return true;
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            try {
                setContentLengthLong(value == null ? -1 : Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return false;
            }
            return true;
        }
        return false;
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setStatus(int sc) {
        if (!isCommitted() && sc >= 100 && sc <= 999) {
            status = sc;
        }
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        if (name.equalsIgnoreCase("Content-Type")) {
            return getContentType();
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            return contentLength < 0 ? null : Long.toString(contentLength);
        }
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
    }

    @Override
    public Collection<String> getHeaders(String name) {
        List<String> values = new ArrayList<>();
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                values.add(header[1]);
            }
        }
        String special = values.isEmpty() ? getHeader(name) : null;
        if (special != null) {
            values.add(special);
        }
        return values;
    }

    @Override
    public Collection<String> getHeaderNames() {
        Collection<String> names = new LinkedHashSet<>();
        headers.forEach(h -> names.add(h[0]));
        if (mediaType != null) {
            names.add("Content-Type");
        }
        if (contentLength >= 0) {
            names.add("Content-Length");
        }
        return names;
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding != null ? characterEncoding : StandardCharsets.ISO_8859_1.name();
    }

    @Override
    public String getContentType() {
        if (mediaType == null) {
            return null;
        }
        // the charset is named when it was chosen, or when chars are being written in it (§5.6)
        boolean named = charsetExplicit || mode == BodyMode.WRITER;
        return named ? mediaType + ";charset=" + getCharacterEncoding() : mediaType;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (mode == BodyMode.WRITER) {
            throw new IllegalStateException("getWriter() was already called for this response");
        }
        mode = BodyMode.STREAM;
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (mode == BodyMode.STREAM) {
            throw new IllegalStateException("getOutputStream() was already called for this response");
        }
        if (writer == null) {
            Charset charset;
            try {
                charset = Charset.forName(getCharacterEncoding());
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new java.io.UnsupportedEncodingException(getCharacterEncoding());
            }
            mode = BodyMode.WRITER;
            writer = new PrintWriter(new ResponseWriter(out, charset), false);
        }
        return writer;
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (isCommitted() || mode == BodyMode.WRITER) {
            return;
        }
        characterEncoding = charset;
        charsetExplicit = charset != null;
    }

    @Override
    public void setContentLength(int len) {
        setContentLengthLong(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        if (isCommitted()) {
            return;
        }
        contentLength = len < 0 ? -1 : len;
        out.setContentLength(contentLength);
    }

    @Override
    public void setContentType(String type) {
        if (isCommitted()) {
            return;
        }
        if (type == null) {
            mediaType = null;
            return;
        }
        String charset = ContentTypes.charset(type);
        mediaType = ContentTypes.withoutCharset(type).trim();
        if (charset != null && mode != BodyMode.WRITER) {
            characterEncoding = charset;
            charsetExplicit = true;
        }
    }

    @Override
    public void setBufferSize(int size) {
        out.setBufferSize(size);
    }

    @Override
    public int getBufferSize() {
        return out.bufferSize();
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        } else {
            out.flush();
        }
    }

    @Override
    public void resetBuffer() {
        out.resetBuffer();
    }

    @Override
    public boolean isCommitted() {
        return out.isCommitted() || errorStatus != 0;
    }

    @Override
    public void reset() {
        checkNotCommitted("reset");
        out.resetBuffer();
        headers.clear();
        status = 200;
        mediaType = null;
        contentLength = -1;
        out.setContentLength(-1);
        if (mode != BodyMode.WRITER) {
            characterEncoding = context.getResponseCharacterEncoding();
            charsetExplicit = false;
        }
    }

    @Override
    public void setLocale(Locale loc) {
        if (!isCommitted() && loc != null) {
            locale = loc;
            setHeader("Content-Language", loc.toLanguageTag());
        }
    }

    @Override
    public Locale getLocale() {
        return locale;
    }

    private void checkNotCommitted(String what) {
        if (isCommitted()) {
            throw new IllegalStateException(what + " after the response was committed");
        }
    }
}
