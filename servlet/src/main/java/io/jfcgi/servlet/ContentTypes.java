package io.jfcgi.servlet;

import java.util.Locale;

/** The parts of a Content-Type value the bridge needs: the media type and its charset parameter. */
final class ContentTypes {

    private ContentTypes() {
    }

    /** The media type without parameters, lower case, or {@code null}. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The {@code charset} parameter's value without quotes, or {@code null}. */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String value = param.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** {@code contentType} without its charset parameter, the other parameters kept. */
    static String withoutCharset(String contentType) {
        if (contentType.indexOf(';') < 0 && contentType.indexOf('=') < 0) {
            return contentType.trim(); // a bare media type, as most are: no split, no builder
        }
        StringBuilder out = new StringBuilder();
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                continue;
            }
            if (out.length() > 0) {
                out.append(';');
            }
            out.append(out.length() == 0 ? param.trim() : param);
        }
        return out.toString();
    }
}
