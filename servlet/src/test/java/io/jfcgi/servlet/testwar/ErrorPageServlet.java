package io.jfcgi.servlet.testwar;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** /oops: the error page, saying which status and exception it was shown for. */
public class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Throwable error = (Throwable) req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        resp.setContentType("text/plain");
        resp.getWriter().print("oops " + req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) + " "
                + (error == null ? "" : error.getMessage()) + " at " + req.getAttribute(
                RequestDispatcher.ERROR_REQUEST_URI));
    }
}
