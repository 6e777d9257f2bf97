package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

/** One filter of the application: its registration and mappings, and its single instance, initialised at start. */
final class FilterHolder implements FilterRegistration.Dynamic, FilterConfig {

    private final WebAppContext context;
    private final String name;
    private final String className;
    private final InitParameters initParameters = new InitParameters();
    private Filter instance;
    private boolean initialized;
    private volatile boolean asyncSupported;

    FilterHolder(WebAppContext context, String name, String className, Filter instance) {
        this.context = context;
        this.name = name;
        this.className = className;
        this.instance = instance;
    }

    /** The initialised instance; made and initialised now if need be. Any thread. */
    synchronized Filter filter() throws ServletException {
        if (!initialized) {
            if (instance == null) {
                instance = context.createFilter(context.loadClass(className, Filter.class));
            }
            ClassLoaders.run(context.getClassLoader(), () -> instance.init(this));
            initialized = true;
        }
        return instance;
    }

    synchronized void destroy() {
        if (initialized) {
            initialized = false;
            try {
                ClassLoaders.run(context.getClassLoader(), () -> instance.destroy());
            } catch (Exception | LinkageError e) {
                context.log("filter " + name + " failed in destroy()", e);
            }
        }
    }

    boolean asyncSupported() {
        return asyncSupported;
    }

    @Override
    public void addMappingForServletNames(EnumSet<DispatcherType> types, boolean isMatchAfter, String... names) {
        context.filterMappings().addServletNames(name, types, isMatchAfter, names);
    }

    @Override
    public Collection<String> getServletNameMappings() {
        return context.filterMappings().servletNamesOf(name);
    }

    @Override
    public void addMappingForUrlPatterns(EnumSet<DispatcherType> types, boolean isMatchAfter, String... patterns) {
        context.filterMappings().addUrlPatterns(name, types, isMatchAfter, patterns);
    }

    @Override
    public Collection<String> getUrlPatternMappings() {
        return context.filterMappings().urlPatternsOf(name);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getFilterName() {
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
    public void setAsyncSupported(boolean value) {
        asyncSupported = value;
    }
}
