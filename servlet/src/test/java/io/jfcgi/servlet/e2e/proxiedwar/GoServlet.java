package io.jfcgi.servlet.e2e.proxiedwar;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** /go/*: a redirect relative to the request's path, which the container makes absolute. */
@WebServlet("/go/*")
public class GoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.sendRedirect("../report/landed?from=go");
    }
}
