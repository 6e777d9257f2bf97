package io.jfcgi.spawner.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.message.ParameterizedMessageFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The launcher's loggers: its level, its parameters, its throwables, on System.err. */
class LauncherLoggerTest {

    private final PrintStream err = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LauncherLogger logger(Level level) {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        return new LauncherLogger("test", ParameterizedMessageFactory.INSTANCE, level,
                new LogLineFormat(TimeZone.getTimeZone("UTC")));
    }

    @AfterEach
    void restore() {
        System.setErr(err);
    }

    private String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesEventsAtItsLevelOrAboveOnly() {
        LauncherLogger logger = logger(Level.INFO);
        logger.debug("hidden");
        logger.info("shown {}", 1);
        logger.warn("also shown");
        String[] lines = text().split(System.lineSeparator());
        assertEquals(2, lines.length, text());
        assertTrue(lines[0].matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} jspawn-fcgi INFO shown 1"),
                lines[0]);
        assertTrue(lines[1].endsWith(" jspawn-fcgi WARN also shown"), lines[1]);
    }

    @Test
    void aThrowableAsTheLastParameterIsPrintedAfterTheLine() {
        logger(Level.INFO).error("child {} failed", 7, new IllegalStateException("broken"));
        assertTrue(text().contains(" jspawn-fcgi ERROR child 7 failed" + System.lineSeparator()
                + "java.lang.IllegalStateException: broken" + System.lineSeparator()), text());
    }

    @Test
    void theLauncherLogsThroughItsOwnProvider() {
        assertTrue(LogManager.getLogger("any") instanceof LauncherLogger,
                () -> LogManager.getLogger("any").getClass().getName());
    }
}
