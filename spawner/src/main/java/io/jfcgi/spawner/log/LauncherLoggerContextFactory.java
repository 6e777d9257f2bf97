package io.jfcgi.spawner.log;

import java.net.URI;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerContextFactory;

/** Hands out the launcher's one logger context, whoever asks. */
public final class LauncherLoggerContextFactory implements LoggerContextFactory {

    private final LauncherLoggerContext context = new LauncherLoggerContext();

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object external, boolean currentContext) {
        return context;
    }

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object external, boolean currentContext,
            URI configLocation, String name) {
        return context;
    }

    @Override
    public void removeContext(LoggerContext removed) {
        // the one context lives as long as the launcher
    }

    @Override
    public boolean isClassLoaderDependent() {
        return false;
    }
}
