package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an app.jar's main does before it serves; serving itself, and exit 1, run as a process in the fixture ITs. */
class AppMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int serve(Map<String, String> env, String... args) {
        return AppMain.serve(args, env, (request, response) -> { }, new PrintStream(out, true),
                new PrintStream(err, true));
    }

    @ParameterizedTest
    @CsvSource({"--help", "-h"})
    void helpPrintsTheUsageAndExitsZero(String flag) {
        assertEquals(AppMain.OK, serve(Map.of(), flag));
        assertEquals(CommandLine.usage() + System.lineSeparator(), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void versionPrintsTheLibraryVersionFromTheBuildAndExitsZero() {
        assertEquals(AppMain.OK, serve(Map.of(), "--version"));
        // The build's version, filled in: neither the placeholder nor "unknown".
        assertTrue(out.toString().matches("jfcgi responder \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void versionIsAnsweredBeforeTheOtherFlagsAreChecked() {
        assertEquals(AppMain.OK, serve(Map.of(), "--workers", "4", "--version"));
        assertTrue(out.toString().startsWith("jfcgi responder "), out.toString());
    }

    @Test
    void aBadFlagIsOneErrorLineAndTheUsageThenExitTwo() {
        assertEquals(AppMain.BAD_USAGE, serve(Map.of(), "--workers=none"));
        assertEquals("error: --workers needs a whole number of at least 1, got 'none'" + System.lineSeparator(),
                err.toString());
    }

    @Test
    void anAppWithoutAHandlerIsOneErrorLineNotAStackTrace() {
        int code = AppMain.serve(new String[] {"--listen", "127.0.0.1:0"}, Map.of(), null, new PrintStream(out, true),
                new PrintStream(err, true));
        assertEquals(AppMain.BAD_USAGE, code);
        assertTrue(err.toString().startsWith("error: a handler is required"), err.toString());
    }

    @Test
    void anArgumentThatIsNoFlagExitsTwo() {
        assertEquals(AppMain.BAD_USAGE, serve(Map.of(), "stray"));
        assertTrue(err.toString().startsWith("error: unexpected argument stray\n"), err.toString());
    }

    @Test
    void settingsThatDoNotGoTogetherAreBadUsageToo() {
        assertEquals(AppMain.BAD_USAGE, serve(Map.of("FCGI_WEB_SERVER_ADDRS", "[nope")));
        assertTrue(err.toString().startsWith("error: FCGI_WEB_SERVER_ADDRS has '[nope'"), err.toString());
    }
}
