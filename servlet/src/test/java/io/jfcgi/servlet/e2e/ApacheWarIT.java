package io.jfcgi.servlet.e2e;

import io.jfcgi.fixture.e2e.ApacheProcess;
import io.jfcgi.servlet.TestWars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WAR (annotated servlets, no web.xml: {@code proxiedwar}) served by the runner jar under /shop behind a real
 * Apache httpd: {@code ProxyPass "/shop" "fcgi://…/shop" enablereuse=on}, mod_proxy_fcgi's params rather than
 * nginx's. Apache sends no SCRIPT_NAME/PATH_INFO split the bridge could use (they describe the proxy URL), so what
 * these tests see comes from REQUEST_URI and the servlet mapping alone.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ApacheWarIT {

    @TempDir
    static Path dir;
    static RunnerProcess runner;
    static ApacheProcess apache;

    @BeforeAll
    static void start() throws Exception {
        ApacheProcess.assumeInstalled();
        Path war = TestWars.zip(TestWars.exploded(dir, "proxied", "io.jfcgi.servlet.e2e.proxiedwar"),
                dir.resolve("proxied.war"));
        runner = RunnerProcess.start(dir, "--context-path", "/shop", war.toString());
        apache = ApacheProcess.start(dir.resolve("apache"), List.of("proxy", "proxy_fcgi"), "",
                Map.of("app", "  ProxyPass \"/shop\" \"fcgi://127.0.0.1:" + runner.port + "/shop\" enablereuse=on"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (apache != null) {
                apache.close();
            }
        } finally {
            if (runner != null) {
                runner.close();
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return ServedWar.HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(apache.url("app", path)));
    }

    /** The report's line "name=value" as its value. */
    private static String field(HttpResponse<String> response, String name) {
        return response.body().lines().filter(line -> line.startsWith(name + "=")).findFirst()
                .map(line -> line.substring(name.length() + 1))
                .orElseThrow(() -> new AssertionError("no " + name + " in " + response.statusCode() + ":\n"
                        + response.body()));
    }

    @Test
    void aPrefixMappingGetsTheDecodedPathInfoAndTheRawQuery() throws Exception {
        HttpResponse<String> response = send(request("/shop/report/a%20b/c%C3%A9?q=%C3%A9+1&r=2"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("/shop/report/a%20b/c%C3%A9", field(response, "requestURI"));
        assertEquals("/shop", field(response, "contextPath"));
        assertEquals("/report", field(response, "servletPath"));
        assertEquals("/a b/cé", field(response, "pathInfo"));
        assertEquals("q=%C3%A9+1&r=2", field(response, "queryString"));
        assertEquals("é 1", field(response, "q"));
    }

    @Test
    void anExtensionMappingHasTheWholePathAsServletPath() throws Exception {
        HttpResponse<String> response = send(request("/shop/x/list.action"));
        assertEquals("/x/list.action", field(response, "servletPath"));
        assertEquals("null", field(response, "pathInfo"));
    }

    @Test
    void aPostBodyOfSeveralMegabytesArrivesWhole() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024 + 5];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7 + i / 4096);
        }
        HttpResponse<String> response = send(request("/shop/report/upload")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals("POST", field(response, "method"));
        assertEquals(body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                field(response, "body"));
    }

    @Test
    void aFormPostIsDecodedIntoParameters() throws Exception {
        HttpResponse<String> response = send(request("/shop/report/form")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=a+b%26c")));
        assertEquals("a b&c", field(response, "q"));
    }

    @Test
    void requestHeadersAndCookiesReachTheServlet() throws Exception {
        HttpResponse<String> response = send(request("/shop/report/h").header("X-Test", "one two")
                .header("Cookie", "a=1; b=x%20y"));
        assertEquals("one two", field(response, "x-test"));
        assertEquals("a:1,b:x%20y", field(response, "cookies"));
        assertEquals("127.0.0.1:" + URI.create(apache.url("app", "/")).getPort(), field(response, "host"));
        assertEquals("http", field(response, "scheme"));
        assertEquals("127.0.0.1", field(response, "remote"));
    }

    @Test
    void responseHeadersAndEveryCookieReachTheClient() throws Exception {
        HttpResponse<String> response = send(request("/shop/report/h"));
        assertEquals("yes", response.headers().firstValue("X-Reported").orElse(null));
        assertEquals("text/plain;charset=UTF-8", response.headers().firstValue("Content-Type").orElse(null));
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertEquals(2, cookies.size(), cookies.toString());
        assertTrue(cookies.get(0).startsWith("first=1") && cookies.get(1).startsWith("second=2"), cookies.toString());
    }

    @Test
    void aRelativeRedirectIsMadeAbsoluteForTheHostTheClientAsked() throws Exception {
        HttpResponse<String> response = send(request("/shop/go/x"));
        assertEquals(302, response.statusCode(), response.body());
        assertEquals(apache.url("app", "/shop/report/landed?from=go"),
                response.headers().firstValue("Location").orElse(null));
    }

    @Test
    void anUnmappedPathIsA404FromTheBridge() throws Exception {
        assertEquals(404, send(request("/shop/nothing")).statusCode());
    }
}
