package io.jfcgi.responder;

import io.jfcgi.codec.NameValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed inputs of {@link ConnectionFuzzTest}: what nginx, HAProxy and broken peers send, each a
 * {@link FuzzInput}. Run it again after changing a seed (the files are committed; findings beside them are kept):
 * <pre>
 * java -cp responder/target/test-classes:fcgi-codec/target/classes io.jfcgi.responder.ConnectionFuzzSeeds \
 *   responder/src/test/resources/io/jfcgi/responder/ConnectionFuzzTestInputs/aLiveServerSurvivesAnyBytesOnAConnection
 * </pre>
 */
final class ConnectionFuzzSeeds {

    private static final int BEGIN = 1;
    private static final int ABORT = 2;
    private static final int PARAMS = 4;
    private static final int STDIN = 5;
    private static final int STDOUT = 6;
    private static final int DATA = 8;
    private static final int GET_VALUES = 9;
    private static final int RESPONDER = 1;
    private static final int AUTHORIZER = 2;
    private static final int FILTER = 3;

    private final Path directory;

    private ConnectionFuzzSeeds(Path directory) {
        this.directory = directory;
    }

    public static void main(String[] args) throws IOException {
        ConnectionFuzzSeeds seeds = new ConnectionFuzzSeeds(Path.of(args[0]));
        Files.createDirectories(seeds.directory);
        seeds.writeAll();
    }

