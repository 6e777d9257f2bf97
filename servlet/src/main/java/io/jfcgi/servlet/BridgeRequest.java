package io.jfcgi.servlet;

import io.jfcgi.responder.Request;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.security.Principal;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@link HttpServletRequest} for one FastCGI request. What the web server sent is read from the CGI parameters
 * as nginx, Apache, lighttpd, HAProxy, Caddy and h2o send them: the URI from {@code REQUEST_URI}, headers from
 * {@code HTTP_*} plus {@code CONTENT_TYPE} and {@code CONTENT_LENGTH}, the scheme from {@code HTTPS} or
 * {@code REQUEST_SCHEME}, the host and port the client asked for from the Host header (else {@code SERVER_NAME}
 * and {@code SERVER_PORT}), the client from {@code REMOTE_ADDR} and {@code REMOTE_PORT}. Parameters (query string
 * and urlencoded form) are decoded on first use; the body streams as it arrives.
 *
 * <p>One thread at a time: the request's.
 */
final class BridgeRequest implements HttpServletRequest {

    /** A form body larger than this is refused with 413 rather than held in memory (Tomcat's maxPostSize). */
    static final int MAX_FORM_BYTES = 2 * 1024 * 1024;

    private enum BodyMode { NONE, STREAM, READER }

    private final Request source;
    private final WebAppContext context;
    private final BridgeResponse response;
    private final String requestUri;
    private final String queryString;
    private final ServletMatch match;
    /** The bridge's count of requests: made a String only if the application asks (most never do). */
    private final long requestId;
    private final Map<String, Object> attributes = new HashMap<>();
    private Map<String, String[]> headers;
    private Map<String, List<String>> parameters;
    private List<BridgePart> parts;
    private List<Cookie> cookies;
    private String characterEncoding;
    private boolean characterEncodingRead;
    private BodyMode bodyMode = BodyMode.NONE;
    private RequestBody body;
    private BufferedReader reader;
    private BridgeSession session;
    /** Every session this request found or made: each is released as the request ends. */
    private List<BridgeSession> joinedSessions = List.of();
    private String requestedSessionId;
    private boolean requestedSessionIdRead;
    private final AsyncState asyncState = new AsyncState();
    private BridgeAsyncContext asyncContext;
    private boolean asyncSupported;
    private ListenerThreads listenerThreads;

    /**
     * @param requestUri the path part of the URI as sent (not decoded)
     * @param match how the path within the application mapped
     */
    BridgeRequest(Request source, WebAppContext context, BridgeResponse response, String requestUri,
            ServletMatch match, long requestId) {
        this.source = source;
        this.context = context;
        this.response = response;
        this.requestUri = requestUri;
        String query = source.queryString();
        this.queryString = query.isEmpty() ? null : query;
        this.match = match;
        this.requestId = requestId;
    }

