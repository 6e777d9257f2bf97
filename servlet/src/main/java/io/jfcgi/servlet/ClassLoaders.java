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
            if (thread != null) {
                thread.setContextClassLoader(before);
            }
        }
    }

    /** What entering the loader that is current already gives: its close changes nothing. */
    private static final Scope UNCHANGED = new Scope(null, null);

    private ClassLoaders() {
    }

    static Scope enter(ClassLoader loader) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        if (before == loader) {
            return UNCHANGED; // entered already (the chain within the request): nothing to put back, nothing made
        }
        thread.setContextClassLoader(loader);
        return new Scope(thread, before);
    }

    static <E extends Exception> void run(ClassLoader loader, AppCode<E> code) throws E {
        try (Scope scope = enter(loader)) {
            code.run();
        }
    }
}
