package io.jfcgi.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;

import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One servlet of the application: its registration (name, class, init parameters, mappings, load-on-startup) and
 * its single instance, made and initialised on first use or at start-up, destroyed when the application stops.
 */
final class ServletHolder implements ServletRegistration.Dynamic, ServletConfig {

    private final WebAppContext context;
    private final String name;
    private final String className;
    private final InitParameters initParameters = new InitParameters();
    private Servlet instance;
    private boolean initialized;
    private volatile int loadOnStartup = -1;
    private volatile MultipartConfigElement multipartConfig;
    private volatile boolean asyncSupported;

    ServletHolder(WebAppContext context, String name, String className, Servlet instance) {
        this.context = context;
        this.name = name;
        this.className = className;
        this.instance = instance;
    }

    /** The initialised instance; made and initialised now if need be. Any thread. */
    synchronized Servlet servlet() throws ServletException {
        if (!initialized) {
            if (instance == null) {
                instance = context.createServlet(context.loadClass(className, Servlet.class));
            }
            ClassLoaders.run(context.getClassLoader(), () -> instance.init(this));
            initialized = true;
        }
        return instance;
    }

    /** Calls {@code destroy} if the servlet was initialised; at stop. */
    synchronized void destroy() {
        if (initialized) {
            initialized = false;
            try {
                ClassLoaders.run(context.getClassLoader(), () -> instance.destroy());
            } catch (Exception | LinkageError e) {
                context.log("servlet " + name + " failed in destroy()", e);
            }
        }
    }

    int loadOnStartup() {
        return loadOnStartup;
    }

    MultipartConfigElement multipartConfig() {
        return multipartConfig;
    }

    boolean asyncSupported() {
        return asyncSupported;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getServletName() {
        return name;
    }

    @Override
    public String getClassName() {
        return className;
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public boolean setInitParameter(String parameter, String value) {
        return initParameters.set(parameter, value);
    }

    @Override
    public String getInitParameter(String parameter) {
        return initParameters.get(parameter);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return initParameters.names();
    }

    @Override
    public Set<String> setInitParameters(Map<String, String> parameters) {
        return initParameters.setAll(parameters);
    }

    @Override
    public Map<String, String> getInitParameters() {
        return initParameters.asMap();
    }

    @Override
    public Set<String> addMapping(String... urlPatterns) {
        if (urlPatterns == null || urlPatterns.length == 0) {
            throw new IllegalArgumentException("addMapping needs at least one url-pattern");
        }
        Set<String> conflicts = new LinkedHashSet<>();
        for (String pattern : urlPatterns) {
            String owner = context.mappings().servletFor(pattern);
            if (owner != null && !owner.equals(name)) {
                conflicts.add(pattern);
            }
        }
        if (conflicts.isEmpty()) {
            for (String pattern : urlPatterns) {
                context.mappings().add(pattern, name);
            }
        }
        return conflicts;
    }

    @Override
    public Collection<String> getMappings() {
        return context.mappings().patternsOf(name);
    }

    @Override
    public String getRunAsRole() {
        return null;
    }

    @Override
    public void setLoadOnStartup(int value) {
        loadOnStartup = value;
    }

    @Override
    public Set<String> setServletSecurity(ServletSecurityElement constraint) {
        return Set.of(); // security constraints are the web server's business here (auth_request, etc.)
    }

    @Override
    public void setMultipartConfig(MultipartConfigElement value) {
        multipartConfig = value;
    }

    @Override
    public void setRunAsRole(String roleName) {
        // no container security: nothing to run as
    }

    @Override
    public void setAsyncSupported(boolean value) {
        asyncSupported = value;
    }
}
