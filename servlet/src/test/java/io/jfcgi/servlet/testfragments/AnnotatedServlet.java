package io.jfcgi.servlet.testfragments;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** In a fragment jar: registered unless that fragment (or web.xml) is metadata-complete. */
@WebServlet("/annotated")
public class AnnotatedServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().print("annotated");
    }
}
