package io.jfcgi.responder;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where every class of the responder gets its logger. Log4j starts on the first {@code getLogger}, and two threads
 * that start it at once can each build a logger context, one of which then writes nowhere: a whole log was lost
 * that way when an early SIGTERM met the start-up line. One lock makes the first start the only one.
 */
final class Loggers {

    private static final Object START = new Object();

    private Loggers() {
    }

    static Logger get(Class<?> owner) {
        synchronized (START) {
            return LogManager.getLogger(owner);
        }
    }
}
