package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * One dispatch's {@link FilterChain}: the filters mapped to the path (and to the servlet's name) for the dispatch
 * type, in order, then the servlet. Each {@code doFilter} moves one step along.
 */
final class Chain implements FilterChain {

    private final List<Filter> filters;
    private final Servlet servlet;
    private int next;

    private Chain(List<Filter> filters, Servlet servlet) {
        this.filters = filters;
        this.servlet = servlet;
    }

    /**
     * Runs the dispatch of {@code path} (within the application; null for a named dispatch) to the servlet of
     * {@code match}, through its filters.
     */
    static void run(WebAppContext context, ServletMatch match, String path, DispatcherType type,
            ServletRequest request, ServletResponse response) throws IOException, ServletException {
        ServletHolder holder = context.servlet(match.servletName());
        if (holder == null) {
            throw new ServletException("no servlet named " + match.servletName());
        }
        List<String> names = context.filterMappings().filtersFor(path, match.servletName(), type);
        Filter[] filters = new Filter[names.size()];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = context.filter(names.get(i)).instance();
        }
        Servlet servlet = holder.instance();
        boolean asyncSupported = holder.asyncSupported();
        for (String name : names) {
            asyncSupported &= context.filter(name).asyncSupported();
        }
        BridgeRequest bridge = BridgeRequest.unwrap(request);
        boolean before = bridge == null ? false : bridge.setAsyncSupported(asyncSupported);
        try (ClassLoaders.Scope scope = ClassLoaders.enter(context.getClassLoader())) {
            new Chain(List.of(filters), servlet).doFilter(request, response);
        } finally {
            if (bridge != null) {
                bridge.setAsyncSupported(before);
            }
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
        if (next < filters.size()) {
            filters.get(next++).doFilter(request, response, this);
        } else {
            servlet.service(request, response);
        }
    }
}
