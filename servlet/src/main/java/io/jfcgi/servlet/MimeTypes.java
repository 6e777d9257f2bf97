package io.jfcgi.servlet;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/**
 * Media types by file extension for what web applications serve most, then the JDK's table
 * ({@code content-types.properties}), which lacks some of them (js, woff2, wasm). A web.xml mime-mapping wins over
 * both (in {@link WebAppContext}).
 */
final class MimeTypes {

    private static final Map<String, String> COMMON = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"), Map.entry("mjs", "text/javascript"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain"), Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"));

    private MimeTypes() {
    }

    static String byExtension(String extension) {
        String type = COMMON.get(extension.toLowerCase(Locale.ROOT));
        return type != null ? type : URLConnection.getFileNameMap().getContentTypeFor("file." + extension);
    }
}
