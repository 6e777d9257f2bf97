package io.jfcgi.spawner;

import io.jfcgi.spawner.os.PidFile;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.status.StatusPage;
import io.jfcgi.spawner.status.TextPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * {@code jspawn-fcgi status -P pidfile [--json|--xml|--html|--openmetrics]}: the pool and its processes as the
 * supervisor last wrote them (every second), in PHP-FPM's field names, in the formats of the status listener. Exit 0 when it runs, 3 when it does not (the LSB code for "not running").
 */
final class StatusCommand {

    static final int NOT_RUNNING = 3;

    private StatusCommand() {
    }

    static int run(String[] args) {
        Path pidFile = null;
        StatusPage page = StatusPage.TEXT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-P", "--pidfile" -> pidFile = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--json" -> page = StatusPage.JSON;
                case "--xml" -> page = StatusPage.XML;
                case "--html" -> page = StatusPage.HTML;
                case "--openmetrics" -> page = StatusPage.OPENMETRICS;
                case "--text" -> page = StatusPage.TEXT;
                default -> {
                    System.err.println("jspawn-fcgi status: unknown argument " + args[i]
                            + "; usage: jspawn-fcgi status -P pidfile [--json|--xml|--html|--openmetrics]");
                    return UsageException.EXIT_CODE;
                }
            }
        }
        if (pidFile == null) {
            System.err.println("jspawn-fcgi status: give the launcher's pidfile with -P (start it with -P too)");
            return UsageException.EXIT_CODE;
        }
        try {
            OptionalInt pid = PidFile.runningPid(Posix.get(), pidFile);
            if (pid.isEmpty()) {
                System.err.println("jspawn-fcgi is not running (no live launcher holds " + pidFile + ")");
                return NOT_RUNNING;
            }
            Path statusFile = pidFile.resolveSibling(pidFile.getFileName() + ".status");
            String text;
            try {
                text = Files.readString(statusFile, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                text = "pid:                  " + pid.getAsInt() + "\n"; // started less than a second ago
            }
            String shown = page.render(TextPage.parse(text), true);
            System.out.print(shown.endsWith("\n") ? shown : shown + "\n");
            return 0;
        } catch (IOException e) {
            System.err.println("jspawn-fcgi status: " + e.getMessage());
            return UsageException.EXIT_CODE;
        }
    }
}
