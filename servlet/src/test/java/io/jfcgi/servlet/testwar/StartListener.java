package io.jfcgi.servlet.testwar;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Leaves a context attribute at start, with the context param it read. */
public class StartListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        sce.getServletContext().setAttribute("started", "started in " + sce.getServletContext().getInitParameter(
                "mode"));
    }
}
