package io.jfcgi.benchmarks;

import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes nginx sends for a typical GET with {@code fastcgi_keep_conn on}: BEGIN_REQUEST, one PARAMS record of
 * about 1 KiB (nginx's default fastcgi_params plus a browser's headers), the empty PARAMS, the empty STDIN.
 */
final class NginxRequest {

    static final String[][] PARAMS = {
        {"QUERY_STRING", "page=2&sort=name"},
        {"REQUEST_METHOD", "GET"},
        {"CONTENT_TYPE", ""},
        {"CONTENT_LENGTH", ""},
        {"SCRIPT_NAME", "/catalog/items"},
        {"REQUEST_URI", "/catalog/items?page=2&sort=name"},
        {"DOCUMENT_URI", "/catalog/items"},
        {"DOCUMENT_ROOT", "/srv/www/shop/public"},
        {"SERVER_PROTOCOL", "HTTP/1.1"},
        {"REQUEST_SCHEME", "https"},
        {"HTTPS", "on"},
        {"GATEWAY_INTERFACE", "CGI/1.1"},
        {"SERVER_SOFTWARE", "nginx/1.22.1"},
        {"REMOTE_ADDR", "203.0.113.57"},
        {"REMOTE_PORT", "51234"},
        {"SERVER_ADDR", "192.0.2.10"},
        {"SERVER_PORT", "443"},
        {"SERVER_NAME", "shop.example.com"},
        {"REDIRECT_STATUS", "200"},
        {"HTTP_HOST", "shop.example.com"},
        {"HTTP_CONNECTION", "keep-alive"},
        {"HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36"},
        {"HTTP_ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
        {"HTTP_ACCEPT_LANGUAGE", "en-GB,en;q=0.9,de;q=0.8"},
        {"HTTP_ACCEPT_ENCODING", "gzip, deflate, br, zstd"},
        {"HTTP_REFERER", "https://shop.example.com/catalog/items?page=1&sort=name"},
        {"HTTP_COOKIE", "session=7f3a9c2e4b1d8f6a0e5c3b9d7a2f4e6c; theme=dark; consent=analytics:0,ads:0"},
        {"HTTP_SEC_FETCH_SITE", "same-origin"},
        {"HTTP_SEC_FETCH_MODE", "navigate"},
        {"HTTP_UPGRADE_INSECURE_REQUESTS", "1"},
    };

    private NginxRequest() {
    }

    static List<NameValuePair> pairs() {
        List<NameValuePair> pairs = new ArrayList<>();
        for (String[] param : PARAMS) {
            pairs.add(NameValuePair.of(param[0], param[1]));
        }
        return pairs;
    }

    static byte[] bytes() {
        List<NameValuePair> pairs = pairs();
        ByteBuffer content = ByteBuffer.allocate((int) pairs.stream().mapToLong(NameValuePair::encodedLength).sum());
        pairs.forEach(pair -> pair.writeTo(content));
        content.flip();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, RecordEncoder.encode(new BeginRequest(1, Role.RESPONDER, true)));
        write(out, RecordEncoder.encode(new Params(1, content)));
        write(out, RecordEncoder.encode(Params.endOfStream(1)));
        write(out, RecordEncoder.encode(Stdin.endOfStream(1)));
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer buffer) {
        out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    }
}
