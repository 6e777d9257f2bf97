package io.jfcgi.spawner.status;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which page a request asks for, and the answer: the status page at {@code statusPath}, {@code pong} at
 * {@code pingPath}, 404 for anything else. The path is SCRIPT_NAME, as PHP-FPM matches pm.status_path (nginx's
 * fastcgi_params sets it to $fastcgi_script_name), else DOCUMENT_URI, else REQUEST_URI without its query.
 */
public final class StatusRoutes {

    /** A CGI answer: status, content type and body; HEAD gets the headers only. */
    public record Answer(int status, String contentType, byte[] body) {

        /** The bytes of the response as the STDOUT stream carries them: CGI headers, a blank line, the body. */
        public byte[] cgi(boolean head) {
            String reason = switch (status) {
                case 200 -> "OK";
                case 404 -> "Not Found";
                case 413 -> "Content Too Large";
                case 431 -> "Request Header Fields Too Large";
                case 503 -> "Service Unavailable";
                default -> "Error";
            };
            byte[] headers = ("Status: " + status + " " + reason + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + body.length
                    + "\r\nExpires: Thu, 01 Jan 1970 00:00:00 GMT\r\nCache-Control: no-cache, no-store, must-revalidate,"
                    + " max-age=0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            if (head) {
                return headers;
            }
            byte[] all = java.util.Arrays.copyOf(headers, headers.length + body.length);
            System.arraycopy(body, 0, all, headers.length, body.length);
            return all;
        }
    }

    private final String statusPath;
    private final String pingPath;
    private final Supplier<StatusSnapshot> snapshots;

    public StatusRoutes(String statusPath, String pingPath, Supplier<StatusSnapshot> snapshots) {
        this.statusPath = statusPath;
        this.pingPath = pingPath;
        this.snapshots = snapshots;
    }

    /** The answer to a request whose parameters {@code params} looks up (null for one not sent). */
    public Answer answer(Function<String, String> params) {
        String path = path(params);
        if (path.equals(pingPath)) {
            return new Answer(200, "text/plain", "pong".getBytes(StandardCharsets.US_ASCII));
        }
        if (!path.equals(statusPath)) {
            return new Answer(404, "text/plain", ("no status or ping at " + path + "; this is jspawn-fcgi's status "
                    + "listener (" + statusPath + ", " + pingPath + ")\n").getBytes(StandardCharsets.UTF_8));
        }
        String query = params.apply("QUERY_STRING");
        if (query == null) {
            String uri = params.apply("REQUEST_URI");
            query = uri != null && uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : null;
        }
        StatusQuery asked = StatusQuery.parse(query);
        StatusSnapshot snapshot = snapshots.get();
        if (snapshot == null) {
            return new Answer(503, "text/plain", "the pool is starting\n".getBytes(StandardCharsets.US_ASCII));
        }
        return new Answer(200, asked.page().contentType(),
                asked.page().render(snapshot, asked.full()).getBytes(StandardCharsets.UTF_8));
    }

    static String path(Function<String, String> params) {
        for (String name : new String[] {"SCRIPT_NAME", "DOCUMENT_URI"}) {
            String value = params.apply(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        String uri = params.apply("REQUEST_URI");
        if (uri == null) {
            return "";
        }
        return uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    }
}
