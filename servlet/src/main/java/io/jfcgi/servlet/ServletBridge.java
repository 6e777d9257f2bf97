package io.jfcgi.servlet;

import io.jfcgi.responder.Handler;
import io.jfcgi.responder.Request;
import io.jfcgi.responder.RequestAbortedException;
import io.jfcgi.responder.Response;
import io.jfcgi.responder.Suspension;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The FastCGI {@link Handler} that runs one web application: each request becomes an HttpServletRequest and
 * HttpServletResponse pair, is mapped to its servlet and goes through its filters. What the application leaves
 * is completed here: the error page of a {@code sendError} or of an exception (else a plain one), the
 * Content-Length of a body that fit the buffer. An exception is logged with the request and answered 500; the
 * process goes on serving.
 */
public final class ServletBridge implements Handler, AutoCloseable {

    private final WebAppContext context;
    private final AtomicLong requestIds = new AtomicLong();

    ServletBridge(WebAppContext context) {
        this.context = context;
    }

    /**
     * The application's ServletContext.
     *
     * @return the context, for attributes and registrations after the start
     */
    public jakarta.servlet.ServletContext servletContext() {
        return context;
    }

    /** Stops the application: servlets and filters destroyed, context listeners told. */
    @Override
    public void close() {
        context.stop();
    }

    @Override
    public void handle(Request request, Response response) throws Exception {
        String method = request.method() == null ? "GET" : request.method();
        BridgeResponse servletResponse = new BridgeResponse(response, method, context);
        String rawPath = request.path();
        String path;
        try {
            path = UriPath.canonical(rawPath);
        } catch (BadRequestException e) {
            plain(response, e.status(), e.getMessage());
            return;
        }
        String contextPath = context.getContextPath();
        if (!contextPath.isEmpty()) {
            if (path.equals(contextPath)) {
                // "/app" names the application's root, "/app/": as Tomcat does, say so with a redirect
                String query = request.queryString();
                response.setStatus(302).setHeader("Location", contextPath + "/" + (query.isEmpty() ? "" : "?"
                        + query));
                return;
            }
            if (!path.startsWith(contextPath + "/")) {
                plain(response, 404, "not found");
                return;
            }
            path = path.substring(contextPath.length());
        }
        Optional<ServletMatch> match = context.mappings().match(path);
        if (match.isEmpty()) {
            plain(response, 404, "not found");
            return;
        }
        BridgeRequest servletRequest = new BridgeRequest(request, context, servletResponse, rawPath, match.get(),
                requestIds.incrementAndGet());
        servletResponse.attach(servletRequest);
        serve(request, servletRequest, servletResponse, path, match.get());
    }

    /** One request being served, for the steps of its async cycle that run after the handler has returned. */
    private record Served(BridgeRequest request, BridgeResponse response, String servletName,
            List<ServletRequestListener> listeners, ServletRequestEvent event) {
    }

    private void serve(Request fcgi, BridgeRequest request, BridgeResponse response, String path,
            ServletMatch match) throws Exception {
        List<ServletRequestListener> listeners = context.listeners(ServletRequestListener.class);
        // No event for an application without request listeners, as most are: one object fewer per request.
        ServletRequestEvent event = listeners.isEmpty() ? null : new ServletRequestEvent(context, request);
        boolean suspended = false;
        Suspension suspension = null;
        try (ClassLoaders.Scope scope = ClassLoaders.enter(context.getClassLoader())) {
            for (ServletRequestListener listener : listeners) {
                listener.requestInitialized(event);
            }
            try {
                Chain.run(context, match, path, DispatcherType.REQUEST, request, response);
            } catch (Exception | LinkageError | StackOverflowError e) {
                failed(request, response, match.servletName(), e);
                forceComplete(request.asyncState());
            }
            if (request.asyncState().isAsyncStarted()) {
                Served served = new Served(request, response, match.servletName(), listeners, event);
                suspension = suspend(fcgi, served); // before the request can wait: its wait's end may come at once
            }
            suspended = asyncCycles(request, response, match.servletName(), request.asyncState().dispatchReturned());
            if (!suspended) {
                finish(request, response, match.servletName());
            }
        } finally {
            if (!suspended) {
                ended(request, listeners, event);
                if (suspension != null) {
                    suspension.complete(); // it completed without waiting: the request ends as handle returns
                }
            }
        }
    }

