package io.jfcgi.responder;

import io.jfcgi.codec.Role;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The application behind the fuzzed server: by path, the ways a handler uses a connection. Every request reads
 * each accessor of {@link Request} (what a fuzzed PARAMS stream must never break); then
 * <ul>
 * <li>{@code /probe}: the well-formed answer the fuzz target compares byte for byte ({@link #PROBE_BODY});</li>
 * <li>{@code /big}: leaves its body unread and writes {@link #BIG_BYTES}, more than the sockets' buffers hold;</li>
 * <li>{@code /stderr}: reads its body and writes to FCGI_STDERR before and after the body;</li>
 * <li>{@code /throw}: throws before anything is sent, {@code /throw-late} after its headers have gone;</li>
 * <li>anything else: reads its body (and DATA, for a filter) and describes the request.</li>
 * </ul>
 */
final class FuzzHandler implements Handler {

    static final String PROBE_BODY = "probe ok\n";
    static final int BIG_BYTES = 1 << 20;

    /** Thrown by the handler on purpose: the server logs it as an error, which is not a finding. */
    static final class OnPurpose extends RuntimeException {
        OnPurpose(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void handle(Request request, Response response) throws Exception {
        String description = describe(request);
        switch (request.path()) {
            case "/probe" -> response.write(PROBE_BODY);
            case "/big" -> {
                byte[] chunk = new byte[64 << 10];
                for (int sent = 0; sent < BIG_BYTES; sent += chunk.length) {
                    response.body().write(chunk);
                }
            }
            case "/stderr" -> {
                response.errors().write(("before " + description + "\n").getBytes(StandardCharsets.UTF_8));
                String body = read(request.body());
                response.write(description + body);
                response.errors().write("after\n".getBytes(StandardCharsets.UTF_8));
            }
            case "/throw" -> throw new OnPurpose("before the headers");
            case "/throw-late" -> {
                response.write(description);
                response.flush();
                throw new OnPurpose("after the headers");
            }
            default -> response.write(description + read(request.body())
                    + (request.role() == Role.FILTER ? " data " + read(request.data()) : ""));
        }
    }

    private static String describe(Request request) {
        return request.requestId() + " " + request.role() + " " + request.method() + " " + request.requestUri()
                + " " + request.queryString() + " " + request.headers().size() + " " + request.params().asMap().size()
                + " " + request.params().pairs().size() + " " + request.contentType() + " " + request.contentLength()
                + " " + request.remoteAddress() + " " + request.serverAddress() + "\n";
    }

    /** The body's length and CRC: enough to tell bodies apart without echoing them. */
    private static String read(InputStream body) throws IOException {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[8 << 10];
        long length = 0;
        for (int n = body.read(chunk); n >= 0; n = body.read(chunk)) {
            crc.update(chunk, 0, n);
            length += n;
        }
        return "body " + length + " crc " + Long.toHexString(crc.getValue()) + "\n";
    }
}
