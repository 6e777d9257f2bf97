package io.jfcgi.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.LogManager;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The {@link ServletContext} of one web application: its registrations (servlets, filters, listeners), mappings,
 * attributes, init parameters, resources (from a base directory, when it has one), class loader, and its life:
 * {@link #start} (listeners, filters, load-on-startup servlets) and {@link #stop} (the reverse). Registration is
 * open until start, as the spec has it.
 */
final class WebAppContext implements ServletContext {

    static final String SERVER_INFO = "jfcgi-servlet/" + version();

    private final String contextPath;
    private final ClassLoader classLoader;
    private final Path base;
    private final Logger log;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final InitParameters initParameters = new InitParameters();
    private final Map<String, ServletHolder> servlets = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, FilterHolder> filters = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ServletMappings mappings = new ServletMappings();
    private final FilterMappings filterMappings = new FilterMappings();
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, String> mimeTypes = new ConcurrentHashMap<>();
    private final List<String> welcomeFiles = new CopyOnWriteArrayList<>();
    private final ErrorPages errorPages = new ErrorPages();
    private final SessionCookieSettings sessionCookie = new SessionCookieSettings();
    private final Sessions sessions;
    private volatile String displayName;
    private volatile String requestCharacterEncoding;
    private volatile String responseCharacterEncoding;
    private volatile boolean started;
    /** Runs AsyncContext.start's tasks: made on first use, daemon threads that end when idle a minute. */
    private volatile java.util.concurrent.ExecutorService asyncExecutor;
    private volatile java.util.concurrent.ScheduledThreadPoolExecutor asyncTimer;

    /**
     * @param contextPath "" for the root, else "/name"
     * @param base the exploded application's directory, or null when it has no resources
     */
    WebAppContext(String contextPath, ClassLoader classLoader, Path base) {
        this.contextPath = contextPath;
        this.classLoader = classLoader;
        this.base = base;
        this.log = LogManager.getLogger("io.jfcgi.servlet.WebApp" + (contextPath.isEmpty() ? "" : "." + contextPath
                .substring(1)));
        this.sessions = new Sessions(this);
        // the spec's private temporary directory; the system's is shared, so uploads name their files uniquely
        attributes.put(TEMPDIR, new java.io.File(System.getProperty("java.io.tmpdir")));
    }

    ServletMappings mappings() {
        return mappings;
    }

    FilterMappings filterMappings() {
        return filterMappings;
    }

    ErrorPages errorPages() {
        return errorPages;
    }

    /** The context-param that keeps the sessions in a directory shared by several processes (a WAR's choice). */
    static final String SESSION_DIRECTORY_PARAM = "io.jfcgi.servlet.sessionDirectory";

    Sessions sessions() {
        return sessions;
    }

    List<String> welcomeFiles() {
        return welcomeFiles;
    }

    void addMimeMapping(String extension, String mimeType) {
        mimeTypes.put(extension.toLowerCase(java.util.Locale.ROOT), mimeType);
    }

    void setDisplayName(String name) {
        displayName = name;
    }

    ServletHolder servlet(String name) {
        return servlets.get(name);
    }

    FilterHolder filter(String name) {
        return filters.get(name);
    }

    /** The listeners of one kind, in the order they were added. */
    <T extends EventListener> List<T> listeners(Class<T> kind) {
        List<T> found = new ArrayList<>();
        for (EventListener listener : listeners) {
            if (kind.isInstance(listener)) {
                found.add(kind.cast(listener));
            }
        }
        return found;
    }

    /**
     * Starts the application: context listeners, then every filter, then the load-on-startup servlets in order.
     * A failure stops what had started and is thrown.
     */
    void start() throws ServletException {
        String sessionDirectory = getInitParameter(SESSION_DIRECTORY_PARAM);
        if (sessionDirectory != null && !sessionDirectory.isBlank() && !sessions.storeChosen()) {
            try {
                sessions.useStore(SessionStore.directory(java.nio.file.Path.of(sessionDirectory.trim())));
            } catch (IOException | RuntimeException e) {
                throw new ServletException("the session directory " + sessionDirectory + " (context-param "
                        + SESSION_DIRECTORY_PARAM + ") cannot be used: " + e.getMessage(), e);
            }
        }
        ClassLoaders.run(classLoader, () -> {
            ServletContextEvent event = new ServletContextEvent(this);
            for (ServletContextListener listener : listeners(ServletContextListener.class)) {
                listener.contextInitialized(event);
            }
            if (mappings.servletFor("/") == null && addServlet("default", new DefaultServlet(this)) != null) {
                mappings.add("/", "default");
            }
            started = true;
            for (FilterHolder filter : List.copyOf(filters.values())) {
                filter.instance();
            }
            List<ServletHolder> onStartup = new ArrayList<>();
            for (ServletHolder servlet : List.copyOf(servlets.values())) {
                if (servlet.loadOnStartup() >= 0) {
                    onStartup.add(servlet);
                }
            }
            onStartup.sort(Comparator.comparingInt(ServletHolder::loadOnStartup)); // stable: declaration order
            for (ServletHolder servlet : onStartup) {
                servlet.instance();
            }
        });
    }

    java.util.concurrent.Executor asyncExecutor() {
        java.util.concurrent.ExecutorService executor = asyncExecutor;
        if (executor == null) {
            synchronized (this) {
                if (asyncExecutor == null) {
                    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
                    asyncExecutor = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
                            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
                            task -> {
                                Thread thread = new Thread(task, "servlet-async-" + count.incrementAndGet());
                                thread.setDaemon(true);
                                return thread;
                            });
                }
                executor = asyncExecutor;
            }
        }
        return executor;
    }

    /**
     * The timer of async timeouts: one daemon thread, made on first use; a cancelled timeout leaves its queue at
     * once, so requests that complete in time hold no memory there.
     */
    java.util.concurrent.ScheduledExecutorService asyncTimer() {
        java.util.concurrent.ScheduledThreadPoolExecutor timer = asyncTimer;
        if (timer == null) {
            synchronized (this) {
                if (asyncTimer == null) {
                    java.util.concurrent.ScheduledThreadPoolExecutor made = new java.util.concurrent
                            .ScheduledThreadPoolExecutor(1, task -> {
                                Thread thread = new Thread(task, "servlet-async-timer");
                                thread.setDaemon(true);
                                return thread;
                            });
                    made.setRemoveOnCancelPolicy(true);
                    asyncTimer = made;
                }
                timer = asyncTimer;
            }
        }
        return timer;
    }

    /** Destroys servlets and filters, then tells the context listeners in reverse order. Never throws. */
    void stop() {
        if (asyncExecutor != null) {
            asyncExecutor.shutdown();
        }
        if (asyncTimer != null) {
            asyncTimer.shutdownNow();
        }
        List<ServletHolder> allServlets = new ArrayList<>(servlets.values());
        Collections.reverse(allServlets);
        allServlets.forEach(ServletHolder::destroy);
        List<FilterHolder> allFilters = new ArrayList<>(filters.values());
        Collections.reverse(allFilters);
        allFilters.forEach(FilterHolder::destroy);
        sessions.invalidateAll();
        try {
            sessions.store().close();
        } catch (Exception e) {
            log("the session store " + sessions.store() + " failed to close", e);
        }
        List<ServletContextListener> contextListeners = listeners(ServletContextListener.class);
        Collections.reverse(contextListeners);
        ServletContextEvent event = new ServletContextEvent(this);
        for (ServletContextListener listener : contextListeners) {
            try {
                ClassLoaders.run(classLoader, () -> listener.contextDestroyed(event));
            } catch (RuntimeException | LinkageError e) {
                log("context listener " + listener.getClass().getName() + " failed in contextDestroyed", e);
            }
        }
    }

    <T> Class<? extends T> loadClass(String name, Class<T> kind) throws ServletException {
        try {
            Class<?> loaded = Class.forName(name, false, classLoader);
            if (!kind.isAssignableFrom(loaded)) {
                throw new ServletException(name + " is not a " + kind.getName());
            }
            return loaded.asSubclass(kind);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ServletException("cannot load class " + name + ": " + e, e);
        }
    }

    <T> T instantiate(Class<T> type) throws ServletException {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new ServletException("the constructor of " + type.getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new ServletException(type.getName() + " has no public no-argument constructor", e);
        }
    }

    private void checkNotStarted(String what) {
        if (started) {
            throw new IllegalStateException(what + " is allowed only while the application starts");
        }
    }

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public ServletContext getContext(String uripath) {
        return uripath != null && (uripath.equals(contextPath) || uripath.startsWith(contextPath + "/")) ? this
                : null;
    }

    @Override
    public int getMajorVersion() {
        return 6;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public int getEffectiveMajorVersion() {
        return 6;
    }

    @Override
    public int getEffectiveMinorVersion() {
        return 1;
    }

    @Override
    public String getMimeType(String file) {
        String extension = UrlPattern.extension(file);
        if (extension == null) {
            return null;
        }
        String type = mimeTypes.get(extension.toLowerCase(java.util.Locale.ROOT));
        return type != null ? type : MimeTypes.byExtension(extension);
    }

    /** The file under the base directory for {@code path}, or null: outside it, no base, or not a resource path. */
    Path file(String path) {
        if (base == null || path == null || !path.startsWith("/")) {
            return null;
        }
        Path file = base.resolve(path.substring(1)).normalize();
        return file.startsWith(base) ? file : null;
    }

    @Override
    public Set<String> getResourcePaths(String path) {
        Path dir = file(path);
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        Set<String> paths = new TreeSet<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.forEach(child -> paths.add(prefix + child.getFileName()
                    + (Files.isDirectory(child) ? "/" : "")));
        } catch (IOException e) {
            return null;
        }
        return paths;
    }

    @Override
    public URL getResource(String path) throws MalformedURLException {
        if (path == null || !path.startsWith("/")) {
            throw new MalformedURLException("a resource path must start with /: " + path);
        }
        Path file = file(path);
        return file != null && Files.exists(file) ? file.toUri().toURL() : null;
    }

    @Override
    public InputStream getResourceAsStream(String path) {
        Path file = file(path);
        try {
            return file != null && Files.isRegularFile(file) ? Files.newInputStream(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        return Dispatcher.forPath(this, path);
    }

    @Override
    public RequestDispatcher getNamedDispatcher(String name) {
        return servlets.containsKey(name) ? Dispatcher.forName(this, name) : null;
    }

    @Override
    public void log(String msg) {
        log.info(msg);
    }

    @Override
    public void log(String message, Throwable throwable) {
        log.error(message, throwable);
    }

    Logger logger() {
        return log;
    }

    @Override
    public String getRealPath(String path) {
        Path file = file(path == null || path.startsWith("/") ? path : "/" + path);
        return file == null ? null : file.toString();
    }

    @Override
    public String getServerInfo() {
        return SERVER_INFO;
    }

    @Override
    public String getInitParameter(String name) {
        if (name == null) {
            throw new NullPointerException("init parameter name");
        }
        return initParameters.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return initParameters.names();
    }

    @Override
    public boolean setInitParameter(String name, String value) {
        checkNotStarted("setInitParameter");
        return initParameters.set(name, value);
    }

    @Override
    public Object getAttribute(String name) {
        if (name == null) {
            throw new NullPointerException("attribute name");
        }
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(Set.copyOf(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object object) {
        if (name == null) {
            throw new NullPointerException("attribute name");
        }
        if (object == null) {
            removeAttribute(name);
            return;
        }
        Object before = attributes.put(name, object);
        for (ServletContextAttributeListener listener : listeners(ServletContextAttributeListener.class)) {
            ServletContextAttributeEvent event = new ServletContextAttributeEvent(this, name,
                    before == null ? object : before);
            if (before == null) {
                listener.attributeAdded(event);
            } else {
                listener.attributeReplaced(event);
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        Object before = attributes.remove(name);
        if (before != null) {
            for (ServletContextAttributeListener listener : listeners(ServletContextAttributeListener.class)) {
                listener.attributeRemoved(new ServletContextAttributeEvent(this, name, before));
            }
        }
    }

    @Override
    public String getServletContextName() {
        return displayName;
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, String className) {
        return addServlet(servletName, className, null);
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Servlet servlet) {
        return addServlet(servletName, servlet.getClass().getName(), servlet);
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Class<? extends Servlet> servletClass) {
        return addServlet(servletName, servletClass.getName(), null);
    }

    private ServletRegistration.Dynamic addServlet(String servletName, String className, Servlet servlet) {
        return register("addServlet", servlets, servletName,
                () -> new ServletHolder(this, servletName, className, servlet));
    }

    /** Adds a holder under {@code name} unless one is there (then null), while the application starts only. */
    private <H> H register(String what, Map<String, H> holders, String name, java.util.function.Supplier<H> holder) {
        checkNotStarted(what);
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " needs a name");
        }
        synchronized (holders) {
            if (holders.containsKey(name)) {
                return null;
            }
            H made = holder.get();
            holders.put(name, made);
            return made;
        }
    }

    @Override
    public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
        throw new UnsupportedOperationException("JSP is not supported by jfcgi-servlet");
    }

    @Override
    public <T extends Servlet> T createServlet(Class<T> type) throws ServletException {
        return instantiate(type);
    }

    @Override
    public ServletRegistration getServletRegistration(String servletName) {
        return servlets.get(servletName);
    }

    @Override
    public Map<String, ? extends ServletRegistration> getServletRegistrations() {
        synchronized (servlets) {
            return Map.copyOf(servlets);
        }
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, String className) {
        return addFilter(filterName, className, null);
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Filter filter) {
        return addFilter(filterName, filter.getClass().getName(), filter);
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Class<? extends Filter> filterClass) {
        return addFilter(filterName, filterClass.getName(), null);
    }

    private FilterRegistration.Dynamic addFilter(String filterName, String className, Filter filter) {
        return register("addFilter", filters, filterName, () -> new FilterHolder(this, filterName, className, filter));
    }

    @Override
    public <T extends Filter> T createFilter(Class<T> type) throws ServletException {
        return instantiate(type);
    }

    @Override
    public FilterRegistration getFilterRegistration(String filterName) {
        return filters.get(filterName);
    }

    @Override
    public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
        synchronized (filters) {
            return Map.copyOf(filters);
        }
    }

    @Override
    public SessionCookieConfig getSessionCookieConfig() {
        return sessionCookie;
    }

    @Override
    public void setSessionTrackingModes(Set<SessionTrackingMode> modes) {
        checkNotStarted("setSessionTrackingModes");
        if (modes.contains(SessionTrackingMode.SSL) || modes.contains(SessionTrackingMode.URL)) {
            throw new IllegalArgumentException("jfcgi-servlet tracks sessions by cookie only");
        }
    }

    @Override
    public Set<SessionTrackingMode> getDefaultSessionTrackingModes() {
        return Set.of(SessionTrackingMode.COOKIE);
    }

    @Override
    public Set<SessionTrackingMode> getEffectiveSessionTrackingModes() {
        return Set.of(SessionTrackingMode.COOKIE);
    }

    @Override
    public void addListener(String className) {
        try {
            addListener(loadClass(className, EventListener.class));
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public <T extends EventListener> void addListener(T listener) {
        checkNotStarted("addListener");
        listeners.add(listener);
    }

    @Override
    public void addListener(Class<? extends EventListener> listenerClass) {
        try {
            addListener(createListener(listenerClass));
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public <T extends EventListener> T createListener(Class<T> type) throws ServletException {
        return instantiate(type);
    }

    @Override
    public JspConfigDescriptor getJspConfigDescriptor() {
        return null;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public void declareRoles(String... roleNames) {
        checkNotStarted("declareRoles");
    }

    @Override
    public String getVirtualServerName() {
        return "jfcgi";
    }

    @Override
    public int getSessionTimeout() {
        return sessions.timeoutMinutes();
    }

    @Override
    public void setSessionTimeout(int sessionTimeout) {
        checkNotStarted("setSessionTimeout");
        sessions.setTimeoutMinutes(sessionTimeout);
    }

    @Override
    public String getRequestCharacterEncoding() {
        return requestCharacterEncoding;
    }

    @Override
    public void setRequestCharacterEncoding(String encoding) {
        requestCharacterEncoding = encoding;
    }

    @Override
    public String getResponseCharacterEncoding() {
        return responseCharacterEncoding;
    }

    @Override
    public void setResponseCharacterEncoding(String encoding) {
        responseCharacterEncoding = encoding;
    }

    private static String version() {
        String version = WebAppContext.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
