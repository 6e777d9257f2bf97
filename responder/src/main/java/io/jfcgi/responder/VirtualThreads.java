package io.jfcgi.responder;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Handlers on virtual threads (JDK 21+), reached by reflection because the library compiles for Java 17. One
 * virtual thread per request; the handler semaphore still bounds how many run at once (--workers).
 */
final class VirtualThreads {

    private VirtualThreads() {
    }

    static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    /** An executor that starts each task on a new virtual thread named {@code prefix}N. */
    static ExecutorService executor(String prefix) {
        if (!available()) {
            throw new IllegalArgumentException("virtual threads need Java 21 or newer and this is Java "
                    + Runtime.version().feature() + ": drop --virtual-threads, or run a newer java");
        }
        try {
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
            ThreadFactory factory = (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalStateException("this JVM reports Java " + Runtime.version().feature()
                    + " but has no virtual threads: " + e, e);
        }
    }
}
