package io.jfcgi.spawner.log;

import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.message.ParameterizedMessageFactory;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.util.PropertiesUtil;

/** The launcher's one logger context: one level for every logger, one line format. */
final class LauncherLoggerContext implements LoggerContext {

    /** The level property the launcher has always read (the Log4j API's simple logger's): INFO unless set. */
    static final String LEVEL_PROPERTY = "org.apache.logging.log4j.simplelog.level";

    private final Level level;
    private final LogLineFormat format = new LogLineFormat(TimeZone.getDefault());
    private final ConcurrentMap<String, ExtendedLogger> loggers = new ConcurrentHashMap<>();

    LauncherLoggerContext() {
        level = Level.toLevel(PropertiesUtil.getProperties().getStringProperty(LEVEL_PROPERTY), Level.INFO);
    }

    @Override
    public Object getExternalContext() {
        return null;
    }

    @Override
    public ExtendedLogger getLogger(String name) {
        return getLogger(name, null);
    }

    /** The message factory of the first request for a name is that logger's; null: the parameterized one. */
    @Override
    public ExtendedLogger getLogger(String name, MessageFactory messages) {
        return loggers.computeIfAbsent(name, n -> new LauncherLogger(n,
                messages == null ? ParameterizedMessageFactory.INSTANCE : messages, level, format));
    }

    @Override
    public boolean hasLogger(String name) {
        return loggers.containsKey(name);
    }

    @Override
    public boolean hasLogger(String name, MessageFactory messages) {
        return loggers.containsKey(name);
    }

    @Override
    public boolean hasLogger(String name, Class<? extends MessageFactory> messages) {
        return loggers.containsKey(name);
    }
}
