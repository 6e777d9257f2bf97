package io.jfcgi.responder;

import static io.jfcgi.responder.Wire.body;
import static io.jfcgi.responder.Wire.getRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** --virtual-threads: handlers on virtual threads where the JVM has them, a clear refusal where it has not. */
class VirtualThreadsTest {

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void handlersRunOnVirtualThreadsAtMostWorkersAtOnce() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Handler handler = (request, response) -> {
            // Thread.isVirtual() is JDK 21 API and this compiles for 17; a virtual thread names itself so.
            boolean virtual = Thread.currentThread().toString().startsWith("VirtualThread[");
            threads.add(Thread.currentThread().getName() + (virtual ? " virtual" : " platform"));
            inside.countDown();
            release.await(5, TimeUnit.SECONDS);
            response.write(virtual ? "virtual" : "platform");
        };
        try (TestServer server = TestServer.start(handler, b -> b.virtualThreads(true).workers(2));
                Wire wire = server.connect()) {
            // HAProxy-style multiplexing: two requests on one connection go to the executor, not inline.
            wire.send(getRequest(1, "/a", true), getRequest(3, "/b", true));
            assertTrue(inside.await(5, TimeUnit.SECONDS), "both handlers running at once");
            release.countDown();
            // The two answers interleave in either order: read until both have ended, then look at each.
            java.util.List<io.jfcgi.codec.Record> records = new java.util.ArrayList<>(wire.readUntilEnd(1));
            if (records.stream().noneMatch(r -> r instanceof io.jfcgi.codec.EndRequest end && end.requestId() == 3)) {
                records.addAll(wire.readUntilEnd(3));
            }
            assertEquals("virtual", body(records, 1));
            assertEquals("virtual", body(records, 3));
        }
        assertTrue(threads.stream().allMatch(t -> t.startsWith("fcgi-vworker-") && t.endsWith(" virtual")),
                threads.toString());
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void olderJavaRefusesTheOptionSayingWhatToDo() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FastCgiServer.builder().handler((request, response) -> { }).virtualThreads(true).build());
        assertTrue(refused.getMessage().startsWith("virtual threads need Java 21 or newer and this is Java "),
                refused.getMessage());
        assertTrue(refused.getMessage().endsWith("drop --virtual-threads, or run a newer java"));
    }

    @Test
    void commandLineFlagTurnsThemOn() {
        FastCgiServer.Builder builder = FastCgiServer.builder().handler((request, response) -> { });
        CommandLine.apply(new String[] {"--virtual-threads", "--listen", "127.0.0.1:0"}, java.util.Map.of(), builder);
        if (VirtualThreads.available()) {
            assertTrue(builder.build().settings().virtualThreads());
        } else {
            assertThrows(IllegalArgumentException.class, builder::build);
        }
    }
}
