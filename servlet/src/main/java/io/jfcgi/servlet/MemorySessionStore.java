package io.jfcgi.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Sessions in this process's memory: attributes kept as they are (not serialized), gone with the process. */
final class MemorySessionStore implements SessionStore {

    private final Map<String, StoredSession> byId = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredSession> load(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public void save(StoredSession session) {
        byId.put(session.id(), session);
    }

    @Override
    public void remove(String id) {
        byId.remove(id);
    }

    @Override
    public List<StoredSession> expire(long now) {
        List<StoredSession> expired = new ArrayList<>();
        for (StoredSession session : List.copyOf(byId.values())) {
            if (session.expiredAt(now) && byId.remove(session.id(), session)) {
                expired.add(session);
            }
        }
        return expired;
    }

    /** Empties the store, as the application stops: what only this process held is gone. */
    List<StoredSession> removeAll() {
        List<StoredSession> all = new ArrayList<>();
        for (String id : List.copyOf(byId.keySet())) {
            StoredSession session = byId.remove(id);
            if (session != null) {
                all.add(session);
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return "memory";
    }
}
