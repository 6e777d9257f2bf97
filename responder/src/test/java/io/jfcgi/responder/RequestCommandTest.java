package io.jfcgi.responder;

import io.jfcgi.tools.RequestCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RequestCommandTest {

    private FastCgiServer server;
    private String address;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = FastCgiServer.builder().listen("127.0.0.1:0").handler((request, response) -> {
            if (request.path().equals("/missing")) {
                response.setStatus(404);
            }
            response.setContentType("text/plain");
            response.write(request.method() + " " + request.path() + " " + request.header("X-Test") + " "
                    + new String(request.body().readAllBytes(), StandardCharsets.UTF_8));
        }).build();
        server.start();
        InetSocketAddress bound = (InetSocketAddress) server.boundAddresses().get(0);
        address = "127.0.0.1:" + bound.getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        return RequestCommand.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void printsTheBodyAndExitsZeroOnSuccess() {
        assertEquals(0, run("-H", "X-Test: yes", address, "/hello"));
        assertEquals("GET /hello yes ", out.toString());
    }

    @Test
    void sendsABodyAsPost() {
        assertEquals(0, run("-d", "payload", address, "/p"));
        assertEquals("POST /p null payload", out.toString());
    }

    @Test
    void includeShowsTheCgiHeaders() {
        assertEquals(0, run("-i", address, "/h"));
        assertTrue(out.toString().startsWith("Status: 200 OK\r\n"), out.toString());
    }

    @Test
    void anErrorStatusExitsOne() {
        assertEquals(1, run(address, "/missing"));
    }

    @Test
    void getValuesPrintsTheAnswer() {
        assertEquals(0, run("--get-values", address));
        assertTrue(out.toString().contains("FCGI_MPXS_CONNS=1\n"), out.toString());
    }

    @Test
    void anUnreachableResponderExitsThreeWithTheReason() throws Exception {
        server.close();
        assertEquals(3, run(address, "/"));
        assertTrue(err.toString().startsWith("fcgi-request: " + address + ": "), err.toString());
    }

    @Test
    void badUsageExitsTwoWithTheUsage() {
        assertEquals(2, run("--role", "janitor", address, "/"));
        assertTrue(err.toString().contains("--role must be RESPONDER, AUTHORIZER or FILTER, got 'janitor'"));
        assertTrue(err.toString().contains("usage: fcgi-request"));
    }
}
