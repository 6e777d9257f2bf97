package io.jfcgi.servlet;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The application's sessions: made with 128 random bits as id, kept between requests in a {@link SessionStore}
 * (this process's memory unless another was chosen), expired after their inactive interval (looked at on access,
 * and the whole store at most once a minute when a session is made).
 *
 * <p>A session in use is <i>active</i>: the first request that asks for it loads it from the store, the requests
 * of this process that use it meanwhile share that one object, and the last of them to end saves it back
 * ({@link #release}). With the memory store the attributes stay the same objects; a store outside the process
 * serializes them, and a save that fails is one line in the log. Stopping the application invalidates the
 * sessions only the memory store held; a shared store keeps its sessions for the other processes.
 */
final class Sessions {

    private static final long SWEEP_INTERVAL_MILLIS = 60_000;

    /** A session in use, and by how many requests of this process. */
    private static final class Active {
        final BridgeSession session;
        int uses = 1;

        Active(BridgeSession session) {
            this.session = session;
        }
    }

    private final WebAppContext context;
    private final Map<String, Active> active = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile SessionStore store = SessionStore.inMemory();
    private volatile boolean storeChosen;
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

    /** Keeps sessions in {@code value} from now on; before the application serves. */
    void useStore(SessionStore value) {
        store = value;
        storeChosen = true;
    }

    /** Whether a store was chosen in code or on the command line (a context-param then does not override it). */
    boolean storeChosen() {
        return storeChosen;
    }

    SessionStore store() {
        return store;
    }

    /**
     * The valid session with {@code id}, marked accessed and active for the caller until it {@link #release}s
     * it; null when there is none or it just expired.
     */
    BridgeSession find(String id, long now) {
        if (id == null) {
            return null;
        }
        BridgeSession session = join(id);
        if (session == null) {
            session = load(id);
            if (session == null) {
                return null;
            }
            session = joinOrAdd(session);
        }
        if (session.expiredAt(now)) {
            session.invalidateQuietly();
            return null;
        }
        if (!session.accessed(now)) {
            release(session);
            return null;
        }
        return session;
    }

    /** A new session, active for the caller until it {@link #release}s it. */
    BridgeSession create(long now) {
        sweepIfDue(now);
        BridgeSession session = new BridgeSession(context, this, newId(), now, timeoutMinutes * 60);
        synchronized (this) {
            active.put(session.getId(), new Active(session));
        }
        HttpSessionEvent event = new HttpSessionEvent(session);
        for (HttpSessionListener listener : context.listeners(HttpSessionListener.class)) {
            listener.sessionCreated(event);
        }
        return session;
    }

    /**
     * A request that used {@code session} has ended: the last one saves it to the store. A failed save is logged
     * (the request is answered all the same), and the session stays as it was in the store.
     */
    void release(BridgeSession session) {
        synchronized (this) {
            Active entry = active.get(session.getId());
            if (entry == null || entry.session != session || --entry.uses > 0) {
                return;
            }
        }
        save(session);
        synchronized (this) {
            Active entry = active.get(session.getId());
            if (entry != null && entry.session == session && entry.uses == 0) {
                active.remove(session.getId()); // unless a request joined it while it was being saved
            }
        }
    }

    /** Gives {@code session} a new id (against session fixation); returns the old one. */
    String changeId(BridgeSession session) {
        String old = session.getId();
        String id = newId();
        synchronized (this) {
            Active entry = active.remove(old);
            session.setId(id);
            if (entry != null) {
                active.put(id, entry);
            }
        }
        removeStored(old);
        HttpSessionEvent event = new HttpSessionEvent(session);
        for (HttpSessionIdListener listener : context.listeners(HttpSessionIdListener.class)) {
            listener.sessionIdChanged(event, old);
        }
        return old;
    }

    /** Called by a session as it is invalidated. */
    void removed(BridgeSession session) {
        synchronized (this) {
            Active entry = active.get(session.getId());
            if (entry != null && entry.session == session) {
                active.remove(session.getId());
            }
        }
        removeStored(session.getId());
        HttpSessionEvent event = new HttpSessionEvent(session);
        List<HttpSessionListener> listeners = context.listeners(HttpSessionListener.class);
        for (int i = listeners.size() - 1; i >= 0; i--) {
            listeners.get(i).sessionDestroyed(event);
        }
    }

    /**
     * The application stops: the sessions only this process held are invalidated; a shared store's stay for the
     * other processes (the active ones are saved there first).
     */
    void invalidateAll() {
        List<BridgeSession> inUse;
        synchronized (this) {
            inUse = new ArrayList<>();
            active.values().forEach(entry -> inUse.add(entry.session));
        }
        if (store instanceof MemorySessionStore memory) {
            inUse.forEach(BridgeSession::invalidateQuietly);
            for (StoredSession stored : memory.removeAll()) {
                BridgeSession.restored(context, this, stored).invalidateQuietly();
            }
            return;
        }
        inUse.forEach(this::save);
        synchronized (this) {
            active.clear();
        }
    }

    /** Joins an active session: the caller now uses it too. */
    private synchronized BridgeSession join(String id) {
        Active entry = active.get(id);
        if (entry == null) {
            return null;
        }
        entry.uses++;
        return entry.session;
    }

    /** Makes a loaded session active, unless another request loaded it meanwhile: then joins that one. */
    private synchronized BridgeSession joinOrAdd(BridgeSession loaded) {
        Active entry = active.get(loaded.getId());
        if (entry != null) {
            entry.uses++;
            return entry.session;
        }
        active.put(loaded.getId(), new Active(loaded));
        return loaded;
    }

    private void save(BridgeSession session) {
        if (session.isValid()) {
            try {
                store.save(session.snapshot());
            } catch (IOException | RuntimeException e) {
                context.logger().error("session {} was not saved ({}): {}", session.getId(), store, e.getMessage());
            }
        }
    }

    private BridgeSession load(String id) {
        try {
            return store.load(id).map(stored -> BridgeSession.restored(context, this, stored)).orElse(null);
        } catch (IOException | RuntimeException e) {
            context.logger().error("session {} could not be loaded ({}): {}", id, store, e.getMessage());
            return null;
        }
    }

    private void removeStored(String id) {
        try {
            store.remove(id);
        } catch (IOException | RuntimeException e) {
            context.logger().error("session {} could not be removed ({}): {}", id, store, e.getMessage());
        }
    }

    private void sweepIfDue(long now) {
        if (now - lastSweep < SWEEP_INTERVAL_MILLIS) {
            return;
        }
        lastSweep = now;
        List<BridgeSession> inUse;
        synchronized (this) {
            inUse = new ArrayList<>();
            active.values().forEach(entry -> inUse.add(entry.session));
        }
        for (BridgeSession session : inUse) {
            if (session.expiredAt(now)) {
                session.invalidateQuietly();
            }
        }
        try {
            for (StoredSession stored : store.expire(now)) {
                if (!isActive(stored.id())) { // one in use here is saved again as its request ends
                    BridgeSession.restored(context, this, stored).invalidateQuietly(); // tells the listeners
                }
            }
        } catch (IOException | RuntimeException e) {
            context.logger().error("expired sessions could not be removed ({}): {}", store, e.getMessage());
        }
    }

    private synchronized boolean isActive(String id) {
        return active.containsKey(id);
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
