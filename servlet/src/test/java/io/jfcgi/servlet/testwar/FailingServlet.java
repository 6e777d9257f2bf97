package io.jfcgi.servlet.testwar;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** /boom throws an IllegalStateException (web.xml has an error page for it), /crash an exception without one. */
public class FailingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        if (req.getServletPath().equals("/boom")) {
            throw new IllegalStateException("boom for a test");
        }
        throw new UnsupportedOperationException("crash for a test");
    }
}
