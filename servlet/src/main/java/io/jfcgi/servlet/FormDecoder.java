package io.jfcgi.servlet;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} text (a query string or a form body) into parameters, in order. The
 * JDK's URLDecoder does the decoding; a pair with a broken escape is skipped, as Tomcat and Jetty do, rather than
 * failing the whole request.
 */
final class FormDecoder {

    private FormDecoder() {
    }

    /** Adds each {@code name=value} pair of {@code text} to {@code into}, decoded with {@code charset}. */
    static void decode(String text, Charset charset, Map<String, List<String>> into) {
        if (text == null || text.isEmpty()) {
            return;
        }
        int at = 0;
        while (at <= text.length()) {
            int end = text.indexOf('&', at);
            if (end < 0) {
                end = text.length();
            }
            if (end > at) {
                String pair = text.substring(at, end);
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    String decodedName = URLDecoder.decode(name, charset);
                    String decodedValue = URLDecoder.decode(value, charset);
                    into.computeIfAbsent(decodedName, n -> new ArrayList<>(1)).add(decodedValue);
                } catch (IllegalArgumentException e) {
                    // a broken % escape: this pair only is dropped
                }
            }
            at = end + 1;
        }
    }
}
