package io.jfcgi.tools;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.Record;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a responder sent for one request: the STDOUT stream split into CGI headers and body, STDERR, the
 * END_REQUEST, and every record in arrival order for tests that check sequencing.
 */
public final class FastCgiResponse {

    private final byte[] stdout;
    private final byte[] stderr;
    private final EndRequest end;
    private final List<Record> records;
    private final List<String[]> headers = new ArrayList<>();
    private final int bodyStart;

    FastCgiResponse(byte[] stdout, byte[] stderr, EndRequest end, List<Record> records) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.end = end;
        this.records = List.copyOf(records);
        this.bodyStart = parseHeaders();
    }

    /** The status from the {@code Status:} header; 302 for a bare Location, else 200, as nginx reads it. */
    public int status() {
        String status = header("Status");
        if (status != null && status.length() >= 3) {
            return Integer.parseInt(status.substring(0, 3));
        }
        return header("Location") != null ? 302 : 200;
    }

    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    public byte[] body() {
        return bodyStart < 0 ? new byte[0] : Arrays.copyOfRange(stdout, bodyStart, stdout.length);
    }

    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    public byte[] stdout() {
        return stdout.clone();
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public EndRequest endRequest() {
        return end;
    }

    public List<Record> records() {
        return records;
    }

    /** False when STDOUT held no complete header block (nginx would answer 502). */
    public boolean hasHeaders() {
        return bodyStart >= 0;
    }

    private int parseHeaders() {
        String text = new String(stdout, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        int sep = 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            sep = 2;
        }
        if (end < 0) {
            return -1;
        }
        for (String line : text.substring(0, end).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
        }
        return end + sep;
    }

    @Override
    public String toString() {
        return "FastCgiResponse{status=" + status() + ", headers=" + headers.size() + ", body=" + body().length
                + " bytes, stderr=" + stderr.length + " bytes, " + end + "}";
    }
}
