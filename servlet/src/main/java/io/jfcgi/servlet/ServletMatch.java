package io.jfcgi.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;

/**
 * How one path mapped to a servlet: the servlet, the split of the path into servlet path and path info
 * (Servlet 6 §3.5), and the pattern that won.
 */
record ServletMatch(String servletName, String servletPath, String pathInfo, UrlPattern pattern)
        implements HttpServletMapping {

    static ServletMatch of(String servletName, UrlPattern pattern, String path) {
        return switch (pattern.kind()) {
            case CONTEXT_ROOT -> new ServletMatch(servletName, "", "/", pattern);
            case DEFAULT, EXACT, EXTENSION -> new ServletMatch(servletName, path, null, pattern);
            case PATH -> new ServletMatch(servletName, pattern.key(),
                    path.length() > pattern.key().length() ? path.substring(pattern.key().length()) : null, pattern);
        };
    }

    @Override
    public String getMatchValue() {
        return switch (pattern.kind()) {
            case CONTEXT_ROOT, DEFAULT -> "";
            case EXACT -> servletPath.substring(1);
            case PATH -> pathInfo == null ? "" : pathInfo.substring(1);
            case EXTENSION -> servletPath.substring(1, servletPath.length() - pattern.key().length() - 1);
        };
    }

    @Override
    public String getPattern() {
        return pattern.text();
    }

    @Override
    public String getServletName() {
        return servletName;
    }

    @Override
    public MappingMatch getMappingMatch() {
        return pattern.kind();
    }
}
