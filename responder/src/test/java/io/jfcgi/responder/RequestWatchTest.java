package io.jfcgi.responder;

import io.jfcgi.codec.Role;
import io.jfcgi.codec.supervision.StatusMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.jfcgi.responder.Wire.begin;
import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.get;
import static io.jfcgi.responder.Wire.getRequest;
import static io.jfcgi.responder.Wire.stdinEnd;
import static io.jfcgi.responder.Wire.stdoutText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The slowlog, queue-wait shedding and the JSON access log, through a real server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestWatchTest {

    private static final Handler HELLO = (request, response) -> response.write("hello");

    @TempDir
    Path dir;

    @Test
    void aRequestRunningPastTheSlowlogTimeoutGetsOneEntryWithItsStackAndGoesOn() throws Exception {
        Path slowlog = dir.resolve("slow.log");
        CountDownLatch release = new CountDownLatch(1);
        Handler slow = (request, response) -> {
            awaitRelease(release);
            response.write("done");
        };
        try (TestServer server = TestServer.start(slow, b -> b.slowlog(slowlog).slowlogTimeout(Duration.ofMillis(200)));
             Wire wire = server.connect()) {
            wire.send(getRequest(1, "/slow?x=1", true));
            await("a slowlog entry", () -> read(slowlog).contains("    at "));
            String entry = read(slowlog);
            assertTrue(entry.contains("] pid " + ProcessHandle.current().pid() + "\n"), entry);
            assertTrue(entry.contains("request = GET /slow?x=1\n"), entry);
            assertTrue(entry.contains("io.jfcgi.responder.RequestWatchTest.awaitRelease("), entry);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200); // two more watchdog rounds
            while (System.nanoTime() < until) {
                assertEquals(entry, read(slowlog), "one entry per request, however long it runs");
                Thread.sleep(100);
            }
            assertEquals(new StatusMessage.Counts(1, 0, 0), server.server.watch().counts());
            release.countDown();
            assertEquals("done", body(wire.readUntilEnd(1), 1));
        }
    }

    @Test
    void aRequestStampedLongerAgoThanTheLongestQueueWaitGets503WithRetryAfter() throws Exception {
        try (TestServer server = TestServer.start(HELLO, b -> b.maxQueueWait(Duration.ofSeconds(30)));
             Wire wire = server.connect()) {
            wire.send(stamped(1, System.currentTimeMillis() - 600_000));
            String answer = stdoutText(wire.readUntilEnd(1), 1);
            assertTrue(answer.startsWith("Status: 503 Service Unavailable\r\n"), answer);
            assertTrue(answer.contains("Retry-After: 1\r\n"), answer);
            assertEquals(new StatusMessage.Counts(0, 1, 0), server.server.watch().counts());
            assertEquals(0, server.server.counts().overloadRefusals(), "shed for its wait, not for an overload");
        }
    }

    @Test
    void freshUnstampedAndFutureStampedRequestsAreServed() throws Exception {
        // A limit far above what a loaded machine takes between the stamp and the admission.
        try (TestServer server = TestServer.start(HELLO, b -> b.maxQueueWait(Duration.ofSeconds(30)));
             Wire wire = server.connect()) {
            wire.send(stamped(1, System.currentTimeMillis()));
            assertEquals("hello", body(wire.readUntilEnd(1), 1));
            wire.send(getRequest(2, "/", true));
            assertEquals("hello", body(wire.readUntilEnd(2), 2));
            wire.send(stamped(3, System.currentTimeMillis() + 60_000)); // clock skew: no wait
            assertEquals("hello", body(wire.readUntilEnd(3), 3));
            assertEquals(new StatusMessage.Counts(0, 0, 0), server.server.watch().counts());
        }
    }

    @Test
    void withoutTheLimitAnOldStampIsServed() throws Exception {
        try (TestServer server = TestServer.start(HELLO); Wire wire = server.connect()) {
            wire.send(stamped(1, System.currentTimeMillis() - 10_000));
            assertEquals("hello", body(wire.readUntilEnd(1), 1));
        }
    }

    @Test
    void aRequestThatWaitedPastTheLimitBehindASlowHandlerIsShedWhenItsTurnComes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Handler handler = (request, response) -> {
            if (request.requestUri().equals("/slow")) {
                awaitRelease(release);
            }
            response.write("hello");
        };
        try (TestServer server = TestServer.start(handler, b -> b.workers(1).maxQueueWait(Duration.ofMillis(300)));
             Wire first = server.connect(); Wire second = server.connect()) {
            first.send(getRequest(1, "/slow", true));
            await("the slow request running", () -> server.server.scheduler().running() == 1);
            long stamp = System.currentTimeMillis();
            second.send(stamped(1, stamp));
            await("the second request past its wait", () -> System.currentTimeMillis() - stamp > 500);
            release.countDown();
            assertEquals("hello", body(first.readUntilEnd(1), 1));
            String answer = stdoutText(second.readUntilEnd(1), 1);
            assertTrue(answer.startsWith("Status: 503 Service Unavailable\r\n"), answer);
        }
    }

    @Test
    void theAccessLogHasOneJsonLinePerRequest() throws Exception {
        Path log = dir.resolve("access.json");
        try (TestServer server = TestServer.start(HELLO, b -> b.accessLogFile(log));
             Wire wire = server.connect()) {
            wire.send(getRequest(1, "/a?q=\"x\"", true));
            wire.readUntilEnd(1);
            wire.send(stamped(2, System.currentTimeMillis()));
            wire.readUntilEnd(2);
            await("two lines", () -> read(log).lines().count() == 2);
            List<String> lines = read(log).lines().toList();
            String pid = "\"pid\":" + ProcessHandle.current().pid() + ",";
            assertTrue(lines.get(0).matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\","
                    + "\"pid\":\\d+,\"method\":\"GET\",\"uri\":\"/a\\?q=\\\\\"x\\\\\"\",\"status\":200,\"bytes\":5,"
                    + "\"duration_ms\":\\d+\\.\\d{3}}"), lines.get(0));
            assertTrue(lines.get(0).contains(pid), lines.get(0));
            assertTrue(lines.get(1).matches(".*\"queue_wait_ms\":\\d+}"), lines.get(1));
        }
    }

    @Test
    void theAccessLogIsReopenedWhenLogrotateMovesIt() throws Exception {
        Path log = dir.resolve("access.json");
        Path rotated = dir.resolve("access.json.1");
        try (TestServer server = TestServer.start(HELLO, b -> b.accessLogFile(log));
             Wire wire = server.connect()) {
            wire.send(getRequest(1, "/before", true));
            wire.readUntilEnd(1);
            Files.move(log, rotated);
            await("the log reopened", () -> Files.exists(log));
            wire.send(getRequest(2, "/after", true));
            wire.readUntilEnd(2);
            await("the line in the new file", () -> read(log).contains("/after"));
            assertTrue(read(rotated).contains("/before") && !read(rotated).contains("/after"), read(rotated));
        }
    }

    private static byte[] stamped(int id, long epochMillis) {
        Map<String, String> params = new java.util.LinkedHashMap<>(get("/"));
        params.put("REQUEST_START", String.format("%d.%03d", epochMillis / 1000, epochMillis % 1000));
        return Wire.concat(begin(id, Role.RESPONDER, true), Wire.params(id, params), stdinEnd(id));
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aSlowlogThatCannotBeOpenedStopsTheStartWithOneLine() {
        Path nowhere = dir.resolve("no/such/dir/slow.log");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> TestServer.start(HELLO, b -> b.slowlog(nowhere)));
        assertTrue(e.getMessage().startsWith("cannot open the slowlog " + nowhere + " for appending: "),
                e.getMessage());
    }
}
