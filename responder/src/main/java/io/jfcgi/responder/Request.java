package io.jfcgi.responder;

import io.jfcgi.codec.Role;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One FastCGI request as the handler sees it: role, parameters, and the body as a stream that is fed while the
 * handler runs (never buffered whole). The CGI conveniences read the usual parameters defensively: web servers
 * send empty values (nginx's {@code CONTENT_LENGTH=''} on a GET) and leave some out entirely.
 */
public final class Request {

    private final Exchange exchange;
    private final int requestId;
    private final Role role;
    private final Parameters params;
    private final InputStream body;
    private final InputStream data;

    Request(Exchange exchange, Role role, Parameters params, InputStream body, InputStream data) {
        this.exchange = exchange;
        this.requestId = exchange.id;
        this.role = role;
        this.params = params;
        this.body = body;
        this.data = data;
    }

    /**
     * The FastCGI request id on its connection (nginx always uses 1; HAProxy 1, 3, 5...).
     *
     * @return 1..65535; unique among the requests in flight on one connection, not across connections
     */
    public int requestId() {
        return requestId;
    }

    /**
     * The role the web server asked for (§6): RESPONDER for an ordinary request.
     *
     * @return RESPONDER, AUTHORIZER or FILTER; never {@code null} (requests in an unknown role never reach the
     *         handler)
     */
    public Role role() {
        return role;
    }

    /**
     * Every parameter the web server sent.
     *
     * @return the parameters, in the order received
     */
    public Parameters params() {
        return params;
    }

    /**
     * A parameter's value, decoded as ISO-8859-1 (see {@link Parameters}).
     *
     * @param name the parameter's name, such as {@code SCRIPT_FILENAME}; case matters
     * @return the value (the last one if the name repeats), or {@code null} if it was not sent
     */
    public String param(String name) {
        return params.get(name);
    }

    /**
     * The HTTP method.
     *
     * @return REQUEST_METHOD, such as {@code GET}, or {@code null} (an AUTHORIZER request from some servers has
     *         none)
     */
    public String method() {
        return params.get("REQUEST_METHOD");
    }

    /**
     * The URI the client asked for.
     *
     * @return REQUEST_URI as sent (path and query, not decoded); without it, SCRIPT_NAME plus PATH_INFO and
     *         {@code ?}QUERY_STRING when there is one; never {@code null}
     */
    public String requestUri() {
        String uri = params.get("REQUEST_URI");
        if (uri != null) {
            return uri;
        }
        String query = queryString();
        return path() + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * The path the client asked for.
     *
     * @return the path part of REQUEST_URI (before '?'), not decoded; without REQUEST_URI, SCRIPT_NAME plus
     *         PATH_INFO; never {@code null}, empty when none of them was sent
     */
    public String path() {
        String uri = params.get("REQUEST_URI");
        if (uri != null) {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }
        return nonNull(params.get("SCRIPT_NAME")) + nonNull(params.get("PATH_INFO"));
    }

    /**
     * The query string, not decoded.
     *
     * @return QUERY_STRING without the '?', or {@code ""} when absent
     */
    public String queryString() {
        return nonNull(params.get("QUERY_STRING"));
    }

    /**
     * An HTTP request header, from its {@code HTTP_*} parameter.
     *
     * @param name the header's HTTP name in any case, such as {@code Accept-Encoding}
     * @return the value (the last one if the parameter repeats), or {@code null} if it was not sent.
     *         Content-Type and Content-Length are not {@code HTTP_*} parameters: see {@link #contentType()},
     *         {@link #contentLength()}
     */
    public String header(String name) {
        return params.get("HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * The HTTP request headers, from the {@code HTTP_*} parameters.
     *
     * @return a new mutable map, in the order received, from {@code Accept-Encoding}-style names (rebuilt from
     *         the parameter names, so the client's case is lost) to values
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        params.pairs().forEach(pair -> {
            String name = pair.name();
            if (name.startsWith("HTTP_") && name.length() > 5) {
                headers.put(httpName(name.substring(5)), pair.value());
            }
        });
        return headers;
    }

    /**
     * The request body's media type.
     *
     * @return CONTENT_TYPE as sent, parameters such as {@code charset} included, or {@code null} when absent or
     *         empty
     */
    public String contentType() {
        String type = params.get("CONTENT_TYPE");
        return type == null || type.isEmpty() ? null : type;
    }

    /**
     * CONTENT_LENGTH when it is a valid number; empty when absent, empty or malformed. Don't count on it: an
     * unbuffered chunked upload through nginx has none. The body stream ends where the request body ends.
     *
     * @return the declared body length in bytes, or empty
     */
    public OptionalLong contentLength() {
        String length = params.get("CONTENT_LENGTH");
        if (length == null || length.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(length.trim());
            return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The client's address as the web server saw it.
     *
     * @return REMOTE_ADDR, an IP literal, or {@code null} if it was not sent
     */
    public String remoteAddress() {
        return params.get("REMOTE_ADDR");
    }

    /**
     * The address the web server received the request on.
     *
     * @return SERVER_ADDR, an IP literal, or {@code null} if it was not sent
     */
    public String serverAddress() {
        return params.get("SERVER_ADDR");
    }

    /**
     * The request body (FCGI_STDIN) as it arrives. It ends at the end of the body. If the request is aborted
     * (the web server closes the connection or sends ABORT_REQUEST) a read fails with
     * {@link RequestAbortedException}.
     *
     * @return the body stream; the same one on every call. A read waits for bytes that have not arrived (up to
     *         the read timeout), and an interrupt makes it fail with {@link java.io.InterruptedIOException}
     */
    public InputStream body() {
        return body;
    }

    /**
     * The FILTER role's file (FCGI_DATA), which follows the body.
     *
     * @return the data stream, read after {@link #body()} has ended; an empty stream for other roles
     */
    public InputStream data() {
        return data;
    }

    /**
     * Lets the response outlive the handler: when the handler returns, its thread goes back to the pool and frees
     * its handler slot, and the request stays open until the application completes it from another thread
     * ({@link Suspension#complete()}) or the web server aborts it ({@link Suspension#onAbort}). For long polls
     * and servlet async, where a request waits for an event and should hold no worker meanwhile. A suspended
     * request still counts among the admitted ({@code --workers} + {@code --queue}) until it ends, and a graceful
     * stop waits for it, up to its grace.
     *
     * @return the suspension, whose {@link Suspension#response()} is the handler's response; the same one if
     *         called again
     * @throws IllegalStateException unless called on the handler's thread while the handler runs
     */
    public Suspension suspend() {
        return exchange.suspend();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String httpName(String cgiName) {
        StringBuilder name = new StringBuilder(cgiName.length());
        boolean upper = true;
        for (int i = 0; i < cgiName.length(); i++) {
            char c = cgiName.charAt(i);
            if (c == '_') {
                name.append('-');
                upper = true;
            } else {
                name.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        return name.toString();
    }
}
