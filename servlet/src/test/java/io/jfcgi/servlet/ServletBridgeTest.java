package io.jfcgi.servlet;

import io.jfcgi.tools.FastCgiResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge behind a real responder, driven over FastCGI as nginx drives it (no web server in between). */
class ServletBridgeTest {

    static final AtomicBoolean started = new AtomicBoolean();
    static BridgeServer server;

    /** Answers with what the request looked like, one "name=value" per line. */
    static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            PrintWriter out = resp.getWriter();
            out.println("method=" + req.getMethod());
            out.println("contextPath=" + req.getContextPath());
            out.println("servletPath=" + req.getServletPath());
            out.println("pathInfo=" + req.getPathInfo());
            out.println("requestURI=" + req.getRequestURI());
            out.println("requestURL=" + req.getRequestURL());
            out.println("query=" + req.getQueryString());
            out.println("mapping=" + req.getHttpServletMapping().getMappingMatch());
            out.println("q=" + req.getParameter("q"));
            out.println("qs=" + String.join(",", req.getParameterValues("q") == null ? new String[0]
                    : req.getParameterValues("q")));
            out.println("filtered=" + req.getAttribute("filtered"));
            out.println("scheme=" + req.getScheme() + " secure=" + req.isSecure());
            out.println("server=" + req.getServerName() + ":" + req.getServerPort());
            out.println("header=" + req.getHeader("x-test"));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Filter marking = (request, response, chain) -> {
            request.setAttribute("filtered", "yes");
            chain.doFilter(request, response);
        };
        server = new BridgeServer(ServletApp.builder()
                .contextPath("/app")
                .servlet("/echo/*", new EchoServlet(), "*.echo", "/exact")
                .filter("/echo/*", marking)
                .listener(new ServletContextListener() {
                    @Override
                    public void contextInitialized(ServletContextEvent sce) {
                        started.set(true);
                    }
                })
                .servlet("/body", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        byte[] body;
                        try (InputStream in = req.getInputStream()) {
                            body = in.readAllBytes();
                        }
                        resp.getOutputStream().write(("got " + body.length + ": "
                                + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    }
                })
                .servlet("/latin1", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.setContentType("text/plain");
                        resp.getWriter().print("café €");
                    }
                })
                .servlet("/big", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.setContentType("text/plain");
                        resp.getOutputStream().write(new byte[100_000]);
                    }
                })
                .servlet("/fail", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException {
                        throw new ServletException("deliberate failure for a test");
                    }
                })
                .servlet("/missing", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.getWriter().print("dropped");
                        resp.sendError(404, "nothing here");
                    }
                })
                .servlet("/redirect", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.sendRedirect(req.getParameter("to"));
                    }
                })
                .servlet("/reset", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.setHeader("X-Gone", "1");
                        resp.getWriter().print("gone");
                        resp.reset();
                        resp.setStatus(202);
                        resp.getWriter().print("kept");
                    }
                })
                .servlet("/session", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        HttpSession session = req.getSession();
                        Integer count = (Integer) session.getAttribute("count");
                        session.setAttribute("count", count == null ? 1 : count + 1);
                        resp.getWriter().print(session.getAttribute("count"));
                    }
                })
                .servlet("/forward", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                            throws IOException, ServletException {
                        resp.getWriter().print("dropped by the forward");
                        req.getRequestDispatcher("/echo/forwarded?q=fwd").forward(req, resp);
                        resp.getWriter().print("after the forward: dropped too");
                    }
                })
                .configure(context -> context.addServlet("upload", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp)
                            throws IOException, ServletException {
                        jakarta.servlet.http.Part file = req.getPart("file");
                        resp.getWriter().print(req.getParameter("title") + "|" + file.getSubmittedFileName() + "|"
                                + new String(file.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    }
                }).setMultipartConfig(new jakarta.servlet.MultipartConfigElement("")))
                .configure(context -> context.getServletRegistration("upload").addMapping("/upload"))
                .servlet("/include", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                            throws IOException, ServletException {
                        resp.setContentType("text/plain");
                        resp.getWriter().print("[");
                        req.getRequestDispatcher("/latin1").include(req, resp);
                        resp.getWriter().print("]");
                    }
                }));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, String> lines(FastCgiResponse response) {
        Map<String, String> lines = new java.util.HashMap<>();
        for (String line : response.bodyText().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                lines.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return lines;
    }

    @Test
    void contextListenersRanAtStart() {
        assertTrue(started.get());
    }

    @Test
    void aPrefixMappingSplitsServletPathAndPathInfoAndRunsTheFilter() throws Exception {
        Map<String, String> echo = lines(server.get("/app/echo/a%20b/c?q=1&q=2"));
        assertEquals("/app", echo.get("contextPath"));
        assertEquals("/echo", echo.get("servletPath"));
        assertEquals("/a b/c", echo.get("pathInfo"));
        assertEquals("/app/echo/a%20b/c", echo.get("requestURI"));
        assertEquals("http://example.test:8080/app/echo/a%20b/c", echo.get("requestURL"));
        assertEquals("q=1&q=2", echo.get("query"));
        assertEquals("PATH", echo.get("mapping"));
        assertEquals("1", echo.get("q"));
        assertEquals("1,2", echo.get("qs"));
        assertEquals("yes", echo.get("filtered"));
    }

    @Test
    void extensionAndExactMappingsGiveTheWholePathAsServletPath() throws Exception {
        Map<String, String> ext = lines(server.get("/app/x/y.echo"));
        assertEquals("/x/y.echo", ext.get("servletPath"));
        assertEquals("null", ext.get("pathInfo"));
        assertEquals("EXTENSION", ext.get("mapping"));
        assertEquals("null", ext.get("filtered"));
        assertEquals("EXACT", lines(server.get("/app/exact")).get("mapping"));
    }

    @Test
    void pathsOutsideTheContextAreNotFoundAndTheBareContextIsRedirected() throws Exception {
        assertEquals(404, server.get("/other/echo").status());
        FastCgiResponse bare = server.get("/app?x=1");
        assertEquals(302, bare.status());
        assertEquals("/app/?x=1", bare.header("Location"));
    }

    @Test
    void aPathClimbingAboveTheRootIsABadRequest() throws Exception {
        assertEquals(400, server.get("/app/%2e%2e/secret").status());
    }

    @Test
    void aUrlencodedFormIsDecodedInTheCharsetItsContentTypeNames() throws Exception {
        FastCgiResponse response = server.send("POST", "/app/echo/form?q=fromQuery",
                Map.of("CONTENT_TYPE", "application/x-www-form-urlencoded; charset=ISO-8859-1"), "q=caf%E9");
        assertEquals("fromQuery,café", lines(response).get("qs"));
    }

    @Test
    void aFormWithoutCharsetIsDecodedAsUtf8() throws Exception {
        FastCgiResponse response = server.send("POST", "/app/echo/form",
                Map.of("CONTENT_TYPE", "application/x-www-form-urlencoded"), "q=caf%C3%A9+%E2%82%AC");
        assertEquals("café €", lines(response).get("q"));
    }

    @Test
    void theBodyIsReadAsAStream() throws Exception {
        FastCgiResponse response = server.send("POST", "/app/body", Map.of("CONTENT_TYPE", "text/plain"),
                "hello body");
        assertEquals("got 10: hello body", response.bodyText());
    }

    @Test
    void headersSchemeAndHostComeFromTheCgiParams() throws Exception {
        Map<String, String> echo = lines(server.send("GET", "/app/echo", Map.of("HTTPS", "on", "HTTP_X_TEST",
                "v", "HTTP_HOST", "secure.test"), null));
        assertEquals("https secure=true", echo.get("scheme"));
        assertEquals("secure.test:443", echo.get("server"));
        assertEquals("v", echo.get("header"));
    }

    @Test
    void aSmallBodyGetsContentLengthAndTheWriterUsesTheDefaultCharset() throws Exception {
        FastCgiResponse response = server.get("/app/latin1");
        assertEquals("text/plain;charset=ISO-8859-1", response.header("Content-Type"));
        assertEquals("6", response.header("Content-Length"));
        assertEquals("café ?", new String(response.body(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aBodyLargerThanTheBufferIsStreamedWithoutContentLength() throws Exception {
        FastCgiResponse response = server.get("/app/big");
        assertEquals(100_000, response.body().length);
        assertNull(response.header("Content-Length"));
    }

    @Test
    void headGetsTheHeadersWithoutTheBody() throws Exception {
        FastCgiResponse response = server.send("HEAD", "/app/latin1", Map.of(), null);
        assertEquals(200, response.status());
        assertEquals(0, response.body().length);
    }

    @Test
    void anExceptionIsA500AndTheNextRequestIsServed() throws Exception {
        FastCgiResponse failed = server.get("/app/fail");
        assertEquals(500, failed.status());
        assertEquals("Error 500\n", failed.bodyText());
        assertEquals(200, server.get("/app/echo").status());
    }

    @Test
    void sendErrorDropsWhatWasWrittenAndSendsAPlainErrorBody() throws Exception {
        FastCgiResponse response = server.get("/app/missing");
        assertEquals(404, response.status());
        assertEquals("Error 404: nothing here\n", response.bodyText());
    }

    @Test
    void relativeRedirectsAreMadeAbsolute() throws Exception {
        assertEquals("http://example.test:8080/app/next", server.get("/app/redirect?to=next").header("Location"));
        assertEquals("http://example.test:8080/root", server.get("/app/redirect?to=/root").header("Location"));
        assertEquals("http://elsewhere.test/x",
                server.get("/app/redirect?to=//elsewhere.test/x").header("Location"));
        assertEquals("https://a.test/", server.get("/app/redirect?to=https://a.test/").header("Location"));
        assertEquals(302, server.get("/app/redirect?to=x").status());
    }

    @Test
    void resetClearsStatusHeadersAndBody() throws Exception {
        FastCgiResponse response = server.get("/app/reset");
        assertEquals(202, response.status());
        assertNull(response.header("X-Gone"));
        assertEquals("kept", response.bodyText());
    }

    @Test
    void aSessionIsKeptByItsCookie() throws Exception {
        FastCgiResponse first = server.get("/app/session");
        String cookie = first.header("Set-Cookie");
        assertTrue(cookie.startsWith("JSESSIONID=") && cookie.contains("Path=/app") && cookie.contains("HttpOnly"),
                cookie);
        assertEquals("1", first.bodyText());
        String id = cookie.substring(0, cookie.indexOf(';'));
        FastCgiResponse second = server.send("GET", "/app/session", Map.of("HTTP_COOKIE", id), null);
        assertEquals("2", second.bodyText());
        assertNull(second.header("Set-Cookie"));
    }

    @Test
    void aForwardAnswersWithTheTargetsPathsAndParameters() throws Exception {
        FastCgiResponse response = server.get("/app/forward?q=orig");
        Map<String, String> echo = lines(response);
        assertEquals("/echo", echo.get("servletPath"));
        assertEquals("/forwarded", echo.get("pathInfo"));
        assertEquals("/app/echo/forwarded", echo.get("requestURI"));
        assertEquals("fwd,orig", echo.get("qs"));
        assertTrue(!response.bodyText().contains("dropped"), response.bodyText());
    }

    @Test
    void multipartPartsAndFieldsReachAServletWithAMultipartConfig() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\ncafé\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\r\ncontent\r\n--b--";
        FastCgiResponse response = server.send("POST", "/app/upload",
                Map.of("CONTENT_TYPE", "multipart/form-data; boundary=b"), body);
        assertEquals("café|f.txt|content", new String(response.body(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void anIncludeAddsTheTargetsBody() throws Exception {
        assertEquals("[café ?]", new String(server.get("/app/include").body(), StandardCharsets.ISO_8859_1));
    }
}