    /**
     * The request went async: the responder request is suspended, so that a wait holds no thread. The end of a
     * wait (complete, dispatch, timeout, abort) runs the cycle on on an async thread. The handler's thread.
     */
    private Suspension suspend(Request fcgi, Served served) {
        AsyncState state = served.request().asyncState();
        Suspension suspension = fcgi.suspend();
        state.resumeWith(next -> context.asyncExecutor().execute(() -> resume(served, suspension, next)));
        suspension.onAbort(state::aborted); // on an I/O thread: the state hands the ERROR step to an async thread
        return suspension;
    }

    /** An async thread: the cycle goes on from a wait that ended, until the next wait or the end of the request. */
    private void resume(Served served, Suspension suspension, AsyncState.Next next) {
        boolean suspended = false;
        try (ClassLoaders.Scope scope = ClassLoaders.enter(context.getClassLoader())) {
            suspended = asyncCycles(served.request(), served.response(), served.servletName(), next);
            if (!suspended) {
                finish(served.request(), served.response(), served.servletName());
            }
        } catch (RequestAbortedException e) {
            // the web server gave up on it; onError has heard it, and the responder ended the request
            context.logger().debug("{} {} ended after an abort: {}", served.request().getMethod(),
                    served.request().getRequestURI(), e.toString());
        } catch (Exception | LinkageError | StackOverflowError e) {
            // what the responder does for a handler whose response was committed when it failed: log and end
            context.logger().error("{} {} failed after its async cycle", served.request().getMethod(),
                    served.request().getRequestURI(), e);
        } finally {
            if (!suspended) {
                try {
                    ended(served.request(), served.listeners(), served.event());
                } finally {
                    suspension.complete();
                }
            }
        }
    }

    /** The response is done: the error page sendError asked for, then what is buffered goes to the responder. */
    private void finish(BridgeRequest request, BridgeResponse response, String servletName) throws Exception {
        if (response.errorStatus() != 0) {
            errorPage(request, response, servletName, null);
        }
        response.finish();
    }

    /** The request has ended: parts deleted, request listeners told (in reverse), sessions given back. */
    private void ended(BridgeRequest request, List<ServletRequestListener> listeners, ServletRequestEvent event) {
        request.cleanUp();
        for (int i = listeners.size() - 1; i >= 0; i--) {
            try {
                listeners.get(i).requestDestroyed(event);
            } catch (RuntimeException e) {
                context.log("request listener " + listeners.get(i).getClass().getName() + " failed", e);
            }
        }
        request.releaseSessions(); // last: a request listener may still set session attributes (Spring does)
    }

    /**
     * Runs the request's async cycle from {@code next} on this thread: each dispatch the application asks for, the
     * listeners at a timeout or an abort (Servlet 6 §2.3.3.3), until the request completes or waits again. A
     * timeout nobody answers is a 500 (§2.3.3.3's error dispatch); an abort (the web server gave up:
     * FCGI_ABORT_REQUEST or the connection closed) reaches onError as an IOException.
     *
     * @return true if the request waits: this thread leaves it, and the wait's end resumes it elsewhere
     */
    private boolean asyncCycles(BridgeRequest request, BridgeResponse response, String servletName,
            AsyncState.Next first) throws Exception {
        AsyncState state = request.asyncState();
        BridgeAsyncContext async = request.asyncContextOrNull();
        AsyncState.Next next = first;
        while (next != AsyncState.Next.COMPLETE) {
            switch (next) {
                case WAIT -> {
                    state.armTimeout(async.timeoutMillis(), wait -> context.asyncTimer().schedule(
                            () -> state.timedOut(wait), async.timeoutMillis(), TimeUnit.MILLISECONDS));
                    return true;
                }
                case DISPATCH -> {
                    try {
                        Dispatcher.forPath(context, async.dispatchPath()).async(request, async.getRequest(),
                                async.getResponse());
                    } catch (Exception | LinkageError | StackOverflowError e) {
                        async.fireError(e);
                        failed(request, response, servletName, e);
                        forceComplete(state);
                    }
                    next = state.dispatchReturned();
                }
                case TIMEOUT -> {
                    async.fireTimeout();
                    if (state.phase() == AsyncState.Phase.STARTED) { // no listener completed or dispatched
                        if (!response.isCommitted()) {
                            response.sendError(500, "the async request timed out");
                        }
                        state.complete();
                    }
                    next = state.dispatchReturned();
                }
                case ERROR -> {
                    async.fireError(new RequestAbortedError("the web server aborted the request"));
                    forceComplete(state);
                    next = state.dispatchReturned();
                }
                default -> throw new IllegalStateException("unexpected " + next);
            }
        }
        if (async != null) {
            async.fireComplete();
        }
        return false;
    }

