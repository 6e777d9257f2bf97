package io.jfcgi.servlet;

import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions by id, their expiry, invalidation, new ids, and what their listeners hear; time is given, not waited. */
class SessionsTest {

    private final List<String> events = new ArrayList<>();
    private final WebAppContext context = new WebAppContext("", SessionsTest.class.getClassLoader(), null);

    SessionsTest() {
        context.addListener(new Listener());
    }

    /** Records every session event. */
    private final class Listener implements HttpSessionListener, HttpSessionIdListener {
        @Override
        public void sessionCreated(HttpSessionEvent se) {
            events.add("created");
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent se) {
            events.add("destroyed");
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            events.add("id changed");
        }
    }

    @Test
    void aSessionIsFoundByItsIdAndIsNewOnlyUntilARequestJoinsIt() {
        BridgeSession session = context.sessions().create(0);
        assertTrue(session.isNew());
        assertEquals(32, session.getId().length());
        assertSame(session, context.sessions().find(session.getId(), 1000));
        assertFalse(session.isNew());
        assertEquals(List.of("created"), events);
    }

    @Test
    void aSessionExpiresAfterItsInactiveInterval() {
        context.sessions().setTimeoutMinutes(1);
        BridgeSession session = context.sessions().create(0);
        assertSame(session, context.sessions().find(session.getId(), 59_000));
        assertNull(context.sessions().find(session.getId(), 59_000 + 60_001));
        assertFalse(session.isValid());
        assertEquals(List.of("created", "destroyed"), events);
    }

    @Test
    void aZeroIntervalNeverExpires() {
        BridgeSession session = context.sessions().create(0);
        session.setMaxInactiveInterval(0);
        assertSame(session, context.sessions().find(session.getId(), Long.MAX_VALUE / 2));
    }

    @Test
    void anInvalidatedSessionIsGoneAndRefusesUse() {
        BridgeSession session = context.sessions().create(0);
        session.invalidate();
        assertNull(context.sessions().find(session.getId(), 1));
        assertThrows(IllegalStateException.class, () -> session.getAttribute("x"));
        assertThrows(IllegalStateException.class, session::invalidate);
    }

    @Test
    void aNewIdFindsTheSameSessionAndTheOldOneNothing() {
        BridgeSession session = context.sessions().create(0);
        String old = session.getId();
        assertEquals(old, context.sessions().changeId(session));
        assertNotEquals(old, session.getId());
        assertNull(context.sessions().find(old, 1));
        assertSame(session, context.sessions().find(session.getId(), 1));
        assertEquals(List.of("created", "id changed"), events);
    }

    @Test
    void boundValuesHearBindingAndUnbindingAlsoAtInvalidation() {
        List<String> heard = new ArrayList<>();
        HttpSessionBindingListener value = new HttpSessionBindingListener() {
            @Override
            public void valueBound(HttpSessionBindingEvent event) {
                heard.add("bound " + event.getName());
            }

            @Override
            public void valueUnbound(HttpSessionBindingEvent event) {
                heard.add("unbound " + event.getName());
            }
        };
        BridgeSession session = context.sessions().create(0);
        session.setAttribute("a", value);
        session.removeAttribute("a");
        session.setAttribute("b", value);
        session.invalidate();
        assertEquals(List.of("bound a", "unbound a", "bound b", "unbound b"), heard);
    }

    @Test
    void stoppingTheApplicationInvalidatesEverySession() {
        BridgeSession one = context.sessions().create(0);
        BridgeSession two = context.sessions().create(0);
        context.sessions().invalidateAll();
        assertFalse(one.isValid());
        assertFalse(two.isValid());
    }
}
