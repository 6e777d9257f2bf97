package io.jfcgi.servlet;

/** A context path as given on a command line or in code, in the spec's form: "" for the root, else "/name". */
final class ContextPaths {

    private ContextPaths() {
    }

    /** @throws IllegalArgumentException for a path with a query, spaces or a dot segment */
    static String normalize(String value) {
        String path = value == null ? "" : value.trim();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            return "";
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        if (path.contains("?") || path.contains("#") || path.contains(" ") || path.contains("//")
                || !UriPath.canonical(path).equals(path)) {
            throw new IllegalArgumentException("context path '" + value + "' must be /name, a plain path");
        }
        return path;
    }
}