    /** After a failure, an async request started but not completed is completed. */
    private static void forceComplete(AsyncState state) {
        if (state.phase() == AsyncState.Phase.STARTED || state.phase() == AsyncState.Phase.DISPATCH_PENDING) {
            if (state.phase() == AsyncState.Phase.DISPATCH_PENDING) {
                state.dispatchReturned(); // runs no dispatch: back to DISPATCHED, which completes below
                return;
            }
            state.complete();
        }
    }

    /** What AsyncListener.onError gets when the web server went away. */
    static final class RequestAbortedError extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        RequestAbortedError(String message) {
            super(message);
        }
    }

    /**
     * An exception escaped the application: a bad request gets its 4xx; anything else is logged with the request
     * and gets its error page or a 500. A response already committed cannot change: the exception goes on to the
     * responder, which ends the request with an error status so the web server sees it cut.
     */
    private void failed(BridgeRequest request, BridgeResponse response, String servletName, Throwable error)
            throws Exception {
        if (error instanceof BadRequestException bad) {
            if (!response.isCommitted()) {
                response.reset();
                response.sendError(bad.status(), bad.getMessage());
            }
            return;
        }
        context.logger().error("{} {} failed in servlet {}", request.getMethod(), request.getRequestURI(),
                servletName, error);
        if (response.isCommitted() && response.errorStatus() == 0) {
            throw error instanceof Exception e ? e : new ServletException(error);
        }
        if (response.errorStatus() == 0) {
            response.reset();
        }
        Throwable cause = error;
        String location = context.errorPages().forThrowable(cause);
        while (location == null && cause instanceof ServletException && cause.getCause() != null) {
            cause = cause.getCause(); // §10.9.2: a ServletException's root cause is looked up in its place
            location = context.errorPages().forThrowable(cause);
        }
        response.prepareErrorPage();
        response.setStatus(500);
        if (location != null) {
            dispatchError(request, response, location, 500, cause.getMessage(), cause, servletName);
        } else {
            response.sendError(500);
            errorPage(request, response, servletName, error);
        }
    }

    /** Writes the response sendError asked for: the error page for its status, or a plain one. */
    private void errorPage(BridgeRequest request, BridgeResponse response, String servletName, Throwable error)
            throws IOException {
        int status = response.errorStatus();
        String message = response.errorMessage();
        response.prepareErrorPage();
        String location = context.errorPages().forCode(status);
        if (location != null) {
            dispatchError(request, response, location, status, message, error, servletName);
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        byte[] body = ("Error " + status + (message == null || message.isEmpty() ? "" : ": " + message) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        response.getOutputStream().write(body);
    }

    private void dispatchError(BridgeRequest request, BridgeResponse response, String location, int status,
            String message, Throwable error, String servletName) throws IOException {
        try {
            Dispatcher.forPath(context, location).error(request, response, status, message, error, servletName);
        } catch (ServletException | RuntimeException e) {
            // the error page itself failed: log it, and the client still gets the status
            context.logger().error("the error page {} failed for {} {}", location, request.getMethod(),
                    request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.resetBuffer();
                response.setStatus(status);
            }
        }
    }

    private static void plain(Response response, int status, String message) throws IOException {
        response.setStatus(status).setContentType("text/plain;charset=UTF-8");
        response.write("Error " + status + ": " + message + "\n");
    }
}
