package io.jfcgi.servlet.e2e.proxiedwar;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * /report/* and *.action: the request as the servlet sees it, one "name=value" a line (paths, query, the q
 * parameter, the X-Test header, cookies, the body's length and SHA-256), with two cookies and a header set back.
 */
@WebServlet(urlPatterns = {"/report/*", "*.action"})
public class ReportServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long length = 0;
        // Before any getParameter: a form body is the parameters' to read, so only other bodies are hashed.
        boolean form = req.getContentType() != null
                && req.getContentType().startsWith("application/x-www-form-urlencoded");
        if (!form) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = req.getInputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    length += n;
                }
            }
        }
        String cookies = req.getCookies() == null ? "" : Arrays.stream(req.getCookies())
                .map(c -> c.getName() + ":" + c.getValue()).collect(Collectors.joining(","));
        resp.setContentType("text/plain;charset=UTF-8");
        resp.addCookie(new Cookie("first", "1"));
        resp.addCookie(new Cookie("second", "2"));
        resp.setHeader("X-Reported", "yes");
        resp.getWriter().print("method=" + req.getMethod() + "\nrequestURI=" + req.getRequestURI()
                + "\ncontextPath=" + req.getContextPath() + "\nservletPath=" + req.getServletPath() + "\npathInfo="
                + req.getPathInfo() + "\nqueryString=" + req.getQueryString() + "\nq=" + req.getParameter("q")
                + "\nx-test=" + req.getHeader("X-Test") + "\ncookies=" + cookies + "\nhost=" + req.getServerName()
                + ":" + req.getServerPort() + "\nscheme=" + req.getScheme() + "\nremote=" + req.getRemoteAddr()
                + "\nbody=" + length + " " + HexFormat.of().formatHex(sha.digest()) + "\n");
    }
}
