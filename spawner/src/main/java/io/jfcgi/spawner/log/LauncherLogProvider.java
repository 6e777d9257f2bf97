package io.jfcgi.spawner.log;

import org.apache.logging.log4j.spi.LoggerContextFactory;
import org.apache.logging.log4j.spi.NoOpThreadContextMap;
import org.apache.logging.log4j.spi.Provider;
import org.apache.logging.log4j.spi.ThreadContextMap;

/** The Log4j API provider that log4j2.component.properties names ({@code log4j.provider}). */
public final class LauncherLogProvider extends Provider {

    private final LoggerContextFactory factory = new LauncherLoggerContextFactory();

    public LauncherLogProvider() {
        super(null, "2.6.0");
    }

    @Override
    public LoggerContextFactory getLoggerContextFactory() {
        return factory;
    }

    /** The launcher's lines carry no context map. */
    @Override
    public ThreadContextMap getThreadContextMapInstance() {
        return NoOpThreadContextMap.INSTANCE;
    }
}
