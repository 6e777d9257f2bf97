package io.jfcgi.servlet.testwar;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** /hello: its init-param's greeting, the name parameter, and what the context listener left. */
public class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("name");
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print(getInitParameter("greeting") + ", " + (name == null ? "world" : name) + "! ("
                + getServletContext().getAttribute("started") + ")");
    }
}
