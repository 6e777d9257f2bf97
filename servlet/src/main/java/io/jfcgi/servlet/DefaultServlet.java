package io.jfcgi.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The default servlet ({@code /}) when the application maps none: the application's static files, never those
 * under WEB-INF or META-INF; a directory asked without its trailing slash is redirected to it, one with it answers
 * with its first existing welcome file. Last-Modified and If-Modified-Since save a transfer; nginx can serve such
 * files itself (a {@code location} with {@code root}), which is faster still.
 */
final class DefaultServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient WebAppContext context;

    DefaultServlet(WebAppContext context) {
        this.context = context;
    }

    /** GET and HEAD, and any method for an error page (a POST that ends in a 404 still shows the 404 page). */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, jakarta.servlet.ServletException {
        if (request.getDispatcherType() == jakarta.servlet.DispatcherType.ERROR) {
            doGet(request, response);
        } else {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String upper = path.toUpperCase(Locale.ROOT);
        if (upper.startsWith("/WEB-INF/") || upper.equals("/WEB-INF") || upper.startsWith("/META-INF/")
                || upper.equals("/META-INF")) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Path file = context.file(path);
        if (file != null && Files.isDirectory(file)) {
            if (!path.endsWith("/")) {
                String query = request.getQueryString();
                response.sendRedirect(request.getRequestURI() + "/" + (query == null ? "" : "?" + query));
                return;
            }
            file = welcomeFile(path);
        }
        if (file == null || !Files.isRegularFile(file)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        long modified = Files.getLastModifiedTime(file).toMillis() / 1000 * 1000;
        long since;
        try {
            since = request.getDateHeader("If-Modified-Since");
        } catch (IllegalArgumentException e) {
            since = -1;
        }
        if (since >= 0 && modified <= since && request.getDispatcherType() != jakarta.servlet.DispatcherType.ERROR) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        String type = context.getMimeType(file.getFileName().toString());
        response.setContentType(type == null ? "application/octet-stream" : type);
        response.setDateHeader("Last-Modified", modified);
        response.setContentLengthLong(Files.size(file));
        if (request.getMethod().equals("HEAD")) {
            return;
        }
        try (InputStream in = Files.newInputStream(file); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }

    private Path welcomeFile(String directory) {
        for (String welcome : context.welcomeFiles()) {
            Path candidate = context.file(directory + welcome);
            if (candidate != null && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
