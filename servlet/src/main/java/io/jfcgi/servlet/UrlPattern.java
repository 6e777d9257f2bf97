package io.jfcgi.servlet;

import jakarta.servlet.http.MappingMatch;

/**
 * One {@code url-pattern} (Servlet 6 §12.2) and its kind: {@code ""} the context root, {@code /} the default,
 * {@code /path/*} a prefix, {@code *.ext} an extension, anything else starting with {@code /} an exact path.
 *
 * @param text the pattern as written
 * @param kind which of the four kinds (or the context root)
 * @param key what a path is compared with: the prefix without {@code /*}, the extension without {@code *.}, the
 *            exact path itself
 */
record UrlPattern(String text, MappingMatch kind, String key) {

    /** @throws IllegalArgumentException naming a pattern of none of the kinds */
    static UrlPattern parse(String text) {
        if (text.isEmpty()) {
            return new UrlPattern(text, MappingMatch.CONTEXT_ROOT, "");
        }
        if (text.equals("/")) {
            return new UrlPattern(text, MappingMatch.DEFAULT, "/");
        }
        if (text.startsWith("*.") && text.length() > 2 && text.indexOf('/') < 0) {
            return new UrlPattern(text, MappingMatch.EXTENSION, text.substring(2));
        }
        if (text.startsWith("/") && text.endsWith("/*")) {
            return new UrlPattern(text, MappingMatch.PATH, text.substring(0, text.length() - 2));
        }
        if (text.startsWith("/") && text.indexOf('*') < 0) {
            return new UrlPattern(text, MappingMatch.EXACT, text);
        }
        throw new IllegalArgumentException("url-pattern '" + text
                + "' is none of: /exact/path, /prefix/*, *.extension, / or the empty string");
    }

    /** Whether {@code path} (canonical, within the application) is one this pattern maps. */
    boolean matches(String path) {
        return switch (kind) {
            case CONTEXT_ROOT -> path.equals("/");
            case DEFAULT -> true;
            case EXACT -> path.equals(key);
            case PATH -> path.equals(key) || path.startsWith(key) && path.length() > key.length()
                    && path.charAt(key.length()) == '/' || key.isEmpty();
            case EXTENSION -> key.equals(extension(path));
        };
    }

    /** The extension of the path's last segment (after its last dot), or {@code null} when it has none. */
    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && dot < path.length() - 1 ? path.substring(dot + 1) : null;
    }
}
