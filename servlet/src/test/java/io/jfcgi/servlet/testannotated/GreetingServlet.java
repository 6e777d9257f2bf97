package io.jfcgi.servlet.testannotated;

import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** /greet/*: its init-param's word, the path info, and the listener's attribute. */
@WebServlet(urlPatterns = "/greet/*", initParams = @WebInitParam(name = "word", value = "hi"), loadOnStartup = 1)
public class GreetingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print(getInitParameter("word") + " " + req.getPathInfo() + " "
                + getServletContext().getAttribute("listener"));
    }
}
