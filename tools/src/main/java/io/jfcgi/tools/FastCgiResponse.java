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

    /**
     * The HTTP status, as nginx reads it from the CGI headers.
     *
     * @return the number at the start of the {@code Status:} header; without one, 302 if there is a
     *         {@code Location:} header, else 200
     * @throws NumberFormatException if the {@code Status:} header does not start with three digits
     */
    public int status() {
        String status = header("Status");
        if (status != null && status.length() >= 3) {
            return Integer.parseInt(status.substring(0, 3));
        }
        return header("Location") != null ? 302 : 200;
    }

    /**
     * A CGI response header.
     *
     * @param name the header's name, in any case
     * @return the first value of that name, trimmed, or {@code null} if there is none
     */
    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /**
     * Every value of a CGI response header, such as the {@code Set-Cookie}s.
     *
     * @param name the header's name, in any case
     * @return a new list of the values in the order sent, trimmed; empty if there is none
     */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    /**
     * The response body: STDOUT after the header block.
     *
     * @return a new copy of the body's bytes; empty when STDOUT held no complete header block
     */
    public byte[] body() {
        return bodyStart < 0 ? new byte[0] : Arrays.copyOfRange(stdout, bodyStart, stdout.length);
    }

    /**
     * The response body as text.
     *
     * @return {@link #body()} decoded as UTF-8, whatever the Content-Type says
     */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /**
     * The whole STDOUT stream.
     *
     * @return a new copy of it: header block, blank line and body, as sent
     */
    public byte[] stdout() {
        return stdout.clone();
    }

    /**
     * The STDERR stream, which a web server would write to its error log.
     *
     * @return the stream decoded as UTF-8; empty if the responder sent none
     */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * How the request ended.
     *
     * @return the END_REQUEST record: appStatus and protocolStatus
     */
    public EndRequest endRequest() {
        return end;
    }

    /**
     * Every record read while waiting for this response, for tests of sequencing.
     *
     * @return an unmodifiable list in arrival order, END_REQUEST last, records of other requests included
     */
    public List<Record> records() {
        return records;
    }

    /**
     * Whether STDOUT held a complete header block, ended by a blank line.
     *
     * @return {@code false} when it did not, which nginx would answer with 502
     */
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
