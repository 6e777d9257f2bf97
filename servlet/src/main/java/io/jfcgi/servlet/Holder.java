package io.jfcgi.servlet;

import jakarta.servlet.Registration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

/**
 * What a servlet's and a filter's registration share: a name, a class, init parameters, async support, and one
 * instance of the class, made and initialised on first use and destroyed at stop, under the application's class
 * loader.
 *
 * @param <T> Servlet or Filter
 */
abstract class Holder<T> implements Registration.Dynamic {

    final WebAppContext context;
    private final String name;
    private final String className;
    private final Class<T> kind;
    private final InitParameters initParameters = new InitParameters();
    private T instance;
    /** Written under the lock, read without it: every request asks, and only the first may have to wait. */
    private volatile boolean initialized;
    private volatile boolean asyncSupported;

    Holder(WebAppContext context, String name, String className, T instance, Class<T> kind) {
        this.context = context;
        this.name = name;
        this.className = className;
        this.instance = instance;
        this.kind = kind;
    }

    /** Calls the instance's {@code init} with its config. */
    abstract void init(T target) throws ServletException;

    /** Calls the instance's {@code destroy}. */
    abstract void destroy(T target);

    /** The initialised instance; made and initialised now if need be. Any thread. */
    final T instance() throws ServletException {
        return initialized ? instance : initializedInstance();
    }

    private synchronized T initializedInstance() throws ServletException {
        if (!initialized) {
            if (instance == null) {
                instance = context.instantiate(context.loadClass(className, kind));
            }
            ClassLoaders.run(context.getClassLoader(), () -> init(instance));
            initialized = true;
        }
        return instance;
    }

    /** Calls {@code destroy} if the instance was initialised; at stop. Never throws. */
    final synchronized void destroy() {
        if (initialized) {
            initialized = false;
            try {
                ClassLoaders.run(context.getClassLoader(), () -> destroy(instance));
            } catch (RuntimeException | LinkageError e) {
                context.log(kind.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + name
                        + " failed in destroy()", e);
            }
        }
    }

    final boolean asyncSupported() {
        return asyncSupported;
    }

    @Override
    public final String getName() {
        return name;
    }

    @Override
    public final String getClassName() {
        return className;
    }

    public final ServletContext getServletContext() {
        return context;
    }

    @Override
    public final boolean setInitParameter(String parameter, String value) {
        return initParameters.set(parameter, value);
    }

    @Override
    public final String getInitParameter(String parameter) {
        return initParameters.get(parameter);
    }

    public final Enumeration<String> getInitParameterNames() {
        return initParameters.names();
    }

    @Override
    public final Set<String> setInitParameters(Map<String, String> parameters) {
        return initParameters.setAll(parameters);
    }

    @Override
    public final Map<String, String> getInitParameters() {
        return initParameters.asMap();
    }

    @Override
    public final void setAsyncSupported(boolean value) {
        asyncSupported = value;
    }
}
