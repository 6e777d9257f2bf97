package io.jfcgi.servlet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarRunnerArgumentsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "app.war|app.war|''|''",
            "app.war --listen :9000|app.war|''|--listen :9000",
            "--listen :9000 app.war|app.war|''|--listen :9000",
            "--context-path /shop --workers 4 app.war|app.war|/shop|--workers 4",
            "--context-path=shop/ dir --access-log|dir|/shop|--access-log",
            "--access-log app.war|app.war|''|--access-log",
            "--context-path / app.war|app.war|''|''",
    })
    void theWarContextPathAndServerFlagsAreSplit(String line, String war, String contextPath, String rest) {
        WarRunner.Arguments arguments = WarRunner.Arguments.parse(line.split(" "));
        assertEquals(Path.of(war), arguments.war());
        assertEquals(contextPath, arguments.contextPath());
        assertArrayEquals(rest.isEmpty() ? new String[0] : rest.split(" "), arguments.serverArgs());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "app.war|''|''",
            "--session-dir /var/lib/app/sessions app.war|/var/lib/app/sessions|''",
            "app.war --session-dir=sessions --workers 2|sessions|--workers 2",
    })
    void theSessionDirectoryIsTheRunnersFlag(String line, String directory, String rest) {
        WarRunner.Arguments arguments = WarRunner.Arguments.parse(line.split(" "));
        assertEquals(directory.isEmpty() ? null : Path.of(directory), arguments.sessionDirectory());
        assertArrayEquals(rest.isEmpty() ? new String[0] : rest.split(" "), arguments.serverArgs());
    }

    @Test
    void withoutAWarTheErrorSaysWhatToGive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WarRunner.Arguments.parse(new String[] {"--listen", ":9000"}));
        assertTrue(e.getMessage().startsWith("no WAR given"), e.getMessage());
    }

    @Test
    void aContextPathWithAQueryIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> WarRunner.Arguments.parse(new String[] {"--context-path", "/a?b", "app.war"}));
    }
}
