package io.jfcgi.servlet.testwar;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** /echo/*: the request's paths and its q parameter, one per line; POST reads q from the form. */
public class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("contextPath=" + req.getContextPath() + "\nservletPath=" + req.getServletPath()
                + "\npathInfo=" + req.getPathInfo() + "\nq=" + req.getParameter("q") + "\nremote="
                + req.getRemoteAddr() + "\npid=" + ProcessHandle.current().pid() + "\n");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }
}
