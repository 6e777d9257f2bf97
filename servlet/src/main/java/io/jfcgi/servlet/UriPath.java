package io.jfcgi.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The canonical form of a request URI's path (Servlet 6 §3.5.2), which is what the mappings see: path parameters
 * ({@code ;jsessionid=...}) dropped, each segment percent-decoded as UTF-8, runs of {@code /} made one, {@code .}
 * and {@code ..} resolved. A path that climbs above the root, or hides a {@code /}, a {@code \}, a NUL or a dot
 * segment behind an escape, is refused: those are the ways around a security constraint on a path.
 */
final class UriPath {

    private UriPath() {
    }

    /**
     * @param raw the path part of REQUEST_URI, as sent (not decoded)
     * @return the canonical path, starting with {@code /}
     * @throws BadRequestException when the path is malformed or escapes the root
     */
    static String canonical(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw new BadRequestException("the request path '" + raw + "' does not start with /");
        }
        if (isCanonical(raw)) {
            return raw; // most paths: no split, no copies, on every request
        }
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = raw.substring(1).split("/", -1);
        for (String part : parts) {
            int semicolon = part.indexOf(';');
            String segment = semicolon < 0 ? part : part.substring(0, semicolon);
            if (segment.equals("..")) {
                if (segments.pollLast() == null) {
                    throw new BadRequestException("the request path '" + raw + "' climbs above the root");
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                String decoded = decode(segment, raw);
                if (decoded.equals(".") || decoded.equals("..")) {
                    throw new BadRequestException("the request path '" + raw + "' hides a dot segment");
                }
                segments.addLast(decoded);
            }
        }
        // "/a/", "/a/." and "/a/b/.." all name the directory /a/.
        String lastPart = parts[parts.length - 1];
        int semicolon = lastPart.indexOf(';');
        String last = semicolon < 0 ? lastPart : lastPart.substring(0, semicolon);
        boolean trailingSlash = last.isEmpty() || last.equals(".") || last.equals("..");
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder(raw.length());
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        return trailingSlash ? path.append('/').toString() : path.toString();
    }

    /** No escape, path parameter, backslash, NUL, empty segment or segment starting with a dot: nothing to do. */
    private static boolean isCanonical(String raw) {
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || c == ';' || c == '\\' || c == 0 || (c == '/' || c == '.') && raw.charAt(i - 1) == '/') {
                return false;
            }
        }
        return true;
    }

    /** Percent-decodes one segment as UTF-8; {@code +} stays a plus in a path. */
    private static String decode(String segment, String raw) {
        if (segment.indexOf('%') < 0) {
            check(segment, raw);
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new BadRequestException("the request path '" + raw + "' has a truncated % escape");
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new BadRequestException("the request path '" + raw + "' has a bad % escape");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        String decoded = bytes.toString(StandardCharsets.UTF_8);
        check(decoded, raw);
        return decoded;
    }

    private static void check(String segment, String raw) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\' || c == 0) {
                throw new BadRequestException("the request path '" + raw + "' has an encoded /, \\ or NUL");
            }
        }
    }
}
