package io.jfcgi.servlet;

import jakarta.servlet.WriteListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.stream.Stream;

/** Walks NonBlockingWrite's transitions with the write tasks run by hand: no sockets. */
class NonBlockingWriteTest {

    static Stream<Arguments> walks() {
        return Stream.of(
                Arguments.of("the first onWritePossible comes from the start", List.of(
                        "start -> WRITING tasks=1",
                        "run -> READY events=possible",
                        "isReady -> READY true")),
                Arguments.of("a false isReady is answered by onWritePossible", List.of(
                        "start -> WRITING tasks=1",
                        "run -> READY events=possible",
                        "write -> WRITING ok tasks=1",
                        "isReady -> WRITING false",
                        "write -> WRITING IllegalStateException",
                        "run -> READY events=possible,possible")),
                Arguments.of("no onWritePossible unless isReady said false", List.of(
                        "start -> WRITING tasks=1",
                        "run -> READY events=possible",
                        "write -> WRITING ok tasks=1",
                        "run -> READY events=possible")),
                Arguments.of("a failed write reaches onError and fails later writes", List.of(
                        "start -> WRITING tasks=1",
                        "run -> READY events=possible",
                        "failingWrite -> WRITING ok tasks=1",
                        "run -> FAILED events=possible,error",
                        "isReady -> FAILED false",
                        "write -> FAILED IOException")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walks")
    void walk(String name, List<String> steps) {
        Queue<Runnable> tasks = new ArrayDeque<>();
        List<String> events = new ArrayList<>();
        AsyncState state = new AsyncState();
        state.startAsync();
        ListenerThreads threads = new ListenerThreads(state, () -> tasks::add,
                NonBlockingWriteTest.class.getClassLoader(), message -> { });
        NonBlockingWrite write = new NonBlockingWrite(new WriteListener() {
            @Override
            public void onWritePossible() {
                events.add("possible");
            }

            @Override
            public void onError(Throwable t) {
                events.add("error");
            }
        }, threads);
        for (String step : steps) {
            String[] sides = step.split(" -> ");
            String result = "";
            switch (sides[0]) {
                case "start" -> write.start();
                case "run" -> tasks.remove().run();
                case "isReady" -> result = Boolean.toString(write.isReady());
                case "write" -> result = handOff(write, () -> { });
                case "failingWrite" -> result = handOff(write, () -> {
                    throw new IOException("broken pipe");
                });
                default -> throw new IllegalArgumentException(step);
            }
            ListenerWalks.check(step, write.phase().name(), result, tasks.size(), events);
        }
    }

    private static String handOff(NonBlockingWrite write, NonBlockingWrite.Write action) {
        try {
            write.handOff(action);
            return "ok";
        } catch (IOException | IllegalStateException e) {
            return e.getClass().getSimpleName();
        }
    }
}
