package io.jfcgi.servlet.e2e;

import io.jfcgi.servlet.TestWars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring MVC 7 WAR with no web.xml (spring-web's ServletContainerInitializer, a WebApplicationInitializer, a
 * DispatcherServlet mapped to /), built in the test with Spring's jars in WEB-INF/lib, behind a real nginx.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SpringWarIT {

    static final List<String> LIBRARIES = List.of("/org/springframework/", "/io/micrometer/", "/commons-logging/",
            "/org/jspecify/");

    @TempDir
    static Path dir;
    static ServedWar served;

    @BeforeAll
    static void start() throws Exception {
        Path war = TestWars.zip(TestWars.exploded(dir, "spring", "io.jfcgi.servlet.testspring", LIBRARIES),
                dir.resolve("spring.war"));
        served = ServedWar.start(dir, war, "/spring");
    }

    @AfterAll
    static void stop() throws Exception {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void aControllerAnswersWithItsRequestParameter() throws Exception {
        HttpResponse<String> response = served.get("/spring/greeting?name=Sp%C3%BCring");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("Hello, Spüring!", response.body());
    }

    @Test
    void aPathVariableIsBound() throws Exception {
        assertEquals("item 42", served.get("/spring/items/42").body());
    }

    @Test
    void aRequestBodyIsRead() throws Exception {
        HttpResponse<String> response = served.send(HttpRequest.newBuilder(served.uri("/spring/echo"))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("grüße")));
        assertEquals("echo: grüße", response.body());
    }

    @Test
    void aSessionKeepsItsStateAcrossRequests() throws Exception {
        HttpResponse<String> first = served.get("/spring/visits");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        HttpResponse<String> second = served.send(HttpRequest.newBuilder(served.uri("/spring/visits"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))));
        assertEquals("visits 1", first.body());
        assertEquals("visits 2", second.body());
    }

    @Test
    void aRedirectKeepsItsLocation() throws Exception {
        HttpResponse<String> response = served.get("/spring/away");
        assertEquals(302, response.statusCode());
        assertEquals("/spring/greeting?name=away", response.headers().firstValue("Location").orElse(null));
    }

    @Test
    void anExceptionInAControllerIsA500AndServingGoesOn() throws Exception {
        assertEquals(500, served.get("/spring/fail").statusCode());
        assertEquals(200, served.get("/spring/greeting").statusCode());
        assertTrue(served.runner.logText().contains("a controller failed for a test"));
    }

    @Test
    void anUnmappedPathIsA404FromSpring() throws Exception {
        assertEquals(404, served.get("/spring/nothing/here").statusCode());
    }
}
