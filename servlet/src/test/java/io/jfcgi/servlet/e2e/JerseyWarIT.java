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

/**
 * A Jersey 4 WAR with no web.xml (Jersey's ServletContainerInitializer finds the @ApplicationPath application),
 * built in the test with Jersey's jars in WEB-INF/lib, behind a real nginx.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JerseyWarIT {

    static final List<String> LIBRARIES = List.of("/org/glassfish/", "/jakarta/inject/", "/jakarta/validation/",
            "/jakarta/ws/rs/", "/org/javassist/", "/jakarta/xml/bind/", "/jakarta/annotation/", "/jakarta/activation/");

    @TempDir
    static Path dir;
    static ServedWar served;

    @BeforeAll
    static void start() throws Exception {
        Path war = TestWars.zip(TestWars.exploded(dir, "jersey", "io.jfcgi.servlet.testjersey", LIBRARIES),
                dir.resolve("jersey.war"));
        served = ServedWar.start(dir, war, "/rest");
    }

    @AfterAll
    static void stop() throws Exception {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void aResourceAnswersWithItsQueryParameter() throws Exception {
        HttpResponse<String> response = served.get("/rest/api/hello?name=jersey");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("hello jersey", response.body());
    }

    @Test
    void aPathParameterIsBound() throws Exception {
        assertEquals("id 7", served.get("/rest/api/hello/7").body());
    }

    @Test
    void aPostedEntityIsRead() throws Exception {
        HttpResponse<String> response = served.send(HttpRequest.newBuilder(served.uri("/rest/api/hello"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("a body")));
        assertEquals("posted a body", response.body());
    }

    @Test
    void aResourceChoosesItsStatus() throws Exception {
        HttpResponse<String> response = served.get("/rest/api/hello/teapot");
        assertEquals(418, response.statusCode());
        assertEquals("short and stout", response.body());
    }

    @Test
    void anUnknownResourceIsA404() throws Exception {
        assertEquals(404, served.get("/rest/api/nothing").statusCode());
    }
}
