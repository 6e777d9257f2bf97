package io.jfcgi.responder;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What counts as the server failing, seen from outside while a fuzz target runs: an exception that escapes any
 * thread (the default uncaught-exception handler), or a line the responder logs at ERROR (an appender on
 * {@code io.jfcgi}), except those about a handler that threw on purpose. The responder's warnings, one per
 * malformed input, are counted here instead of printed. {@link #close} puts back what it replaced.
 */
final class ServerFaults implements AutoCloseable {

    private static final String LOGGER = "io.jfcgi";
    private static final int KEPT_LINES = 1000;

    private final Queue<String> faults = new ConcurrentLinkedQueue<>();
    private final AtomicLong warnings = new AtomicLong();
    /** The first {@link #KEPT_LINES} warnings' messages: a fuzzing campaign watches for minutes, so not all. */
    private final Queue<String> warningLines = new ConcurrentLinkedQueue<>();
    private final Thread.UncaughtExceptionHandler previousHandler;
    private final LoggerContext context;
    private final Catcher catcher = new Catcher();

    private ServerFaults() {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> faults.add("uncaught in " + thread.getName()
                + ": " + stackTrace(e)));
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        catcher.start();
        LoggerConfig logger = new LoggerConfig(LOGGER, Level.WARN, false);
        logger.addAppender(catcher, Level.WARN, null);
        config.addLogger(LOGGER, logger);
        context.updateLoggers();
    }

    static ServerFaults watch() {
        return new ServerFaults();
    }

    /**
     * @throws AssertionError listing every fault seen since the last call
     */
    void check() {
        List<String> seen = new ArrayList<>();
        for (String fault = faults.poll(); fault != null; fault = faults.poll()) {
            seen.add(fault);
        }
        if (!seen.isEmpty()) {
            throw new AssertionError("the server failed: " + String.join("\n", seen));
        }
    }

    long warnings() {
        return warnings.get();
    }

    /** The messages of the warnings seen so far, oldest first (the first thousand; {@link #warnings} counts all). */
    List<String> warningLines() {
        return List.copyOf(warningLines);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(LOGGER);
        context.updateLoggers();
        catcher.stop();
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    private final class Catcher extends AbstractAppender {

        Catcher() {
            super("fuzz-faults", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (!event.getLevel().isMoreSpecificThan(Level.ERROR)) {
                if (warnings.incrementAndGet() <= KEPT_LINES) {
                    warningLines.add(event.getMessage().getFormattedMessage());
                }
                return;
            }
            Throwable thrown = event.getThrown();
            if (thrown instanceof FuzzHandler.OnPurpose) {
                return;
            }
            faults.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getMessage().getFormattedMessage()
                    + (thrown == null ? "" : "\n" + stackTrace(thrown)));
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
