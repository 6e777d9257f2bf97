package io.jfcgi.servlet.testfragments;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Says which filters ran, in order, and whether the fragment jar's initializer ran. */
public class ChainServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().print(req.getAttribute("chain") + " initializer "
                + req.getServletContext().getAttribute("initializer"));
    }
}
