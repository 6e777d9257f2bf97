package io.jfcgi.servlet;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of a web application (Servlet 6 §10.7.2): WEB-INF/classes, then WEB-INF/lib/*.jar, before the
 * container, so an application brings its own versions of libraries the runner also has (Log4j, say). The Java
 * platform ({@code java.*}, {@code javax.*}) and the Servlet API ({@code jakarta.servlet.*}) come from the
 * container first: an application must not replace them. Other {@code jakarta.*} APIs the application brings
 * (annotation, inject, validation) load from it, since the runner has none.
 */
final class WebAppClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    WebAppClassLoader(List<URL> urls, ClassLoader parent) {
        super("webapp", urls.toArray(new URL[0]), parent);
    }

    /** The names the container supplies and the application may not override. */
    static boolean containerFirst(String name) {
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.servlet.")
                || name.startsWith("jdk.") || name.startsWith("sun.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (containerFirst(name)) {
                    loaded = getParent().loadClass(name);
                } else {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException e) {
                        loaded = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        String asClass = name.replace('/', '.');
        if (containerFirst(asClass)) {
            URL url = getParent().getResource(name);
            return url != null ? url : findResource(name);
        }
        URL url = findResource(name);
        return url != null ? url : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        List<URL> own = Collections.list(findResources(name));
        List<URL> parents = Collections.list(getParent().getResources(name));
        boolean ownFirst = !containerFirst(name.replace('/', '.'));
        urls.addAll(ownFirst ? own : parents);
        urls.addAll(ownFirst ? parents : own);
        return Collections.enumeration(urls);
    }
}
