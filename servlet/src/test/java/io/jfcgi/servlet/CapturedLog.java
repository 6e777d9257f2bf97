package io.jfcgi.servlet;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The messages one logger writes while it is open: for tests that a failure is logged, and how. */
final class CapturedLog extends AbstractAppender implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    CapturedLog(String loggerName) {
        super("captured-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
        logger = (Logger) LogManager.getLogger(loggerName);
        start();
        logger.addAppender(this);
    }

    @Override
    public void append(LogEvent event) {
        messages.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        stop();
    }
}
