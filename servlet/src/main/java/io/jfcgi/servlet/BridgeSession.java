package io.jfcgi.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One session. It is valid from creation until {@link #invalidate} or its inactive interval passes without an
 * access; after that every method but the id's and the context's throws IllegalStateException, as the spec asks.
 */
final class BridgeSession implements HttpSession {

    private final WebAppContext context;
    private final Sessions sessions;
    private final long creationTime;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile String id;
    private volatile long lastAccessedTime;
    private volatile long thisAccessTime;
    private volatile int maxInactiveInterval;
    private volatile boolean isNew = true;
    private volatile boolean valid = true;

    BridgeSession(WebAppContext context, Sessions sessions, String id, long now, int maxInactiveSeconds) {
        this.context = context;
        this.sessions = sessions;
        this.id = id;
        this.creationTime = now;
        this.lastAccessedTime = now;
        this.thisAccessTime = now;
        this.maxInactiveInterval = maxInactiveSeconds;
    }

    /** A session loaded from the store: valid, no longer new, its attributes as saved. */
    static BridgeSession restored(WebAppContext context, Sessions sessions, StoredSession stored) {
        BridgeSession session = new BridgeSession(context, sessions, stored.id(), stored.creationTime(),
                stored.maxInactiveSeconds());
        session.lastAccessedTime = stored.lastAccessedTime();
        session.thisAccessTime = stored.lastAccessedTime();
        session.isNew = false;
        session.attributes.putAll(stored.attributes());
        return session;
    }

    /** The session as a store keeps it: the last access is this request's. */
    StoredSession snapshot() {
        return new StoredSession(id, creationTime, thisAccessTime, maxInactiveInterval, Map.copyOf(attributes));
    }

    boolean expiredAt(long now) {
        int interval = maxInactiveInterval;
        return interval > 0 && now - thisAccessTime > interval * 1000L;
    }

    /** A request joined this session: it is no longer new. @return false when it was invalidated meanwhile */
    boolean accessed(long now) {
        if (!valid) {
            return false;
        }
        lastAccessedTime = thisAccessTime;
        thisAccessTime = now;
        isNew = false;
        return true;
    }

    void setId(String value) {
        id = value;
    }

    void invalidateQuietly() {
        if (valid) {
            try {
                invalidate();
            } catch (IllegalStateException e) {
                // invalidated by another thread meanwhile
            }
        }
    }

    @Override
    public long getCreationTime() {
        checkValid();
        return creationTime;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public long getLastAccessedTime() {
        checkValid();
        return lastAccessedTime;
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        maxInactiveInterval = interval;
    }

    @Override
    public int getMaxInactiveInterval() {
        return maxInactiveInterval;
    }

    @Override
    public Object getAttribute(String name) {
        checkValid();
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        checkValid();
        return Collections.enumeration(Set.copyOf(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        checkValid();
        if (value == null) {
            removeAttribute(name);
            return;
        }
        if (value instanceof HttpSessionBindingListener bound) {
            bound.valueBound(new HttpSessionBindingEvent(this, name, value));
        }
        Object before = attributes.put(name, value);
        if (before != value && before instanceof HttpSessionBindingListener unbound) {
            unbound.valueUnbound(new HttpSessionBindingEvent(this, name, before));
        }
        for (HttpSessionAttributeListener listener : context.listeners(HttpSessionAttributeListener.class)) {
            if (before == null) {
                listener.attributeAdded(new HttpSessionBindingEvent(this, name, value));
            } else {
                listener.attributeReplaced(new HttpSessionBindingEvent(this, name, before));
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        checkValid();
        Object before = attributes.remove(name);
        if (before == null) {
            return;
        }
        if (before instanceof HttpSessionBindingListener unbound) {
            unbound.valueUnbound(new HttpSessionBindingEvent(this, name, before));
        }
        for (HttpSessionAttributeListener listener : context.listeners(HttpSessionAttributeListener.class)) {
            listener.attributeRemoved(new HttpSessionBindingEvent(this, name, before));
        }
    }

    @Override
    public synchronized void invalidate() {
        checkValid();
        sessions.removed(this); // listeners see the session still valid, as sessionDestroyed's contract says
        valid = false;
        for (String name : Set.copyOf(attributes.keySet())) {
            Object before = attributes.remove(name);
            if (before instanceof HttpSessionBindingListener unbound) {
                unbound.valueUnbound(new HttpSessionBindingEvent(this, name, before));
            }
        }
    }

    @Override
    public boolean isNew() {
        checkValid();
        return isNew;
    }

    boolean isValid() {
        return valid;
    }

    private void checkValid() {
        if (!valid) {
            throw new IllegalStateException("the session " + id + " has been invalidated");
        }
    }
}
