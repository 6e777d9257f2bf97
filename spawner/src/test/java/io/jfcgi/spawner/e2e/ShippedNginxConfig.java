package io.jfcgi.spawner.e2e;

import io.jfcgi.fixture.e2e.NginxProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One of the configurations in nginx-conf/, as an operator installs it (copied to the nginx prefix as jfcgi/), with
 * only its example addresses moved to the test's free ports and directory.
 */
final class ShippedNginxConfig {

    static final Path DIRECTORY = Launch.ROOT.resolve("nginx-conf");

    private ShippedNginxConfig() {
    }

    /** Every *.conf that nginx-conf/ ships as a server; locations to include (jfcgi-status.conf) are not. */
    static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".conf")
                    && Launch.read(f).lines().anyMatch(line -> line.startsWith("server {"))).sorted().toList();
        }
    }

    /**
     * Starts nginx on {@code file}: its "listen 8080" on nginx's free port, the FastCGI ports 9002 and 9003 on
     * {@code fcgiPorts}, and unix sockets under /run/jfcgi/ in {@code socketDirectory}.
     */
    static NginxProcess start(Path nginxDir, String file, int[] fcgiPorts, Path socketDirectory)
            throws IOException, InterruptedException {
        Files.createDirectories(nginxDir.resolve("jfcgi"));
        Files.copy(DIRECTORY.resolve("fastcgi_params"), nginxDir.resolve("jfcgi/fastcgi_params"));
        String text = Files.readString(DIRECTORY.resolve(file))
                .replace("listen 8080;", "listen 127.0.0.1:%PORT%;")
                .replace("unix:/run/jfcgi/", "unix:" + socketDirectory + "/");
        int[] examples = {9002, 9003};
        for (int i = 0; i < examples.length && i < fcgiPorts.length; i++) {
            text = text.replace("127.0.0.1:" + examples[i], "127.0.0.1:" + fcgiPorts[i]);
        }
        return NginxProcess.start(nginxDir, text);
    }
}
