package io.jfcgi.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The {@link AsyncContext} of one request: what {@code complete}, {@code dispatch} and {@code start} do, the
 * timeout (30 s by default, as the spec's examples assume), and the {@link AsyncListener}s, which the request's
 * thread tells (ServletBridge) as the cycle ends. The cycle's state is the request's {@link AsyncState}.
 */
final class BridgeAsyncContext implements AsyncContext {

    static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

    /** A listener with the request and response it was added with. */
    private record Registered(AsyncListener listener, ServletRequest request, ServletResponse response) {
    }

    private final AsyncState state;
    private final WebAppContext context;
    private final Executor executor;
    private final List<Registered> listeners = new CopyOnWriteArrayList<>();
    private final ServletRequest originalRequest;
    private final ServletResponse originalResponse;
    private volatile ServletRequest request;
    private volatile ServletResponse response;
    private volatile long timeout = DEFAULT_TIMEOUT_MILLIS;
    private volatile String dispatchPath;

    BridgeAsyncContext(AsyncState state, WebAppContext context, Executor executor, ServletRequest originalRequest,
            ServletResponse originalResponse) {
        this.state = state;
        this.context = context;
        this.executor = executor;
        this.originalRequest = originalRequest;
        this.originalResponse = originalResponse;
    }

    /**
     * A (new) async cycle starts with this request and response; listeners of the last cycle hear onStartAsync
     * and are dropped unless they add themselves again (§2.3.3.3).
     */
    void begin(ServletRequest servletRequest, ServletResponse servletResponse) throws IOException {
        List<Registered> previous = List.copyOf(listeners);
        listeners.clear();
        request = servletRequest;
        response = servletResponse;
        dispatchPath = null;
        for (Registered registered : previous) {
            registered.listener().onStartAsync(new AsyncEvent(this, registered.request(), registered.response()));
        }
    }

    long timeoutMillis() {
        return timeout;
    }

    /** The context-relative path (with its query) the pending dispatch goes to. */
    String dispatchPath() {
        return dispatchPath;
    }

    void fireComplete() {
        fire((listener, event) -> listener.onComplete(event), null);
    }

    void fireTimeout() {
        fire((listener, event) -> listener.onTimeout(event), null);
    }

    void fireError(Throwable error) {
        fire((listener, event) -> listener.onError(event), error);
    }

    private interface Call {
        void run(AsyncListener listener, AsyncEvent event) throws IOException;
    }

    private void fire(Call call, Throwable error) {
        for (Registered registered : List.copyOf(listeners)) {
            try {
                call.run(registered.listener(), new AsyncEvent(this, registered.request(), registered.response(),
                        error));
            } catch (IOException | RuntimeException e) {
                context.log("async listener " + registered.listener().getClass().getName() + " failed", e);
            }
        }
    }

    @Override
    public ServletRequest getRequest() {
        return request;
    }

    @Override
    public ServletResponse getResponse() {
        return response;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return request == originalRequest && response == originalResponse;
    }

    /** To the path of the request startAsync was given (its servlet path and path info, and its query). */
    @Override
    public void dispatch() {
        HttpServletRequest http = (HttpServletRequest) request;
        String path = http.getServletPath() + (http.getPathInfo() == null ? "" : http.getPathInfo());
        String query = http.getQueryString();
        dispatch(query == null ? path : path + "?" + query);
    }

    @Override
    public void dispatch(String path) {
        dispatch(context, path);
    }

    @Override
    public void dispatch(ServletContext servletContext, String path) {
        if (servletContext != context) {
            throw new IllegalArgumentException("jfcgi-servlet runs one application per process: no other context");
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("an async dispatch path starts with /: " + path);
        }
        dispatchPath = path;
        state.dispatch();
    }

    @Override
    public void complete() {
        state.complete();
    }

    @Override
    public void start(Runnable run) {
        ClassLoader loader = context.getClassLoader();
        executor.execute(() -> ClassLoaders.run(loader, run::run));
    }

    @Override
    public void addListener(AsyncListener listener) {
        addListener(listener, request, response);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        listeners.add(new Registered(listener, servletRequest, servletResponse));
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
        return context.instantiate(type);
    }

    @Override
    public void setTimeout(long millis) {
        timeout = millis;
    }

    @Override
    public long getTimeout() {
        return timeout;
    }
}
