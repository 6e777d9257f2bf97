package io.jfcgi.servlet;

import io.jfcgi.tools.FastCgiResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two bridges (two children behind one pool, as it were) keeping their sessions in one directory. */
class SharedSessionsTest {

    @TempDir
    Path directory;
    private BridgeServer one;
    private BridgeServer two;

    /** /set?v=X puts X in the session, /get says what is there, /unserializable puts in what cannot leave. */
    static final class SessionServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            switch (req.getServletPath()) {
                case "/set" -> req.getSession().setAttribute("v", req.getParameter("v"));
                case "/unserializable" -> req.getSession().setAttribute("thing", new Object());
                default -> {
                    HttpSession session = req.getSession(false);
                    resp.getWriter().print(session == null ? "no session" : "v=" + session.getAttribute("v"));
                    return;
                }
            }
            resp.getWriter().print("set");
        }
    }

    private BridgeServer bridge() throws Exception {
        return new BridgeServer(ServletApp.builder()
                .servlet("/set", new SessionServlet(), "/get", "/unserializable")
                .sessionStore(SessionStore.directory(directory)));
    }

    @BeforeEach
    void start() throws Exception {
        one = bridge();
        two = bridge();
    }

    @AfterEach
    void stop() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
    }

    @Test
    void aSessionMadeInOneBridgeIsFoundInTheOther() throws Exception {
        String cookie = sessionCookie(one.get("/set?v=ada"));
        assertEquals("v=ada", get(two, "/get", cookie).bodyText());
        get(two, "/set?v=grace", cookie);
        assertEquals("v=grace", get(one, "/get", cookie).bodyText());
    }

    @Test
    void stoppingOneBridgeLeavesTheSharedSessionsToTheOther() throws Exception {
        String cookie = sessionCookie(one.get("/set?v=ada"));
        one.close();
        one = null;
        assertEquals("v=ada", get(two, "/get", cookie).bodyText());
    }

    @Test
    void aSessionPastItsIntervalIsNotFoundAndItsFileIsRemoved() throws Exception {
        try (SessionStore store = SessionStore.directory(directory)) {
            long hourAgo = System.currentTimeMillis() - 3_600_000;
            store.save(new StoredSession("0123456789ABCDEF0123456789ABCDEF", hourAgo, hourAgo, 60, Map.of("v", "old")));
        }
        assertEquals("no session", get(one, "/get", "JSESSIONID=0123456789ABCDEF0123456789ABCDEF").bodyText());
        assertFalse(Files.exists(directory.resolve("0123456789ABCDEF0123456789ABCDEF.session")));
    }

    @Test
    void anAttributeThatCannotBeSerializedIsLoggedAndTheRequestStillAnswered() throws Exception {
        try (CapturedLog log = new CapturedLog("io.jfcgi.servlet.WebApp")) {
            FastCgiResponse response = one.get("/unserializable");
            assertEquals(200, response.status());
            assertEquals("set", response.bodyText());
            String cookie = sessionCookie(response);
            assertTrue(log.messages().stream().anyMatch(message -> message.startsWith("ERROR session ")
                    && message.contains("was not saved") && message.contains("attribute 'thing' is not Serializable")),
                    log.messages().toString());
            assertEquals("no session", get(two, "/get", cookie).bodyText());
        }
    }

    @Test
    void aContextParamKeepsAWarsSessionsInADirectory() throws Exception {
        try (ServletBridge bridge = ServletApp.builder()
                .initParameter(WebAppContext.SESSION_DIRECTORY_PARAM, directory.resolve("war").toString())
                .build()) {
            SessionStore store = ((WebAppContext) bridge.servletContext()).sessions().store();
            assertEquals("directory " + directory.resolve("war"), store.toString());
        }
    }

    @Test
    void theStoreChosenInCodeWinsOverTheContextParam() throws Exception {
        try (ServletBridge bridge = ServletApp.builder()
                .initParameter(WebAppContext.SESSION_DIRECTORY_PARAM, directory.resolve("war").toString())
                .sessionStore(SessionStore.inMemory())
                .build()) {
            assertEquals("memory", ((WebAppContext) bridge.servletContext()).sessions().store().toString());
        }
    }

    private static FastCgiResponse get(BridgeServer server, String uri, String cookie) throws IOException {
        return server.send("GET", uri, Map.of("HTTP_COOKIE", cookie), null);
    }

    /** "JSESSIONID=..." from the response's Set-Cookie. */
    private static String sessionCookie(FastCgiResponse response) {
        String setCookie = response.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';') < 0 ? setCookie.length() : setCookie.indexOf(';'));
    }
}
