package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive under spawner/target/ is enough on its own: unpacked elsewhere, its scripts run its own jar. */
class DistributionIT {

    private static final Path ARCHIVE = Launch.ROOT.resolve("spawner/target/jspawn-fcgi-"
            + System.getProperty("project.version") + ".tar.gz");

    @TempDir
    Path dir;

    @Test
    void unpackedArchiveStartsAndStopsAPoolWithItsOwnScripts() throws Exception {
        assertTrue(Files.exists(ARCHIVE), ARCHIVE + " is built by ./mvnw package");
        assertEquals(0, sh("tar xzf " + ARCHIVE + " -C " + dir).exitValue());
        Path home = dir.resolve(ARCHIVE.getFileName().toString().replace(".tar.gz", ""));
        for (String file : new String[] {"bin/jspawn-fcgi", "bin/jspawn-fcgictl", "lib/jspawn-fcgi.jar",
                "lib/jfcgi-servlet-runner.jar",
                "nginx-conf/jfcgi-keepalive.conf", "nginx-conf/fastcgi_params", "systemd/jspawn-fcgi@.service",
                "logrotate/jspawn-fcgi", "README.md"}) {
            assertTrue(Files.exists(home.resolve(file)), file + " in the archive");
        }
        Path pidFile = dir.resolve("app.pid");
        // JSPAWN_FCGI_JAR unset and the checkout out of reach: only the archive's lib/ can serve.
        Process start = sh("env -u JSPAWN_FCGI_JAR " + home + "/bin/jspawn-fcgictl start " + pidFile
                + " -a 127.0.0.1 -p 0 -- " + Launch.FIXTURE);
        String output = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, start.exitValue(), output);
            assertEquals("Hello, World!", Launch.request("127.0.0.1:" + Launch.port(() -> output), "/hello"));
            int launcher = Integer.parseInt(Files.readString(pidFile).trim());
            String commandLine = Files.readString(Path.of("/proc/" + launcher + "/cmdline")).replace('\0', ' ');
            assertTrue(commandLine.contains(home.resolve("lib/jspawn-fcgi.jar").toString()), commandLine);
        } finally {
            Process stop = sh(home + "/bin/jspawn-fcgictl stop " + pidFile);
            assertEquals(0, stop.exitValue(), new String(stop.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    private Process sh(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return process;
    }
}
