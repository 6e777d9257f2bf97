package io.jfcgi.servlet.e2e;

import io.jfcgi.servlet.TestWars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spring's DeferredResult through nginx on a runner with {@code --workers 2}: twenty long polls wait without a
 * worker each, so a plain request is answered at once; then one POST releases them and each gets its answer.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SpringLongPollIT {

    private static final int HELD = 20;

    @TempDir
    static Path dir;
    static ServedWar served;

    @BeforeAll
    static void start() throws Exception {
        Path war = TestWars.zip(TestWars.exploded(dir, "spring", "io.jfcgi.servlet.testspring",
                SpringWarIT.LIBRARIES), dir.resolve("spring.war"));
        served = ServedWar.start(dir, war, "/spring", "--workers", "2");
    }

    @AfterAll
    static void stop() throws Exception {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void twentyLongPollsOnTwoWorkersLeaveAPlainRequestAnsweredAtOnceThenAllComplete() throws Exception {
        served.get("/spring/greeting"); // Spring's DispatcherServlet starts on its first request
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            polls.add(ServedWar.HTTP.sendAsync(HttpRequest.newBuilder(served.uri("/spring/poll?n=" + i))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        awaitWaitingPolls();
        HttpResponse<String> plain = served.send(HttpRequest.newBuilder(served.uri("/spring/greeting?name=plain"))
                .timeout(Duration.ofSeconds(10)));
        assertEquals("Hello, plain!", plain.body());
        HttpResponse<String> released = served.send(HttpRequest.newBuilder(served.uri("/spring/release"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals("released " + HELD, released.body());
        for (int i = 0; i < HELD; i++) {
            HttpResponse<String> response = polls.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("poll " + i, response.body());
        }
    }

    /** Polls /polls (itself a plain request) until all twenty wait; each such answer shows a worker was free. */
    private static void awaitWaitingPolls() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = served.send(HttpRequest.newBuilder(served.uri("/spring/polls")).timeout(Duration.ofSeconds(10)))
                    .body();
            if (seen.equals("waiting " + HELD)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the long polls never all waited; last: " + seen);
    }
}