    private void writeAll() throws IOException {
        byte[] get = request(1, RESPONDER, false, nginx("GET", "/echo?a=1", ""), new byte[0]);
        write("nginx-get", plain(get));
        write("nginx-get-kept-open", open(get));
        byte[] body = "name=value&other=".repeat(40).getBytes(StandardCharsets.US_ASCII);
        byte[] post = request(1, RESPONDER, true, nginx("POST", "/echo", String.valueOf(body.length)), body);
        write("nginx-post-kept", open(post));
        write("nginx-post-cut-in-headers", new FuzzInput(post, new int[] {3, 13}, true, false));
        write("nginx-post-cut-in-pairs", new FuzzInput(post, new int[] {40, post.length - 100}, true, false));
        write("nginx-keepalive-three-requests", open(concat(post,
                request(1, RESPONDER, true, nginx("GET", "/stderr", ""), new byte[0]),
                request(1, RESPONDER, false, nginx("GET", "/probe", ""), new byte[0]))));
        write("body-larger-than-the-buffer", open(request(1, RESPONDER, true,
                nginx("POST", "/echo", "20000"), new byte[20000])));
        write("unread-body-larger-than-the-buffer", open(request(1, RESPONDER, true,
                nginx("POST", "/throw", "20000"), new byte[20000])));
        write("big-answer", open(request(1, RESPONDER, true, nginx("GET", "/big", ""), new byte[0])));
        write("big-answer-reset", new FuzzInput(request(1, RESPONDER, true, nginx("GET", "/big", ""), new byte[0]),
                new int[0], false, true));
        write("throw-before-and-after-headers", open(concat(
                request(1, RESPONDER, true, nginx("GET", "/throw", ""), new byte[0]),
                request(1, RESPONDER, true, nginx("GET", "/throw-late", ""), new byte[0]))));
        write("haproxy-multiplexed", open(multiplexed()));
        write("more-requests-than-workers-and-queue", open(manyRequests(8)));
        write("more-requests-than-a-connection-takes", open(manyRequests(12)));
        write("get-values", open(concat(record(GET_VALUES, 0, pairs(Map.of("FCGI_MAX_CONNS", "",
                "FCGI_MAX_REQS", "", "FCGI_MPXS_CONNS", "", "FCGI_UNKNOWN", "")), 0), get)));
        write("get-values-malformed", open(record(GET_VALUES, 0, new byte[] {5, 0, 'F'}, 0)));
        write("abort-mid-body", open(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                params(1, nginx("POST", "/echo", "10000")), record(STDIN, 1, new byte[3000], 0),
                record(ABORT, 1, new byte[0], 0), record(STDIN, 1, new byte[3000], 0),
                request(1, RESPONDER, true, nginx("GET", "/echo", ""), new byte[0]))));
        write("abort-before-params-end", open(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                record(ABORT, 1, new byte[0], 0), get)));
        write("abort-an-unknown-id", open(concat(record(ABORT, 9, new byte[0], 0), get)));
        byte[] badVersion = get.clone();
        badVersion[0] = 2;
        write("bad-version", open(badVersion));
        byte[] badVersionLater = concat(post, get);
        badVersionLater[post.length] = 0;
        write("bad-version-after-a-request", open(badVersionLater));
        write("huge-content-length", plain(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                header(1, PARAMS, 1, 0xFFFF, 0xFF), new byte[100])));
        write("huge-pair-length", open(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                record(PARAMS, 1, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 'x'}, 0),
                record(PARAMS, 1, new byte[0], 0), get)));
        write("padding-255", open(request(1, RESPONDER, true, nginx("POST", "/echo", "5"),
                "hello".getBytes(StandardCharsets.US_ASCII), 255)));
        write("pairs-straddling-records", open(straddlingPairs()));
        write("params-over-the-limits", open(concat(request(1, RESPONDER, true,
                Map.of("REQUEST_URI", "/echo", "X".repeat(300), "y"), new byte[0]), get)));
        write("truncated-pair", open(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                record(PARAMS, 1, new byte[] {5, 3, 'S', 'C'}, 0), record(PARAMS, 1, new byte[0], 0), get)));
        write("unknown-role", open(concat(record(BEGIN, 1, begin(9, true), 0), get)));
        write("filter-with-data", open(concat(record(BEGIN, 1, begin(FILTER, true), 0),
                params(1, nginx("POST", "/echo", "4")), record(STDIN, 1, "body".getBytes(StandardCharsets.US_ASCII), 0),
                record(STDIN, 1, new byte[0], 0), record(DATA, 1, "file".getBytes(StandardCharsets.US_ASCII), 0),
                record(DATA, 1, new byte[0], 0))));
        write("authorizer", open(concat(record(BEGIN, 1, begin(AUTHORIZER, false), 0),
                params(1, nginx("GET", "/echo", "")))));
        write("begin-twice", open(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                record(BEGIN, 1, begin(RESPONDER, true), 0), params(1, nginx("GET", "/echo", "")),
                record(STDIN, 1, new byte[0], 0))));
        write("unknown-type-and-server-records", open(concat(record(42, 0, "?".getBytes(StandardCharsets.US_ASCII), 0),
                record(STDOUT, 1, "x".getBytes(StandardCharsets.US_ASCII), 0), get)));
        write("stdin-before-params-end", open(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                record(STDIN, 1, "early".getBytes(StandardCharsets.US_ASCII), 0), params(1, nginx("POST", "/echo", "5")),
                record(STDIN, 1, new byte[0], 0))));
        write("params-never-end", open(concat(record(BEGIN, 1, begin(RESPONDER, true), 0),
                record(PARAMS, 1, pairs(nginx("GET", "/echo", "")), 0))));
        write("bad-content-length-param", open(request(1, RESPONDER, true, nginx("POST", "/echo", "-12x"),
                "body".getBytes(StandardCharsets.US_ASCII))));
    }

    private static FuzzInput plain(byte[] stream) {
        return new FuzzInput(stream, new int[0], false, false);
    }

    private static FuzzInput open(byte[] stream) {
        return new FuzzInput(stream, new int[0], true, false);
    }

    private void write(String name, FuzzInput input) throws IOException {
        Files.write(directory.resolve("seed-" + name), input.encode());
    }

    /** The parameters nginx's fastcgi_params sends, for a method, URI and CONTENT_LENGTH. */
    private static Map<String, String> nginx(String method, String uri, String contentLength) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = uri.indexOf('?');
        params.put("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1));
        params.put("REQUEST_METHOD", method);
        params.put("CONTENT_TYPE", contentLength.isEmpty() ? "" : "application/x-www-form-urlencoded");
        params.put("CONTENT_LENGTH", contentLength);
        params.put("SCRIPT_NAME", q < 0 ? uri : uri.substring(0, q));
        params.put("REQUEST_URI", uri);
        params.put("DOCUMENT_URI", q < 0 ? uri : uri.substring(0, q));
        params.put("DOCUMENT_ROOT", "/var/www/html");
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("REQUEST_SCHEME", "http");
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("SERVER_SOFTWARE", "nginx/1.26.3");
        params.put("REMOTE_ADDR", "127.0.0.1");
        params.put("REMOTE_PORT", "51234");
        params.put("SERVER_ADDR", "127.0.0.1");
        params.put("SERVER_PORT", "8080");
        params.put("SERVER_NAME", "localhost");
        params.put("REDIRECT_STATUS", "200");
        params.put("HTTP_HOST", "localhost:8080");
        params.put("HTTP_USER_AGENT", "curl/8.14.1");
        params.put("HTTP_ACCEPT", "*/*");
        return params;
    }

    private static byte[] request(int id, int role, boolean keep, Map<String, String> params, byte[] body) {
        return request(id, role, keep, params, body, 0);
    }

    /** BEGIN_REQUEST, PARAMS, STDIN in records of at most 1000 bytes, each with {@code padding} bytes. */
    private static byte[] request(int id, int role, boolean keep, Map<String, String> params, byte[] body,
            int padding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(record(BEGIN, id, begin(role, keep), padding));
        out.writeBytes(record(PARAMS, id, pairs(params), padding));
        out.writeBytes(record(PARAMS, id, new byte[0], padding));
        for (int from = 0; from < body.length; from += 1000) {
            out.writeBytes(record(STDIN, id, java.util.Arrays.copyOfRange(body, from,
                    Math.min(body.length, from + 1000)), padding));
        }
        out.writeBytes(record(STDIN, id, new byte[0], padding));
        return out.toByteArray();
    }

    private static byte[] params(int id, Map<String, String> params) {
        return concat(record(PARAMS, id, pairs(params), 0), record(PARAMS, id, new byte[0], 0));
    }

    /** HAProxy's way: ids 1, 3, 5, their records interleaved, bodies still coming while others begin. */
    private static byte[] multiplexed() {
        byte[] chunk = "0123456789".repeat(50).getBytes(StandardCharsets.US_ASCII);
        return concat(record(BEGIN, 1, begin(RESPONDER, true), 0), record(BEGIN, 3, begin(RESPONDER, true), 0),
                params(1, nginx("POST", "/echo", "1000")), params(3, nginx("GET", "/big", "")),
                record(STDIN, 1, chunk, 0), record(BEGIN, 5, begin(RESPONDER, true), 0), record(STDIN, 3, new byte[0], 0),
                params(5, nginx("POST", "/stderr", "500")), record(STDIN, 5, chunk, 0), record(STDIN, 1, chunk, 0),
                record(STDIN, 5, new byte[0], 0), record(STDIN, 1, new byte[0], 0));
    }

    private static byte[] manyRequests(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id = 1; id <= count; id++) {
            out.writeBytes(record(BEGIN, id, begin(RESPONDER, true), 0));
            out.writeBytes(params(id, nginx("GET", "/echo", "")));
        }
        for (int id = 1; id <= count; id++) {
            out.writeBytes(record(STDIN, id, new byte[0], 0));
        }
        return out.toByteArray();
    }

    /** One pair's length, name and value each cut across PARAMS records (§3.4 allows any split). */
    private static byte[] straddlingPairs() {
        byte[] all = pairs(nginx("GET", "/echo?straddle=1", ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(record(BEGIN, 1, begin(RESPONDER, true), 0));
        int[] cuts = {1, 2, 7, 30, 31, all.length - 3, all.length};
        int from = 0;
        for (int cut : cuts) {
            out.writeBytes(record(PARAMS, 1, java.util.Arrays.copyOfRange(all, from, cut), 0));
            from = cut;
        }
        out.writeBytes(record(PARAMS, 1, new byte[0], 0));
        out.writeBytes(record(STDIN, 1, new byte[0], 0));
        return out.toByteArray();
    }

    private static byte[] pairs(Map<String, String> params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        params.forEach((name, value) -> {
            NameValuePair pair = NameValuePair.of(name, value);
            ByteBuffer bytes = ByteBuffer.allocate((int) pair.encodedLength());
            pair.writeTo(bytes);
            out.writeBytes(bytes.array());
        });
        return out.toByteArray();
    }

    private static byte[] begin(int role, boolean keep) {
        return new byte[] {(byte) (role >> 8), (byte) role, (byte) (keep ? 1 : 0), 0, 0, 0, 0, 0};
    }

    private static byte[] record(int type, int id, byte[] content, int padding) {
        return concat(header(1, type, id, content.length, padding), content, new byte[padding]);
    }

    /** A record header as written, whatever it claims. */
    private static byte[] header(int version, int type, int id, int contentLength, int padding) {
        return new byte[] {(byte) version, (byte) type, (byte) (id >> 8), (byte) id, (byte) (contentLength >> 8),
            (byte) contentLength, (byte) padding, 0};
    }

    private static byte[] concat(byte[]... parts) {
        return Wire.concat(parts);
    }
}
