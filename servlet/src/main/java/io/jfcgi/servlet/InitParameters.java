package io.jfcgi.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The init parameters of a registration or of the context: set once each, never overwritten (Servlet 6 §4.8). */
final class InitParameters {

    private final Map<String, String> values = Collections.synchronizedMap(new LinkedHashMap<>());

    /** @return false when {@code name} already has a value, which stays */
    boolean set(String name, String value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("an init parameter's name and value must not be null");
        }
        return values.putIfAbsent(name, value) == null;
    }

    /** @return the names that already had a value, none of the map set if there is one */
    Set<String> setAll(Map<String, String> parameters) {
        Set<String> conflicts = new HashSet<>();
        synchronized (values) {
            parameters.forEach((name, value) -> {
                if (name == null || value == null) {
                    throw new IllegalArgumentException("an init parameter's name and value must not be null");
                }
                if (values.containsKey(name)) {
                    conflicts.add(name);
                }
            });
            if (conflicts.isEmpty()) {
                values.putAll(parameters);
            }
        }
        return conflicts;
    }

    String get(String name) {
        return values.get(name);
    }

    Enumeration<String> names() {
        synchronized (values) {
            return Collections.enumeration(Set.copyOf(values.keySet()));
        }
    }

    Map<String, String> asMap() {
        synchronized (values) {
            return Map.copyOf(values);
        }
    }
}
