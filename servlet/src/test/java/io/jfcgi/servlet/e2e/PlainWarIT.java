package io.jfcgi.servlet.e2e;

import io.jfcgi.servlet.TestWars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain Servlet 6 WAR (web.xml, WEB-INF/classes), packed in the test, served by the runner jar under the context
 * path /shop behind a real nginx with the project's fastcgi_params.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PlainWarIT {

    @TempDir
    static Path dir;
    static ServedWar served;

    @BeforeAll
    static void start() throws Exception {
        Path war = TestWars.zip(TestWars.exploded(dir, "plain", "io.jfcgi.servlet.testwar"), dir.resolve("plain.war"));
        served = ServedWar.start(dir, war, "/shop");
    }

    @AfterAll
    static void stop() throws Exception {
        if (served != null) {
            served.close();
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return served.get(path);
    }

    @Test
    void anExactMappingAnswersWithItsInitParamAndTheListenersAttribute() throws Exception {
        HttpResponse<String> response = get("/shop/hello?name=nginx");
        assertEquals(200, response.statusCode());
        assertEquals("Hello, nginx! (started in test)", response.body());
        assertEquals("yes", response.headers().firstValue("X-Filtered").orElse(null));
        assertEquals("31", response.headers().firstValue("Content-Length").orElse(null));
    }

    @Test
    void prefixAndExtensionMappingsSplitThePath() throws Exception {
        String prefix = get("/shop/echo/a/b?q=%C3%A9").body();
        assertTrue(prefix.contains("contextPath=/shop\nservletPath=/echo\npathInfo=/a/b\nq=é\n"), prefix);
        assertTrue(prefix.contains("remote=127.0.0.1"), prefix);
        String extension = get("/shop/x/list.do").body();
        assertTrue(extension.contains("servletPath=/x/list.do\npathInfo=null"), extension);
    }

    @Test
    void aFormPostIsDecoded() throws Exception {
        HttpResponse<String> response = served.send(HttpRequest.newBuilder(served.uri("/shop/echo/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=a+b%26c")));
        assertTrue(response.body().contains("q=a b&c\n"), response.body());
    }

    @Test
    void aLargeUploadStreamsThroughGetInputStream() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + i / 1024);
        }
        HttpResponse<String> response = served.send(HttpRequest.newBuilder(served.uri("/shop/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                response.body());
    }

    @Test
    void aRelativeRedirectIsMadeAbsoluteForTheHostTheClientAsked() throws Exception {
        HttpResponse<String> response = get("/shop/go");
        assertEquals(302, response.statusCode());
        assertEquals("http://127.0.0.1:" + served.nginx.port + "/shop/hello?name=redirected",
                response.headers().firstValue("Location").orElse(null));
    }

    @Test
    void anExceptionWithAnErrorPageShowsThePageWithStatus500() throws Exception {
        HttpResponse<String> response = get("/shop/boom");
        assertEquals(500, response.statusCode());
        assertEquals("oops 500 boom for a test at /shop/boom", response.body());
    }

    @Test
    void anExceptionWithoutAPageIsAPlain500LoggedWithTheRequestAndServingGoesOn() throws Exception {
        HttpResponse<String> response = get("/shop/crash");
        assertEquals(500, response.statusCode());
        assertEquals(200, get("/shop/hello").statusCode());
        String log = served.runner.logText();
        assertTrue(log.contains("GET /shop/crash failed in servlet fail"), log);
        assertTrue(log.contains("UnsupportedOperationException: crash for a test"), log);
    }

    @Test
    void anUnmappedPathGetsThe404ErrorPage() throws Exception {
        HttpResponse<String> response = get("/shop/no/such/thing");
        assertEquals(404, response.statusCode());
        assertEquals("custom not found\n", response.body());
    }

    @Test
    void theContextRootServesTheWelcomeFileAndWebInfStaysHidden() throws Exception {
        HttpResponse<String> root = get("/shop/");
        assertEquals(200, root.statusCode());
        assertTrue(root.body().contains("the welcome file"), root.body());
        assertEquals("text/html", root.headers().firstValue("Content-Type").orElse(null));
        assertEquals(404, get("/shop/WEB-INF/web.xml").statusCode());
    }

    @Test
    void headGetsHeadersAndNoBody() throws Exception {
        HttpResponse<String> response = served.send(HttpRequest.newBuilder(served.uri("/shop/hello"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
        assertFalse(response.headers().firstValue("Content-Type").isEmpty());
    }
}
