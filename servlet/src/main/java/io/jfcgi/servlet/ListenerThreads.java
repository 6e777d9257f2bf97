package io.jfcgi.servlet;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where one request's {@link jakarta.servlet.ReadListener} and {@link jakarta.servlet.WriteListener} run (Servlet
 * 6.1 §5.3): the application's async threads ({@code servlet-async-N}), never the responder's handler pool, with
 * the application's class loader as context class loader. Also the rule that non-blocking I/O needs async mode.
 */
final class ListenerThreads {

    private final AsyncState state;
    private final Supplier<Executor> executor;
    private final ClassLoader loader;
    private final Consumer<String> log;

    /**
     * @param executor the application's async threads, made on first use
     * @param log where a failure that no listener can be told of goes (the context's log) */
    ListenerThreads(AsyncState state, Supplier<Executor> executor, ClassLoader loader, Consumer<String> log) {
        this.state = state;
        this.executor = executor;
        this.loader = loader;
        this.log = log;
    }

    /** @throws IllegalStateException unless the request is in async mode (FastCGI carries no upgrade) */
    void requireAsync(String what) {
        if (!state.isAsyncStarted()) {
            throw new IllegalStateException(what + " needs async mode: call startAsync() first");
        }
    }

    /** Runs {@code task} on an async thread; the task sets the class loader for listener calls itself. */
    void execute(Runnable task) {
        executor.get().execute(task);
    }

    /** Runs application code (a listener method) on this thread with the application's class loader. */
    <E extends Exception> void call(ClassLoaders.AppCode<E> code) throws E {
        ClassLoaders.run(loader, code);
    }

    void log(String message) {
        log.accept(message);
    }
}
