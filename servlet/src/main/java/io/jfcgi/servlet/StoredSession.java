package io.jfcgi.servlet;

import java.util.Map;
import java.util.Objects;

/**
 * A session as a {@link SessionStore} keeps it: its id, times (milliseconds since the epoch), inactive interval
 * (seconds; 0 or less: never expires) and attributes.
 */
public record StoredSession(String id, long creationTime, long lastAccessedTime, int maxInactiveSeconds,
        Map<String, Object> attributes) {

    public StoredSession {
        Objects.requireNonNull(id, "id");
        attributes = Map.copyOf(attributes);
    }

    /** Whether the inactive interval has passed at {@code now}. */
    public boolean expiredAt(long now) {
        return maxInactiveSeconds > 0 && now - lastAccessedTime > maxInactiveSeconds * 1000L;
    }
}
