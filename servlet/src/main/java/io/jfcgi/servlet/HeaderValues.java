package io.jfcgi.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code getHeaders(name)} returns. Web servers join the repeated fields of a request header into one FastCGI
 * param ({@code a, b}; Cookie with {@code ; }), so the separate fields cannot be told apart again. For the headers
 * whose grammar is a comma-separated list (RFC 9110 §5.6.1; joining them is what §5.3 allows) the value is split
 * into its elements, commas inside a quoted string kept and empty elements dropped: one value per element, which
 * a framework that splits each value again (Spring, Jersey) reads the same. Every other header (Cookie, User-Agent,
 * the dates, Authorization, whose values may hold commas) is one value, as sent. Jetty and Tomcat return one value
 * per field line; here a field line that was itself a list comes out as its elements.
 */
final class HeaderValues {

    /** Request headers defined as #element lists (RFC 9110, 9111, 7239, 6454 and the de-facto X-Forwarded-*). */
    private static final Set<String> LISTS = Set.of("accept", "accept-charset", "accept-encoding", "accept-language",
            "access-control-request-headers", "cache-control", "connection", "content-encoding", "content-language",
            "expect", "forwarded", "if-match", "if-none-match", "pragma", "prefer", "te", "trailer",
            "transfer-encoding", "upgrade", "via", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto");

    private HeaderValues() {
    }

    /** The values of header {@code name} whose (joined) value is {@code value}; empty for no header. */
    static List<String> of(String name, String value) {
        if (value == null) {
            return List.of();
        }
        if (!LISTS.contains(name.toLowerCase(Locale.ROOT))) {
            return List.of(value);
        }
        return elements(value);
    }

    /** The elements of a comma-separated list, trimmed of whitespace, quoted strings whole. */
    static List<String> elements(String list) {
        List<String> elements = new ArrayList<>();
        StringBuilder element = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quoted && c == '\\' && i + 1 < list.length()) {
                element.append(c).append(list.charAt(++i)); // a quoted-pair: kept as sent
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                add(elements, element);
                element.setLength(0);
                continue;
            }
            element.append(c);
        }
        add(elements, element);
        return elements;
    }

    private static void add(List<String> elements, StringBuilder element) {
        String trimmed = element.toString().strip();
        if (!trimmed.isEmpty()) {
            elements.add(trimmed);
        }
    }
}
