package io.jfcgi.servlet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The error pages of an application (web.xml {@code error-page}): by status code, by exception type (the nearest
 * superclass that has one wins, Servlet 6 §10.9.2), and the default page (neither given).
 */
final class ErrorPages {

    private final Map<Integer, String> byCode = new ConcurrentHashMap<>();
    private final Map<String, String> byType = new ConcurrentHashMap<>();
    private volatile String byDefault;

    void addForCode(int code, String location) {
        byCode.put(code, location);
    }

    void addForType(String className, String location) {
        byType.put(className, location);
    }

    void addDefault(String location) {
        byDefault = location;
    }

    /** The page for {@code status}, or the default page, or null. */
    String forCode(int status) {
        String location = byCode.get(status);
        return location != null ? location : byDefault;
    }

    /** The page for {@code error}'s class or its nearest superclass that has one, or null (no default here). */
    String forThrowable(Throwable error) {
        for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
            String location = byType.get(type.getName());
            if (location != null) {
                return location;
            }
        }
        return null;
    }
}
