package io.jfcgi.servlet;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's sessions, in this process's memory: made with 128 random bits as id, found by id while they
 * are valid, expired after their inactive interval (looked at on access, and all of them at most once a minute
 * when a session is made), all invalidated when the application stops. A store shared between processes is for a
 * later version; behind jspawn-fcgi with several children, have nginx keep a client on one child (sticky) meanwhile.
 */
final class Sessions {

    private static final long SWEEP_INTERVAL_MILLIS = 60_000;

    private final WebAppContext context;
    private final Map<String, BridgeSession> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile int timeoutMinutes = 30;
    private volatile long lastSweep = System.currentTimeMillis();

    Sessions(WebAppContext context) {
        this.context = context;
    }

    int timeoutMinutes() {
        return timeoutMinutes;
    }

    void setTimeoutMinutes(int minutes) {
        timeoutMinutes = minutes;
    }

    /** The valid session with {@code id}, marked accessed; null when there is none or it just expired. */
    BridgeSession find(String id, long now) {
        BridgeSession session = id == null ? null : byId.get(id);
        if (session == null) {
            return null;
        }
        if (session.expiredAt(now)) {
            session.invalidateQuietly();
            return null;
        }
        return session.accessed(now) ? session : null;
    }

    BridgeSession create(long now) {
        sweepIfDue(now);
        BridgeSession session = new BridgeSession(context, this, newId(), now, timeoutMinutes * 60);
        byId.put(session.getId(), session);
        HttpSessionEvent event = new HttpSessionEvent(session);
        for (HttpSessionListener listener : context.listeners(HttpSessionListener.class)) {
            listener.sessionCreated(event);
        }
        return session;
    }

    /** Gives {@code session} a new id (against session fixation); returns the old one. */
    String changeId(BridgeSession session) {
        String old = session.getId();
        String id = newId();
        byId.remove(old);
        session.setId(id);
        byId.put(id, session);
        HttpSessionEvent event = new HttpSessionEvent(session);
        for (HttpSessionIdListener listener : context.listeners(HttpSessionIdListener.class)) {
            listener.sessionIdChanged(event, old);
        }
        return old;
    }

    /** Called by a session as it is invalidated. */
    void removed(BridgeSession session) {
        byId.remove(session.getId(), session);
        HttpSessionEvent event = new HttpSessionEvent(session);
        List<HttpSessionListener> listeners = context.listeners(HttpSessionListener.class);
        for (int i = listeners.size() - 1; i >= 0; i--) {
            listeners.get(i).sessionDestroyed(event);
        }
    }

    void invalidateAll() {
        for (BridgeSession session : List.copyOf(byId.values())) {
            session.invalidateQuietly();
        }
    }

    private void sweepIfDue(long now) {
        if (now - lastSweep < SWEEP_INTERVAL_MILLIS) {
            return;
        }
        lastSweep = now;
        for (BridgeSession session : List.copyOf(byId.values())) {
            if (session.expiredAt(now)) {
                session.invalidateQuietly();
            }
        }
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
