package io.jfcgi.servlet;

import jakarta.servlet.http.Cookie;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Cookie request header into {@link Cookie}s, and a {@link Cookie} into a Set-Cookie value (RFC 6265). */
final class Cookies {

    private Cookies() {
    }

    /** The cookies of a Cookie header ({@code a=1; b="2"}); pairs with no name, or names the API refuses, skipped. */
    static List<Cookie> parse(String header) {
        List<Cookie> cookies = new ArrayList<>();
        if (header == null) {
            return cookies;
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            try {
                cookies.add(new Cookie(name, value));
            } catch (IllegalArgumentException e) {
                // a name the Servlet API does not allow ($Path, a token with separators): ignored
            }
        }
        return cookies;
    }

    /** The Set-Cookie header value for {@code cookie}: Max-Age with an Expires for old clients, then attributes. */
    static String format(Cookie cookie, Instant now) {
        StringBuilder out = new StringBuilder(cookie.getName()).append('=');
        String value = cookie.getValue();
        if (value != null) {
            out.append(value);
        }
        int maxAge = cookie.getMaxAge();
        if (maxAge >= 0) {
            out.append("; Max-Age=").append(maxAge);
            out.append("; Expires=").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    (maxAge == 0 ? Instant.EPOCH : now.plusSeconds(maxAge)).atOffset(ZoneOffset.UTC)));
        }
        for (Map.Entry<String, String> attribute : cookie.getAttributes().entrySet()) {
            String name = attribute.getKey();
            if (name.equalsIgnoreCase("Max-Age") || name.equalsIgnoreCase("Expires")) {
                continue;
            }
            String attributeValue = attribute.getValue();
            if (name.equalsIgnoreCase("Secure") || name.equalsIgnoreCase("HttpOnly")) {
                // the API stores these flags as "true"/"false"; a value set by setAttribute may be empty
                if (attributeValue == null || attributeValue.isEmpty() || Boolean.parseBoolean(attributeValue)) {
                    out.append("; ").append(canonical(name));
                }
            } else if (attributeValue == null || attributeValue.isEmpty()) {
                out.append("; ").append(name);
            } else {
                out.append("; ").append(canonical(name)).append('=').append(attributeValue);
            }
        }
        return out.toString();
    }

    private static String canonical(String attribute) {
        return switch (attribute.toLowerCase(java.util.Locale.ROOT)) {
            case "secure" -> "Secure";
            case "httponly" -> "HttpOnly";
            case "path" -> "Path";
            case "domain" -> "Domain";
            case "samesite" -> "SameSite";
            default -> attribute;
        };
    }
}
