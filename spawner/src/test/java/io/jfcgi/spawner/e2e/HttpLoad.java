package io.jfcgi.spawner.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded HTTP load through nginx: a few threads, each sending GETs back to back until {@link #stop()}, a
 * request count or a time limit, whichever comes first. Every answer other than 200 is a failure, counted by cause.
 */
final class HttpLoad implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong ok = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code threads} threads cycling through {@code paths} on {@code baseUrl}. */
    static HttpLoad start(String baseUrl, int threadCount, List<String> paths, long maxRequests, Duration maxTime) {
        HttpLoad load = new HttpLoad();
        long deadline = System.nanoTime() + maxTime.toNanos();
        AtomicLong sent = new AtomicLong();
        for (int t = 0; t < threadCount; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                for (int i = first; !load.stop.get() && System.nanoTime() < deadline
                        && sent.incrementAndGet() <= maxRequests; i++) {
                    String path = paths.get(i % paths.size());
                    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .timeout(Duration.ofSeconds(10)).build();
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 200) {
                            load.ok.incrementAndGet();
                        } else {
                            load.failed("HTTP " + status + " on " + path);
                        }
                    } catch (IOException e) {
                        load.failed(e.getClass().getSimpleName() + " on " + path);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + t);
            thread.setDaemon(true);
            thread.start();
            load.threads.add(thread);
        }
        return load;
    }

    private void failed(String cause) {
        failures.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
    }

    long succeeded() {
        return ok.get();
    }

    /** Failures by cause; empty when every request answered 200. */
    Map<String, Long> failures() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        failures.forEach((cause, count) -> copy.put(cause, count.get()));
        return copy;
    }

    /** Stops sending and waits for the requests in flight. */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(15_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
