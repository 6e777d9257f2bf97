package io.jfcgi.spawner.status;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Reads a status page with real parsers (Python's json, xml.dom, html.parser, and prometheus_client's OpenMetrics
 * parser, which rejects invalid OpenMetrics): read_status.py's summary of it, as JSON text. Without python3 and
 * python3-prometheus-client the tests are skipped on a developer machine and fail in CI, which installs them.
 */
public final class StatusPages {

    /** Debian's, where apt puts the module: not whatever python3 comes first on the PATH. */
    private static final String PYTHON = "/usr/bin/python3";

    private StatusPages() {
    }

    /** The pool's fields the children count, in the order {@link #summary} takes their values. */
    public static final List<String> COUNTED = List.of("shed requests", "log failures", "budget refusals",
            "overload refusals");

    /**
     * {@code {"pool": ..., "accepted": n, "rows": [[pid, uri], ...], "counted": {"shed requests": n, ...}}} as
     * read_status.py prints it.
     */
    public static String read(StatusPage page, String body) throws IOException, InterruptedException {
        requireParsers();
        Process python = new ProcessBuilder(PYTHON, script().toString(), page.name().toLowerCase())
                .redirectErrorStream(true).start();
        try (OutputStream in = python.getOutputStream()) {
            in.write(body.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!python.waitFor(30, TimeUnit.SECONDS) || python.exitValue() != 0) {
            throw new AssertionError("the " + page + " page does not parse: " + out + "\npage:\n" + body);
        }
        return out;
    }

    /** The summary read_status.py prints, for an expected value: {@code counted} in the order of {@link #COUNTED}. */
    public static String summary(String pool, long accepted, long[] counted, Object... pidsAndUris) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < pidsAndUris.length; i += 2) {
            rows.append(i > 0 ? ", " : "").append('[').append(pidsAndUris[i]).append(", \"")
                    .append(pidsAndUris[i + 1].toString().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
        }
        StringBuilder counts = new StringBuilder();
        for (int i = 0; i < COUNTED.size(); i++) {
            counts.append(i > 0 ? ", " : "").append('"').append(COUNTED.get(i)).append("\": ").append(counted[i]);
        }
        return "{\"pool\": \"" + pool + "\", \"accepted\": " + accepted + ", \"rows\": [" + rows
                + "], \"counted\": {" + counts + "}}";
    }

    private static void requireParsers() throws IOException, InterruptedException {
        int code;
        try {
            code = new ProcessBuilder(PYTHON, "-c", "import prometheus_client.openmetrics.parser")
                    .redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            code = -1;
        }
        if (code != 0) {
            String message = "python3 with prometheus_client is missing: apt-get install python3-prometheus-client";
            if (io.jfcgi.fixture.e2e.RequiredTool.inCi()) { // CI set as RequiredTool reads it, not only "true"
                throw new IllegalStateException(message + " (.ci/run must install it)");
            }
            Assumptions.abort(message + "; skipping");
        }
    }

    private static Path script() {
        try {
            return Path.of(StatusPages.class.getResource("/status/read_status.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
