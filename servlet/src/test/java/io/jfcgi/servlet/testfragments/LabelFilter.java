package io.jfcgi.servlet.testfragments;

import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import java.io.IOException;

/** Adds its init-param "label" to the request's "chain" attribute: the order the filters ran in. */
public class LabelFilter extends GenericFilter {
    private static final long serialVersionUID = 1L;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Object before = request.getAttribute("chain");
        String label = getInitParameter("label");
        request.setAttribute("chain", before == null ? label : before + "," + label);
        chain.doFilter(request, response);
    }
}