    // ---- attributes

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(List.copyOf(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object o) {
        if (o == null) {
            removeAttribute(name);
            return;
        }
        Object before = attributes.put(name, o);
        for (ServletRequestAttributeListener listener : context.listeners(ServletRequestAttributeListener.class)) {
            if (before == null) {
                listener.attributeAdded(new ServletRequestAttributeEvent(context, this, name, o));
            } else {
                listener.attributeReplaced(new ServletRequestAttributeEvent(context, this, name, before));
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        Object before = attributes.remove(name);
        if (before != null) {
            for (ServletRequestAttributeListener l : context.listeners(ServletRequestAttributeListener.class)) {
                l.attributeRemoved(new ServletRequestAttributeEvent(context, this, name, before));
            }
        }
    }

    // ---- encoding, body

    @Override
    public String getCharacterEncoding() {
        if (!characterEncodingRead) {
            characterEncodingRead = true;
            String fromType = ContentTypes.charset(getContentType());
            characterEncoding = fromType != null ? fromType : context.getRequestCharacterEncoding();
        }
        return characterEncoding;
    }

    @Override
    public void setCharacterEncoding(String env) throws UnsupportedEncodingException {
        if (bodyMode == BodyMode.READER || parameters != null) {
            return; // too late: the body or the parameters were already read with the previous one
        }
        charset(env);
        characterEncoding = env;
        characterEncodingRead = true;
    }

    /** The charset that decodes the body and the parameters: the request's, else UTF-8 (what browsers send). */
    private Charset charsetOrUtf8() throws UnsupportedEncodingException {
        String name = getCharacterEncoding();
        return name == null ? StandardCharsets.UTF_8 : charset(name);
    }

    private static Charset charset(String name) throws UnsupportedEncodingException {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(name);
        }
    }

    @Override
    public int getContentLength() {
        long length = getContentLengthLong();
        return length > Integer.MAX_VALUE ? -1 : (int) length;
    }

    @Override
    public long getContentLengthLong() {
        return source.contentLength().orElse(-1);
    }

    @Override
    public String getContentType() {
        return source.contentType();
    }

    @Override
    public ServletInputStream getInputStream() {
        if (bodyMode == BodyMode.READER) {
            throw new IllegalStateException("getReader() was already called for this request");
        }
        bodyMode = BodyMode.STREAM;
        return body();
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (bodyMode == BodyMode.STREAM) {
            throw new IllegalStateException("getInputStream() was already called for this request");
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(body(), charsetOrUtf8()));
            bodyMode = BodyMode.READER;
        }
        return reader;
    }

    private RequestBody body() {
        if (body == null) {
            body = new RequestBody(source.body(), listenerThreads());
        }
        return body;
    }

    // ---- parameters

    private Map<String, List<String>> parameters() {
        if (parameters == null) {
            Map<String, List<String>> decoded = new LinkedHashMap<>();
            try {
                Charset charset = charsetOrUtf8();
                FormDecoder.decode(queryString, charset, decoded);
                if (isForm()) {
                    FormDecoder.decode(readForm(), charset, decoded);
                } else if (isMultipart() && multipartConfig() != null && (bodyMode == BodyMode.NONE || parts != null)) {
                    for (BridgePart part : parts()) {
                        if (part.isFormField() && part.getName() != null) {
                            decoded.computeIfAbsent(part.getName(), n -> new java.util.ArrayList<>(1))
                                    .add(new String(part.bytes(), charset));
                        }
                    }
                }
            } catch (IOException e) {
                throw new BadRequestException("the form body could not be read: " + e.getMessage());
            }
            parameters = decoded;
        }
        return parameters;
    }

    /** A urlencoded POST whose body the application has not taken as a stream (Servlet 6 §3.1.1). */
    private boolean isForm() {
        return "POST".equals(getMethod()) && bodyMode == BodyMode.NONE
                && "application/x-www-form-urlencoded".equals(ContentTypes.mediaType(getContentType()));
    }

    private String readForm() throws IOException {
        long declared = getContentLengthLong();
        if (declared > MAX_FORM_BYTES) {
            throw new BadRequestException(413, "the form body of " + declared + " bytes is over the limit of "
                    + MAX_FORM_BYTES);
        }
        byte[] bytes = body().readNBytes(MAX_FORM_BYTES + 1);
        if (bytes.length > MAX_FORM_BYTES) {
            throw new BadRequestException(413, "the form body is over the limit of " + MAX_FORM_BYTES + " bytes");
        }
        bodyMode = BodyMode.STREAM; // the body has been taken for the parameters
        return new String(bytes, StandardCharsets.ISO_8859_1); // urlencoded text is ASCII; escapes carry the rest
    }

    @Override
    public String getParameter(String name) {
        List<String> values = parameters().get(name);
        return values == null ? null : values.get(0);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(List.copyOf(parameters().keySet()));
    }

    @Override
    public String[] getParameterValues(String name) {
        List<String> values = parameters().get(name);
        return values == null ? null : values.toArray(new String[0]);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        Map<String, String[]> map = new LinkedHashMap<>();
        parameters().forEach((name, values) -> map.put(name, values.toArray(new String[0])));
        return Collections.unmodifiableMap(map);
    }

    // ---- the connection, as the web server saw it

    @Override
    public String getProtocol() {
        String protocol = source.param("SERVER_PROTOCOL");
        return protocol == null || protocol.isEmpty() ? "HTTP/1.1" : protocol;
    }

    @Override
    public String getScheme() {
        String https = source.param("HTTPS");
        if (https != null && (https.equalsIgnoreCase("on") || https.equals("1"))) {
            return "https";
        }
        String scheme = source.param("REQUEST_SCHEME");
        return scheme == null || scheme.isEmpty() ? "http" : scheme.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean isSecure() {
        return getScheme().equals("https");
    }

    @Override
    public String getServerName() {
        String host = getHeader("Host");
        if (host != null && !host.isEmpty()) {
            int colon = portColon(host);
            return colon < 0 ? host : host.substring(0, colon);
        }
        String name = source.param("SERVER_NAME");
        return name == null || name.isEmpty() ? "localhost" : name;
    }

    @Override
    public int getServerPort() {
        String host = getHeader("Host");
        if (host != null && !host.isEmpty()) {
            int colon = portColon(host);
            if (colon >= 0) {
                return number(host.substring(colon + 1), -1);
            }
            return isSecure() ? 443 : 80;
        }
        return number(source.param("SERVER_PORT"), isSecure() ? 443 : 80);
    }

    /** The colon before the port in a Host value ({@code [::1]:8080} too), or -1. */
    private static int portColon(String host) {
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']') ? colon : -1;
    }

    private static int number(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public String getRemoteAddr() {
        String address = source.remoteAddress();
        return address == null ? "" : address;
    }

    @Override
    public String getRemoteHost() {
        String host = source.param("REMOTE_HOST");
        return host == null || host.isEmpty() ? getRemoteAddr() : host;
    }

    @Override
    public int getRemotePort() {
        return number(source.param("REMOTE_PORT"), -1);
    }

    @Override
    public String getLocalName() {
        String name = source.param("SERVER_NAME");
        return name == null ? getLocalAddr() : name;
    }

    @Override
    public String getLocalAddr() {
        String address = source.serverAddress();
        return address == null ? "" : address;
    }

    @Override
    public int getLocalPort() {
        return number(source.param("SERVER_PORT"), -1);
    }

    @Override
    public Locale getLocale() {
        return getLocales().nextElement();
    }

    @Override
    public Enumeration<Locale> getLocales() {
        String accept = getHeader("Accept-Language");
        List<Locale> locales = new ArrayList<>();
        if (accept != null && !accept.isBlank()) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(accept)) {
                    if (!range.getRange().equals("*")) {
                        locales.add(Locale.forLanguageTag(range.getRange()));
                    }
                }
            } catch (IllegalArgumentException e) {
                // a malformed header: as if absent
            }
        }
        if (locales.isEmpty()) {
            locales.add(Locale.getDefault());
        }
        return Collections.enumeration(locales);
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        if (path == null) {
            return null;
        }
        if (path.startsWith("/")) {
            return context.getRequestDispatcher(path);
        }
        String current = getServletPath() + (getPathInfo() == null ? "" : getPathInfo());
        return context.getRequestDispatcher(current.substring(0, current.lastIndexOf('/') + 1) + path);
    }

    // ---- async

    /** Where this request's ReadListener and WriteListener run; made on first use. */
    ListenerThreads listenerThreads() {
        if (listenerThreads == null) {
            listenerThreads = new ListenerThreads(asyncState, context::asyncExecutor, context.getClassLoader(),
                    context::log);
        }
        return listenerThreads;
    }

    AsyncState asyncState() {
        return asyncState;
    }

    /** The async context, once startAsync was called. */
    BridgeAsyncContext asyncContextOrNull() {
        return asyncContext;
    }

    /** Whether every filter and the servlet of the running dispatch support async; set by the dispatch. */
    boolean setAsyncSupported(boolean value) {
        boolean before = asyncSupported;
        asyncSupported = value;
        return before;
    }

    @Override
    public AsyncContext startAsync() {
        return startAsync(this, response);
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        if (!asyncSupported) {
            throw new IllegalStateException("startAsync: a filter or the servlet of " + getRequestURI()
                    + " is not async-supported (asyncSupported=true / <async-supported>)");
        }
        asyncState.startAsync();
        if (asyncContext == null) {
            asyncContext = new BridgeAsyncContext(asyncState, context, context.asyncExecutor(), this, response);
        }
        try {
            asyncContext.begin(servletRequest, servletResponse);
        } catch (IOException e) {
            throw new IllegalStateException("an AsyncListener failed in onStartAsync", e);
        }
        return asyncContext;
    }

    @Override
    public boolean isAsyncStarted() {
        return asyncState.isAsyncStarted();
    }

    @Override
    public boolean isAsyncSupported() {
        return asyncSupported;
    }

    @Override
    public AsyncContext getAsyncContext() {
        if (!isAsyncStarted()) {
            throw new IllegalStateException("async processing was not started for this request");
        }
        return asyncContext;
    }

    /** The BridgeRequest under any wrappers, or null when the request is some other container's. */
    static BridgeRequest unwrap(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof jakarta.servlet.ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        return inner instanceof BridgeRequest bridge ? bridge : null;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public String getRequestId() {
        return Long.toString(requestId);
    }

    @Override
    public String getProtocolRequestId() {
        return ""; // HTTP/1.x has none; the FastCGI request id is the connection's, not the protocol's
    }

    @Override
    public ServletConnection getServletConnection() {
        return new ServletConnection() {
            @Override
            public String getConnectionId() {
                return Long.toString(requestId);
            }

            @Override
            public String getProtocol() {
                return BridgeRequest.this.getProtocol();
            }

            @Override
            public String getProtocolConnectionId() {
                return "";
            }

            @Override
            public boolean isSecure() {
                return BridgeRequest.this.isSecure();
            }
        };
    }

    // ---- HTTP

    @Override
    public String getAuthType() {
        String type = source.param("AUTH_TYPE");
        return type == null || type.isEmpty() ? null : type;
    }

    @Override
    public Cookie[] getCookies() {
        if (cookies == null) {
            cookies = Cookies.parse(getHeader("Cookie"));
        }
        return cookies.isEmpty() ? null : cookies.toArray(new Cookie[0]);
    }

    private Map<String, String[]> headers() {
        if (headers == null) {
            headers = new LinkedHashMap<>();
            source.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT),
                    new String[] {name, value}));
            String type = source.contentType();
            if (type != null) {
                headers.put("content-type", new String[] {"Content-Type", type});
            }
            String length = source.param("CONTENT_LENGTH");
            if (length != null && !length.isEmpty()) {
                headers.put("content-length", new String[] {"Content-Length", length});
            }
        }
        return headers;
    }

    @Override
    public long getDateHeader(String name) {
        String value = getHeader(name);
        if (value == null) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("header " + name + " is not an HTTP date: " + value, e);
        }
    }

    @Override
    public String getHeader(String name) {
        String[] header = headers().get(name.toLowerCase(Locale.ROOT));
        return header == null ? null : header[1];
    }

    /** A list header's elements, else the one value: see {@link HeaderValues}. */
    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(HeaderValues.of(name, getHeader(name)));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        headers().values().forEach(h -> names.add(h[0]));
        return Collections.enumeration(names);
    }

    @Override
    public int getIntHeader(String name) {
        String value = getHeader(name);
        return value == null ? -1 : Integer.parseInt(value.trim());
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return match;
    }

    @Override
    public String getMethod() {
        String method = source.method();
        return method == null ? "GET" : method;
    }

    @Override
    public String getPathInfo() {
        return match.pathInfo();
    }

    @Override
    public String getPathTranslated() {
        return getPathInfo() == null ? null : context.getRealPath(getPathInfo());
    }

    @Override
    public String getContextPath() {
        return context.getContextPath();
    }

    @Override
    public String getQueryString() {
        return queryString;
    }

    @Override
    public String getRemoteUser() {
        String user = source.param("REMOTE_USER");
        return user == null || user.isEmpty() ? null : user;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false; // no container security: authentication is the web server's (auth_basic, auth_request)
    }

    @Override
    public Principal getUserPrincipal() {
        String user = getRemoteUser();
        return user == null ? null : () -> user;
    }

    @Override
    public String getRequestURI() {
        return requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        return new StringBuffer(Redirects.origin(this)).append(requestUri);
    }

    @Override
    public String getServletPath() {
        return match.servletPath();
    }

    // ---- sessions

    @Override
    public String getRequestedSessionId() {
        if (!requestedSessionIdRead) {
            requestedSessionIdRead = true;
            Cookie[] all = getCookies();
            String name = context.getSessionCookieConfig().getName();
            if (all != null) {
                for (Cookie cookie : all) {
                    if (cookie.getName().equals(name)) {
                        requestedSessionId = cookie.getValue();
                        break;
                    }
                }
            }
        }
        return requestedSessionId;
    }

    @Override
    public HttpSession getSession(boolean create) {
        if (session != null && session.isValid()) {
            return session;
        }
        long now = System.currentTimeMillis();
        session = context.sessions().find(getRequestedSessionId(), now);
        if (session == null && create) {
            if (response.isCommitted()) {
                throw new IllegalStateException("a session cannot be made after the response was committed");
            }
            session = context.sessions().create(now);
            response.addCookie(sessionCookie(session.getId()));
        }
        if (session != null) {
            if (joinedSessions.isEmpty()) {
                joinedSessions = new java.util.ArrayList<>(1);
            }
            joinedSessions.add(session);
        }
        return session;
    }

    private Cookie sessionCookie(String id) {
        Cookie cookie = new Cookie(context.getSessionCookieConfig().getName(), id);
        context.getSessionCookieConfig().getAttributes().forEach(cookie::setAttribute);
        if (cookie.getPath() == null) {
            cookie.setPath(getContextPath().isEmpty() ? "/" : getContextPath());
        }
        return cookie;
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public String changeSessionId() {
        HttpSession current = getSession(false);
        if (current == null) {
            throw new IllegalStateException("the request has no session");
        }
        context.sessions().changeId(session);
        response.addCookie(sessionCookie(session.getId()));
        return session.getId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        String id = getRequestedSessionId();
        HttpSession current = getSession(false);
        return id != null && current != null && current.getId().equals(id);
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return getRequestedSessionId() != null;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    // ---- security and multipart: not in this version

    @Override
    public boolean authenticate(HttpServletResponse response) throws ServletException {
        throw new ServletException("jfcgi-servlet has no container authentication; the web server authenticates");
    }

    @Override
    public void login(String username, String password) throws ServletException {
        throw new ServletException("jfcgi-servlet has no container authentication; the web server authenticates");
    }

    @Override
    public void logout() {
        // nothing is logged in by the container
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        if (!isMultipart()) {
            throw new ServletException("the request is not multipart/form-data but " + getContentType());
        }
        return List.copyOf(parts());
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        for (Part part : getParts()) {
            if (name.equals(part.getName())) {
                return part;
            }
        }
        return null;
    }

    private boolean isMultipart() {
        return "multipart/form-data".equals(ContentTypes.mediaType(getContentType()));
    }

    private jakarta.servlet.MultipartConfigElement multipartConfig() {
        ServletHolder servlet = context.servlet(match.servletName());
        return servlet == null ? null : servlet.multipartConfig();
    }

    /** The parts, read from the body on first use (Servlet 6 §3.2: only for a servlet with a multipart config). */
    private List<BridgePart> parts() throws IOException {
        if (parts == null) {
            jakarta.servlet.MultipartConfigElement config = multipartConfig();
            if (config == null) {
                throw new IllegalStateException("servlet " + match.servletName() + " has no multipart config "
                        + "(@MultipartConfig or <multipart-config>), so it cannot read parts");
            }
            if (bodyMode != BodyMode.NONE) {
                throw new IllegalStateException("the body was already read through getInputStream or getReader");
            }
            bodyMode = BodyMode.STREAM;
            java.nio.file.Path temp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
            java.nio.file.Path location = config.getLocation().isEmpty() ? temp : temp.resolve(config.getLocation());
            parts = MultipartParser.parse(body(), getContentType(), config, location);
        }
        return parts;
    }

    /** The request has ended (its listeners told): the sessions it used go back to the store. */
    void releaseSessions() {
        joinedSessions.forEach(context.sessions()::release);
    }

    /** Removes the parts' temporary files and quiets a non-blocking read; as the request ends. */
    void cleanUp() {
        if (body != null) {
            body.requestEnded();
        }
        if (parts != null) {
            parts.forEach(BridgePart::deleteQuietly);
        }
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws ServletException {
        throw new ServletException("FastCGI carries no protocol upgrade");
    }

    @Override
    public Map<String, String> getTrailerFields() {
        return Map.of();
    }

    @Override
    public boolean isTrailerFieldsReady() {
        return true;
    }

    /** The names of the request attributes, for a dispatch that sets and restores some. */
    Set<String> attributeNames() {
        return attributes.keySet();
    }
}
