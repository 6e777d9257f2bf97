package io.jfcgi.servlet;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servlet mappings of one application and the lookup of Servlet 6 §12.1: an exact match first, then the
 * longest prefix, then the extension of the last segment, then the default servlet. Mappings are added while the
 * application starts and read by every request after; a pattern maps to one servlet only.
 */
final class ServletMappings {

    /** Pattern text → (servlet name, pattern). */
    private final Map<String, Entry> byPattern = new ConcurrentHashMap<>();
    private final Map<String, Entry> exact = new ConcurrentHashMap<>();
    private final Map<String, Entry> prefix = new ConcurrentHashMap<>();
    private final Map<String, Entry> extension = new ConcurrentHashMap<>();
    private volatile Entry contextRoot;
    private volatile Entry byDefault;

    private record Entry(String servletName, UrlPattern pattern) {
    }

    /**
     * Maps {@code pattern} to {@code servletName}.
     *
     * @return false, mapping nothing, when the pattern is already mapped to another servlet
     */
    boolean add(String pattern, String servletName) {
        UrlPattern parsed = UrlPattern.parse(pattern);
        Entry entry = new Entry(servletName, parsed);
        Entry before = byPattern.putIfAbsent(pattern, entry);
        if (before != null) {
            return before.servletName().equals(servletName);
        }
        switch (parsed.kind()) {
            case CONTEXT_ROOT -> contextRoot = entry;
            case DEFAULT -> byDefault = entry;
            case EXACT -> exact.put(parsed.key(), entry);
            case PATH -> prefix.put(parsed.key(), entry);
            case EXTENSION -> extension.put(parsed.key(), entry);
        }
        return true;
    }

    /** The servlet name {@code pattern} maps to, or {@code null}. */
    String servletFor(String pattern) {
        Entry entry = byPattern.get(pattern);
        return entry == null ? null : entry.servletName();
    }

    /** The patterns mapped to {@code servletName}. */
    java.util.List<String> patternsOf(String servletName) {
        return byPattern.values().stream().filter(e -> e.servletName().equals(servletName))
                .map(e -> e.pattern().text()).sorted().toList();
    }

    /** @param path canonical and within the application, starting with {@code /} */
    Optional<ServletMatch> match(String path) {
        Entry entry = path.equals("/") ? contextRoot : null;
        if (entry == null) {
            entry = exact.get(path);
        }
        if (entry == null) {
            entry = longestPrefix(path);
        }
        if (entry == null) {
            String ext = UrlPattern.extension(path);
            entry = ext == null ? null : extension.get(ext);
        }
        if (entry == null) {
            entry = byDefault;
        }
        return entry == null ? Optional.empty() : Optional.of(ServletMatch.of(entry.servletName(), entry.pattern(),
                path));
    }

    private Entry longestPrefix(String path) {
        if (prefix.isEmpty()) {
            return null;
        }
        // "/a/b/" is under the prefix "/a/b"; then "/a", then "" (the pattern "/*").
        String candidate = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        while (true) {
            Entry entry = prefix.get(candidate);
            if (entry != null) {
                return entry;
            }
            if (candidate.isEmpty()) {
                return null;
            }
            candidate = candidate.substring(0, candidate.lastIndexOf('/'));
        }
    }
}
