package io.jfcgi.servlet;

import io.jfcgi.codec.AbortRequest;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;
import io.jfcgi.tools.FastCgiClient;
import io.jfcgi.tools.FastCgiResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** startAsync, complete, dispatch, timeouts and listeners, over FastCGI. */
class AsyncTest {

    static BridgeServer server;
    static final CountDownLatch abortedStarted = new CountDownLatch(1);
    static final CountDownLatch abortedError = new CountDownLatch(1);
    static final AtomicReference<Throwable> abortError = new AtomicReference<>();

    /** Base for the listeners below: does nothing. */
    static class QuietListener implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new BridgeServer(ServletApp.builder()
                .servlet("/complete", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        AsyncContext async = req.startAsync();
                        async.start(() -> {
                            try {
                                async.getResponse().getWriter().print("written on " + Thread.currentThread()
                                        .getName().replaceAll("-\\d+$", ""));
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                            async.complete();
                        });
                    }
                })
                .servlet("/dispatch", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        if (req.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
                            return;
                        }
                        AsyncContext async = req.startAsync();
                        async.start(() -> async.dispatch("/target?x=1"));
                    }
                })
                .servlet("/target", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.getWriter().print(req.getDispatcherType() + " " + req.getRequestURI() + " from "
                                + req.getAttribute(AsyncContext.ASYNC_REQUEST_URI) + " x=" + req.getParameter("x"));
                    }
                })
                .servlet("/timeout", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        req.startAsync().setTimeout(50);
                    }
                })
                .servlet("/timeout-handled", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        AsyncContext async = req.startAsync();
                        async.setTimeout(50);
                        async.addListener(new QuietListener() {
                            @Override
                            public void onTimeout(AsyncEvent event) throws IOException {
                                event.getAsyncContext().getResponse().getWriter().print("handled the timeout");
                                event.getAsyncContext().complete();
                            }
                        });
                    }
                })
                .servlet("/abort", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        AsyncContext async = req.startAsync();
                        async.setTimeout(0);
                        async.addListener(new QuietListener() {
                            @Override
                            public void onError(AsyncEvent event) {
                                abortError.set(event.getThrowable());
                                abortedError.countDown();
                            }
                        });
                        abortedStarted.countDown();
                    }
                })
                .servlet("/not-async", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.getWriter().print("async started: " + req.isAsyncStarted());
                    }
                }));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aResponseWrittenOnAnotherThreadIsSentAtComplete() throws Exception {
        FastCgiResponse response = server.get("/complete");
        assertEquals(200, response.status());
        assertEquals("written on servlet-async", response.bodyText());
    }

    @Test
    void anAsyncDispatchRunsTheTargetWithTheOriginalUriAsAttribute() throws Exception {
        assertEquals("ASYNC /target from /dispatch x=1", server.get("/dispatch").bodyText());
    }

    @Test
    void aTimeoutNoListenerAnswersIsA500() throws Exception {
        assertEquals(500, server.get("/timeout").status());
    }

    @Test
    void aListenerMayAnswerTheTimeout() throws Exception {
        FastCgiResponse response = server.get("/timeout-handled");
        assertEquals(200, response.status());
        assertEquals("handled the timeout", response.bodyText());
    }

    @Test
    void aRequestWithoutStartAsyncIsNotAsync() throws Exception {
        assertEquals("async started: false", server.get("/not-async").bodyText());
    }

    @Test
    void anAbortFromTheWebServerReachesOnErrorAsAnIOException() throws Exception {
        try (FastCgiClient client = FastCgiClient.connect(serverAddress(), Duration.ofSeconds(10))) {
            CompletableFuture<FastCgiResponse> sent = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.send(1, Role.RESPONDER, true, FastCgiClient.requestParams("GET", "/abort",
                            Map.of()), null, null);
                } catch (IOException e) {
                    return null;
                }
            });
            assertTrue(abortedStarted.await(10, TimeUnit.SECONDS));
            client.write(RecordEncoder.encode(new AbortRequest(1)));
            assertTrue(abortedError.await(10, TimeUnit.SECONDS), "onError was not called");
            assertInstanceOf(IOException.class, abortError.get());
            sent.get(10, TimeUnit.SECONDS);
        }
    }

    private static java.net.SocketAddress serverAddress() throws IOException {
        return server.address();
    }
}
