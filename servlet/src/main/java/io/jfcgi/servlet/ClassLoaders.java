package io.jfcgi.servlet;

/** Runs application code with the application's class loader as the thread's context class loader, as it expects. */
final class ClassLoaders {

    /** A piece of application code. */
    @FunctionalInterface
    interface AppCode<E extends Exception> {
        void run() throws E;
    }

    /** The context class loader a thread had before {@link #enter}; closing puts it back. */
    record Scope(Thread thread, ClassLoader before) implements AutoCloseable {
        @Override
        public void close() {
            thread.setContextClassLoader(before);
        }
    }

    private ClassLoaders() {
    }

    static Scope enter(ClassLoader loader) {
        Thread thread = Thread.currentThread();
        Scope scope = new Scope(thread, thread.getContextClassLoader());
        thread.setContextClassLoader(loader);
        return scope;
    }

    static <E extends Exception> void run(ClassLoader loader, AppCode<E> code) throws E {
        try (Scope scope = enter(loader)) {
            code.run();
        }
    }
}
