package io.jfcgi.servlet;

import io.jfcgi.responder.FastCgiServer;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.List;
import java.util.function.Consumer;

/**
 * Servlets, filters and listeners registered in code and served over FastCGI: the Servlet API's counterpart of
 * {@link FastCgiServer#run}. One call in {@code main}:
 *
 * <pre>{@code
 * ServletApp.builder()
 *         .servlet("/hello/*", new HelloServlet())
 *         .filter("/*", new LoggingFilter())
 *         .listener(new StartupListener())
 *         .serve(args);
 * }</pre>
 *
 * {@link Builder#serve} takes every responder flag ({@code --listen}, {@code --workers}…) as an app.jar does. For what
 * the shortcuts do not cover (init parameters, load-on-startup, dispatcher types), {@link Builder#configure} hands
 * over the {@link ServletContext} while the application starts, with the whole registration API.
 */
public final class ServletApp {

    private ServletApp() {
    }

    /**
     * Starts describing an application.
     *
     * @return a new builder: root context path, no resources, nothing registered
     */
    public static Builder builder() {
        return new Builder();
    }

    /** What the application will be made of; {@link #build} or {@link #serve} makes it. */
    public static final class Builder {

        private final List<Consumer<ServletContext>> steps = new ArrayList<>();
        private String contextPath = "";
        private Path resources;
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        private int servletCount;
        private int filterCount;
        private SessionStore sessionStore;

        private Builder() {
        }

        /**
         * Where the application is mounted; requests outside it get 404.
         *
         * @param value {@code "/name"} (a leading slash is added, trailing ones dropped); {@code ""}, {@code "/"}
         *              or {@code null} for the root, the default
         * @return this builder
         * @throws IllegalArgumentException if the path has a query, a fragment, spaces, {@code //} or a dot segment
         */
        public Builder contextPath(String value) {
            contextPath = ContextPaths.normalize(value);
            return this;
        }

        /**
         * A directory of static files, served by the default servlet (unless the application maps {@code /}).
         *
         * @param directory the directory; relative to the working directory unless absolute. Not checked until a
         *                  request reads from it
         * @return this builder
         */
        public Builder resources(Path directory) {
            resources = directory.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Maps {@code servlet} to {@code urlPatterns} ({@code /exact}, {@code /prefix/*}, {@code *.ext}, {@code /});
         * it may start async processing. Servlets are named by their class and the order of registration.
         *
         * @param urlPattern      the first pattern
         * @param servlet         the servlet; its {@code init} runs on its first request (use {@link #configure}
         *                        for load-on-startup)
         * @param moreUrlPatterns further patterns, if any
         * @return this builder
         */
        public Builder servlet(String urlPattern, Servlet servlet, String... moreUrlPatterns) {
            String name = servlet.getClass().getName() + "-" + ++servletCount;
            steps.add(context -> {
                var registration = context.addServlet(name, servlet);
                registration.setAsyncSupported(true); // code written for this API may start async
                registration.addMapping(urlPattern);
                if (moreUrlPatterns.length > 0) {
                    registration.addMapping(moreUrlPatterns);
                }
            });
            return this;
        }

        /**
         * Maps {@code filter} to URL patterns for requests (dispatcher type REQUEST), after the filters registered
         * before it. It may start async processing.
         *
         * @param urlPattern      the first pattern, such as {@code /*}
         * @param filter          the filter; its {@code init} runs when the application starts
         * @param moreUrlPatterns further patterns, if any
         * @return this builder
         */
        public Builder filter(String urlPattern, Filter filter, String... moreUrlPatterns) {
            String name = filter.getClass().getName() + "-" + ++filterCount;
            steps.add(context -> {
                var registration = context.addFilter(name, filter);
                registration.setAsyncSupported(true);
                registration.addMappingForUrlPatterns(null, true, urlPattern);
                if (moreUrlPatterns.length > 0) {
                    registration.addMappingForUrlPatterns(null, true, moreUrlPatterns);
                }
            });
            return this;
        }

        /**
         * Adds a listener.
         *
         * @param listener a ServletContextListener, ServletRequestListener, HttpSessionListener or another of the
         *                 listener types {@code ServletContext.addListener} takes
         * @return this builder
         */
        public Builder listener(EventListener listener) {
            steps.add(context -> context.addListener(listener));
            return this;
        }

        /**
         * Sets a context init parameter, which {@code ServletContext.getInitParameter} returns.
         *
         * @param name  the parameter's name
         * @param value its value
         * @return this builder
         */
        public Builder initParameter(String name, String value) {
            steps.add(context -> context.setInitParameter(name, value));
            return this;
        }

        /**
         * Anything else the registration API can do, on the ServletContext, in order with the other calls.
         *
         * @param step run with the ServletContext while the application is built, before it starts
         * @return this builder
         */
        public Builder configure(Consumer<ServletContext> step) {
            steps.add(step);
            return this;
        }

        /**
         * Where sessions live between requests: {@link SessionStore#inMemory()} (the default: this process only)
         * or a store several processes share, such as {@link SessionStore#directory}.
         *
         * @param value the store; not null
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder sessionStore(SessionStore value) {
            sessionStore = java.util.Objects.requireNonNull(value, "sessionStore");
            return this;
        }

        /**
         * Whose classes the application's code is loaded with; by default the context loader of the thread that
         * called {@link ServletApp#builder()}.
         *
         * @param value the class loader, set as the context loader while the application starts and serves
         * @return this builder
         */
        public Builder classLoader(ClassLoader value) {
            classLoader = value;
            return this;
        }

        /**
         * Makes and starts the application (listeners told, filters and load-on-startup servlets initialised):
         * a {@link io.jfcgi.responder.Handler} to give {@code FastCgiServer.builder().handler(...)}.
         *
         * @return the started application, to serve and to close when done
         * @throws ServletException when the application fails to start
         */
        public ServletBridge build() throws ServletException {
            WebAppContext context = new WebAppContext(contextPath, classLoader, resources);
            if (sessionStore != null) {
                context.sessions().useStore(sessionStore);
            }
            ClassLoaders.run(classLoader, () -> steps.forEach(step -> step.accept(context)));
            context.start();
            return new ServletBridge(context);
        }

        /**
         * The whole {@code main}: builds the application, serves it with the responder's flags and environment
         * until SIGTERM, stops it, and exits. An application that fails to start is one line on stderr and exit 1.
         * It never returns: it ends the JVM.
         *
         * @param args the command line given to {@code main}: the responder's flags, as {@link FastCgiServer#run}
         *             takes them
         */
        public void serve(String[] args) {
            ServletBridge bridge;
            try {
                bridge = build();
            } catch (ServletException | RuntimeException e) {
                System.err.println("error: the application failed to start: " + Failures.describe(e));
                System.exit(1);
                return;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(bridge::close, "jfcgi-servlet-stop"));
            FastCgiServer.run(args, bridge);
        }
    }
}
