package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request as a forwarded, included or error dispatch sees it (Servlet 6 §9.3-9.4, §10.9): for a forward or an
 * error, the paths of the target; for an include, the caller's paths. The parameters of the target's query string
 * come before the request's own, and the dispatch's attributes ({@code jakarta.servlet.forward.*}, etc.) are laid
 * over the request's.
 */
final class DispatchedRequest extends HttpServletRequestWrapper {

    private final DispatcherType type;
    private final String requestUri;
    private final String queryString;
    private final ServletMatch match;
    private final Map<String, Object> overlay;
    private Map<String, String[]> parameters;

    /**
     * @param match the target's mapping, or null for a named dispatch (which keeps the caller's paths)
     * @param query the target's query string, or null
     * @param overlay attributes this dispatch adds (modifiable: setAttribute on one of them lands here)
     */
    DispatchedRequest(HttpServletRequest request, DispatcherType type, String requestUri, String query,
            ServletMatch match, Map<String, Object> overlay) {
        super(request);
        this.type = type;
        this.requestUri = requestUri;
        this.queryString = query;
        this.match = match;
        this.overlay = new HashMap<>(overlay);
    }

    /** The five forward or include attributes describing {@code request}'s paths, under {@code prefix}. */
    static Map<String, Object> pathAttributes(String prefix, HttpServletRequest request) {
        Map<String, Object> attributes = new HashMap<>();
        put(attributes, prefix + "request_uri", request.getRequestURI());
        put(attributes, prefix + "context_path", request.getContextPath());
        put(attributes, prefix + "servlet_path", request.getServletPath());
        put(attributes, prefix + "path_info", request.getPathInfo());
        put(attributes, prefix + "query_string", request.getQueryString());
        put(attributes, prefix + "mapping", request.getHttpServletMapping());
        return attributes;
    }

    private static void put(Map<String, Object> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    private boolean keepsCallerPaths() {
        return type == DispatcherType.INCLUDE || match == null;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return type;
    }

    @Override
    public String getRequestURI() {
        return keepsCallerPaths() ? super.getRequestURI() : requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        return keepsCallerPaths() ? super.getRequestURL()
                : new StringBuffer(Redirects.origin(this)).append(requestUri);
    }

    @Override
    public String getServletPath() {
        return keepsCallerPaths() ? super.getServletPath() : match.servletPath();
    }

    @Override
    public String getPathInfo() {
        return keepsCallerPaths() ? super.getPathInfo() : match.pathInfo();
    }

    @Override
    public String getQueryString() {
        return keepsCallerPaths() || queryString == null ? super.getQueryString() : queryString;
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return keepsCallerPaths() ? super.getHttpServletMapping() : match;
    }

    @Override
    public Object getAttribute(String name) {
        return overlay.containsKey(name) ? overlay.get(name) : super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        Set<String> names = new LinkedHashSet<>(Collections.list(super.getAttributeNames()));
        names.addAll(overlay.keySet());
        return Collections.enumeration(names);
    }

    @Override
    public void setAttribute(String name, Object o) {
        if (overlay.containsKey(name)) {
            overlay.put(name, o);
        } else {
            super.setAttribute(name, o);
        }
    }

    @Override
    public void removeAttribute(String name) {
        if (overlay.remove(name) == null) {
            super.removeAttribute(name);
        }
    }

    @Override
    public String getParameter(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (queryString == null) {
            return super.getParameterMap();
        }
        if (parameters == null) {
            Map<String, List<String>> added = new LinkedHashMap<>();
            FormDecoder.decode(queryString, StandardCharsets.UTF_8, added);
            Map<String, String[]> merged = new LinkedHashMap<>();
            added.forEach((name, values) -> {
                String[] before = super.getParameterValues(name);
                List<String> all = new java.util.ArrayList<>(values);
                if (before != null) {
                    all.addAll(List.of(before));
                }
                merged.put(name, all.toArray(new String[0]));
            });
            super.getParameterMap().forEach(merged::putIfAbsent);
            parameters = Collections.unmodifiableMap(merged);
        }
        return parameters;
    }
}
