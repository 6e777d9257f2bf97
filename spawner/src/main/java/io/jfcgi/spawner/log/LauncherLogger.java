package io.jfcgi.spawner.log;

import java.io.PrintStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.spi.AbstractLogger;

/** A logger of the launcher: events at its level or above, one write each to the current System.err. */
final class LauncherLogger extends AbstractLogger {

    private static final long serialVersionUID = 1L;

    private final Level level;
    private final transient LogLineFormat format;

    LauncherLogger(String name, MessageFactory messages, Level level, LogLineFormat format) {
        super(name, messages);
        this.level = level;
        this.format = format;
    }

    @Override
    public Level getLevel() {
        return level;
    }

    /**
     * Any thread. The whole event (line and stack trace) in one print, which the launcher's stderr writes whole
     * ({@code WholeLineOutput}). A throwable given as the last parameter is the event's, as Log4j's loggers do.
     */
    @Override
    public void logMessage(String fqcn, Level eventLevel, Marker marker, Message message, Throwable thrown) {
        Throwable trace = thrown;
        Object[] parameters = message.getParameters();
        if (trace == null && parameters != null && parameters.length > 0
                && parameters[parameters.length - 1] instanceof Throwable last) {
            trace = last;
        }
        PrintStream err = System.err;
        err.print(format.format(System.currentTimeMillis(), eventLevel.toString(), message.getFormattedMessage(),
                trace));
        err.flush();
    }

    private boolean enabled(Level eventLevel) {
        return level.intLevel() >= eventLevel.intLevel();
    }

    @Override
    public boolean isEnabled(Level l, Marker m, Message message, Throwable t) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, CharSequence message, Throwable t) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, Object message, Throwable t) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Throwable t) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object... p) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2, Object p3) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2, Object p3,
            Object p4) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2, Object p3,
            Object p4, Object p5) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2, Object p3,
            Object p4, Object p5, Object p6) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2, Object p3,
            Object p4, Object p5, Object p6, Object p7) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2, Object p3,
            Object p4, Object p5, Object p6, Object p7, Object p8) {
        return enabled(l);
    }

    @Override
    public boolean isEnabled(Level l, Marker m, String message, Object p0, Object p1, Object p2, Object p3,
            Object p4, Object p5, Object p6, Object p7, Object p8, Object p9) {
        return enabled(l);
    }
}
