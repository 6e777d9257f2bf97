package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * A {@link RequestDispatcher} to a path within the application (with an optional query) or to a servlet by name:
 * forward (the target answers; the response is complete when it returns) and include (the target adds to the
 * body; status and headers stay the caller's). Error pages are dispatched through {@link #error}.
 */
final class Dispatcher implements RequestDispatcher {

    private final WebAppContext context;
    private final String path;
    private final String query;
    private final String servletName;

    private Dispatcher(WebAppContext context, String path, String query, String servletName) {
        this.context = context;
        this.path = path;
        this.query = query;
        this.servletName = servletName;
    }

    /** @param pathAndQuery within the application, starting with {@code /} */
    static Dispatcher forPath(WebAppContext context, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        return new Dispatcher(context, UriPath.canonical(path), query, null);
    }

    static Dispatcher forName(WebAppContext context, String servletName) {
        return new Dispatcher(context, null, null, servletName);
    }

    private ServletMatch target() throws ServletException {
        if (servletName != null) {
            return new ServletMatch(servletName, "", null, UrlPattern.parse("/"));
        }
        return context.mappings().match(path)
                .orElseThrow(() -> new ServletException("no servlet is mapped to " + path));
    }

    @Override
    public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        if (response.isCommitted()) {
            throw new IllegalStateException("forward after the response was committed");
        }
        response.resetBuffer();
        HttpServletRequest http = (HttpServletRequest) request;
        Map<String, Object> attributes = http.getAttribute(FORWARD_REQUEST_URI) != null || servletName != null
                ? Map.of() : DispatchedRequest.pathAttributes("jakarta.servlet.forward.", http);
        dispatch(http, response, DispatcherType.FORWARD, attributes);
        completeAfterForward(response);
    }

    @Override
    public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        HttpServletRequest http = (HttpServletRequest) request;
        Map<String, Object> attributes = Map.of();
        if (servletName == null) {
            ServletMatch match = target();
            attributes = new java.util.HashMap<>();
            attributes.put(INCLUDE_REQUEST_URI, context.getContextPath() + path);
            attributes.put(INCLUDE_CONTEXT_PATH, context.getContextPath());
            attributes.put(INCLUDE_SERVLET_PATH, match.servletPath());
            if (match.pathInfo() != null) {
                attributes.put(INCLUDE_PATH_INFO, match.pathInfo());
            }
            if (query != null) {
                attributes.put(INCLUDE_QUERY_STRING, query);
            }
            attributes.put(INCLUDE_MAPPING, match);
        }
        dispatch(http, new IncludedResponse((HttpServletResponse) response), DispatcherType.INCLUDE, attributes);
    }

    /** The error page dispatch for an error of {@code status} (and {@code error}, if an exception caused it). */
    void error(HttpServletRequest request, HttpServletResponse response, int status, String message, Throwable error,
            String failedServlet) throws ServletException, IOException {
        Map<String, Object> attributes = new java.util.HashMap<>();
        attributes.put(ERROR_STATUS_CODE, status);
        attributes.put(ERROR_MESSAGE, message == null ? "" : message);
        attributes.put(ERROR_REQUEST_URI, request.getRequestURI());
        attributes.put(ERROR_METHOD, request.getMethod());
        attributes.put(ERROR_QUERY_STRING, request.getQueryString() == null ? "" : request.getQueryString());
        if (failedServlet != null) {
            attributes.put(ERROR_SERVLET_NAME, failedServlet);
        }
        if (error != null) {
            attributes.put(ERROR_EXCEPTION, error);
            attributes.put(ERROR_EXCEPTION_TYPE, error.getClass());
        }
        dispatch(request, response, DispatcherType.ERROR, attributes);
    }

    /** An AsyncContext.dispatch to this path: the target's paths, the original's as jakarta.servlet.async.*. */
    void async(HttpServletRequest original, ServletRequest request, ServletResponse response)
            throws ServletException, IOException {
        dispatch((HttpServletRequest) request, response, DispatcherType.ASYNC,
                DispatchedRequest.pathAttributes("jakarta.servlet.async.", original));
    }

    private void dispatch(HttpServletRequest request, ServletResponse response, DispatcherType type,
            Map<String, Object> attributes) throws ServletException, IOException {
        ServletMatch match = target();
        String requestUri = path == null ? null : context.getContextPath() + path;
        DispatchedRequest dispatched = new DispatchedRequest(request, type, requestUri, query,
                servletName == null ? match : null, attributes);
        Chain.run(context, match, path, type, dispatched, response);
    }

    /** After a forward the response is complete (§9.4): what the target wrote goes out, later writes are dropped. */
    private static void completeAfterForward(ServletResponse response) throws IOException {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        if (inner instanceof BridgeResponse bridge && bridge.errorStatus() == 0) {
            bridge.finish();
        }
    }
}
