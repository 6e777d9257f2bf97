package io.jfcgi.servlet;

import io.jfcgi.tools.FastCgiResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * An async request waits without a thread: with {@code --workers 2}, twenty long polls in async mode leave a
 * plain request answered at once, and each completes later from another thread with its own answer.
 */
class AsyncHoldsNoWorkerTest {

    private static final int HELD = 20;

    @Test
    void twentyWaitingAsyncRequestsOnTwoWorkersLeaveAPlainRequestAnsweredThenEachCompletes() throws Exception {
        BlockingQueue<AsyncContext> held = new LinkedBlockingQueue<>();
        ServletApp.Builder app = ServletApp.builder()
                .servlet("/hold", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        AsyncContext async = req.startAsync();
                        async.setTimeout(60_000);
                        held.add(async);
                    }
                })
                .servlet("/plain", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.getWriter().print("plain");
                    }
                });
        ExecutorService clients = Executors.newFixedThreadPool(HELD + 1);
        try (BridgeServer server = new BridgeServer(app.build(), b -> b.workers(2))) {
            List<CompletableFuture<FastCgiResponse>> polls = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                String uri = "/hold?n=" + i;
                polls.add(CompletableFuture.supplyAsync(() -> get(server, uri), clients));
            }
            Map<String, AsyncContext> byNumber = new HashMap<>();
            for (int i = 0; i < HELD; i++) {
                AsyncContext async = held.poll(20, TimeUnit.SECONDS);
                assertNotNull(async, "request " + i + " of " + HELD + " went async");
                byNumber.put(async.getRequest().getParameter("n"), async);
            }
            FastCgiResponse plain = CompletableFuture.supplyAsync(() -> get(server, "/plain"), clients)
                    .get(10, TimeUnit.SECONDS);
            assertEquals("plain", plain.bodyText());
            Thread completer = new Thread(() -> byNumber.forEach((n, async) -> {
                try {
                    async.getResponse().getWriter().print("held " + n);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                async.complete();
            }));
            completer.start();
            completer.join(20_000);
            for (int i = 0; i < HELD; i++) {
                FastCgiResponse response = polls.get(i).get(20, TimeUnit.SECONDS);
                assertEquals(200, response.status());
                assertEquals("held " + i, response.bodyText());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static FastCgiResponse get(BridgeServer server, String uri) {
        try {
            return server.get(uri);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
