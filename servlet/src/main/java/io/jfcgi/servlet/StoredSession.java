package io.jfcgi.servlet;

import java.util.Map;
import java.util.Objects;

/**
 * A session as a {@link SessionStore} keeps it: its id, times (milliseconds since the epoch), inactive interval
 * (seconds; 0 or less: never expires) and attributes.
 *
 * @param id                 the session id
 * @param creationTime       when it was made, in milliseconds since the epoch
 * @param lastAccessedTime   when a request last used it, in milliseconds since the epoch
 * @param maxInactiveSeconds how long it may go unused, in seconds; 0 or less: it never expires
 * @param attributes         its attributes, copied
 */
public record StoredSession(String id, long creationTime, long lastAccessedTime, int maxInactiveSeconds,
        Map<String, Object> attributes) {

    /**
     * Checks the id and copies the attributes.
     *
     * @param id                 the session id; not null
     * @param creationTime       when it was made, in milliseconds since the epoch
     * @param lastAccessedTime   when a request last used it, in milliseconds since the epoch
     * @param maxInactiveSeconds how long it may go unused, in seconds; 0 or less: it never expires
     * @param attributes         its attributes, copied
     */
    public StoredSession {
        Objects.requireNonNull(id, "id");
        attributes = Map.copyOf(attributes);
    }

    /**
     * Whether the inactive interval has passed.
     *
     * @param now the time to judge by, in milliseconds since the epoch
     * @return true when it has gone unused longer than its interval (never, when that is 0 or less)
     */
    public boolean expiredAt(long now) {
        return maxInactiveSeconds > 0 && now - lastAccessedTime > maxInactiveSeconds * 1000L;
    }
}
