package io.jfcgi.servlet;

import io.jfcgi.responder.RequestAbortedException;
import jakarta.servlet.ReadListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.stream.Stream;

/** Walks NonBlockingRead's transitions with a body fed by hand and the fetch tasks run by hand: no sockets. */
class NonBlockingReadTest {

    /** The body: slices handed out by read(), which never waits here (the walk feeds before each fetch). */
    static final class FedBody extends InputStream {
        final Queue<Object> slices = new ArrayDeque<>();

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Object next = slices.remove();
            if (next instanceof IOException e) {
                throw e;
            }
            byte[] slice = (byte[]) next;
            if (slice.length == 0) {
                return -1;
            }
            System.arraycopy(slice, 0, b, off, slice.length);
            return slice.length;
        }

        @Override
        public int available() {
            return slices.peek() instanceof byte[] slice ? slice.length : 0;
        }
    }

    static Stream<Arguments> walks() {
        return Stream.of(
                Arguments.of("a body in two slices, then its end", List.of(
                        "start -> FETCHING tasks=1",
                        "feed ab -> FETCHING",
                        "run -> AVAILABLE events=data",
                        "isReady -> AVAILABLE true",
                        "read -> AVAILABLE ab",
                        "isReady -> FETCHING false tasks=1",
                        "isReady -> FETCHING false tasks=1",
                        "feed cd -> FETCHING",
                        "run -> AVAILABLE events=data,data",
                        "read -> AVAILABLE cd",
                        "isReady -> FETCHING false tasks=1",
                        "end -> FETCHING",
                        "run -> ENDED events=data,data,allRead",
                        "isReady -> ENDED true",
                        "read -> ENDED -1")),
                Arguments.of("bytes already there are taken without a fetch", List.of(
                        "start -> FETCHING tasks=1",
                        "feed ab -> FETCHING",
                        "run -> AVAILABLE events=data",
                        "read -> AVAILABLE ab",
                        "feed cd -> AVAILABLE",
                        "isReady -> AVAILABLE true tasks=0",
                        "read -> AVAILABLE cd")),
                Arguments.of("a read while not ready is refused", List.of(
                        "start -> FETCHING tasks=1",
                        "read -> FETCHING IllegalStateException")),
                Arguments.of("a failed read reaches onError", List.of(
                        "start -> FETCHING tasks=1",
                        "fail -> FETCHING",
                        "run -> FAILED events=error",
                        "isReady -> FAILED false",
                        "read -> FAILED IOException")),
                Arguments.of("a request that ended tells nobody", List.of(
                        "start -> FETCHING tasks=1",
                        "close -> CLOSED",
                        "feed ab -> CLOSED",
                        "run -> CLOSED events=",
                        "isReady -> CLOSED false")),
                Arguments.of("an abort that ended the request still reaches onError", List.of(
                        "start -> FETCHING tasks=1",
                        "close -> CLOSED",
                        "abort -> CLOSED",
                        "run -> FAILED events=error")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walks")
    void walk(String name, List<String> steps) {
        FedBody body = new FedBody();
        Queue<Runnable> tasks = new ArrayDeque<>();
        List<String> events = new ArrayList<>();
        ListenerThreads threads = new ListenerThreads(started(), () -> tasks::add,
                NonBlockingReadTest.class.getClassLoader(), message -> { });
        NonBlockingRead read = new NonBlockingRead(body, new ReadListener() {
            @Override
            public void onDataAvailable() {
                events.add("data");
            }

            @Override
            public void onAllDataRead() {
                events.add("allRead");
            }

            @Override
            public void onError(Throwable t) {
                events.add("error");
            }
        }, threads, 16);
        for (String step : steps) {
            String[] sides = step.split(" -> ");
            String[] action = sides[0].split(" ");
            String result = "";
            switch (action[0]) {
                case "start" -> read.start();
                case "feed" -> body.slices.add(action[1].getBytes(StandardCharsets.US_ASCII));
                case "end" -> body.slices.add(new byte[0]);
                case "fail" -> body.slices.add(new IOException("the web server went away"));
                case "abort" -> body.slices.add(new RequestAbortedException("request 1 aborted: ABORT_REQUEST"));
                case "run" -> tasks.remove().run();
                case "close" -> read.close();
                case "isReady" -> result = Boolean.toString(read.isReady());
                case "read" -> result = readOnce(read);
                default -> throw new IllegalArgumentException(step);
            }
            ListenerWalks.check(step, read.phase().name(), result, tasks.size(), events);
        }
    }

    private static String readOnce(NonBlockingRead read) {
        byte[] buffer = new byte[16];
        try {
            int n = read.read(buffer, 0, buffer.length);
            return n < 0 ? "-1" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException | IllegalStateException e) {
            return e.getClass().getSimpleName();
        }
    }

    private static AsyncState started() {
        AsyncState state = new AsyncState();
        state.startAsync();
        return state;
    }
}
