package io.jfcgi.servlet;

import io.jfcgi.codec.Role;
import io.jfcgi.responder.FastCgiServer;
import io.jfcgi.tools.FastCgiClient;
import io.jfcgi.tools.FastCgiResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A ServletApp served on a loopback port, and a FastCGI client that sends it requests as nginx would. */
final class BridgeServer implements AutoCloseable {

    private final FastCgiServer server;
    private final ServletBridge bridge;

    BridgeServer(ServletApp.Builder app) throws Exception {
        this(app.build());
    }

    BridgeServer(ServletBridge served) throws Exception {
        this(served, builder -> { });
    }

    /** With the server's settings changed by {@code configure} (workers, queue...). */
    BridgeServer(ServletBridge served, java.util.function.Consumer<FastCgiServer.Builder> configure) throws Exception {
        bridge = served;
        FastCgiServer.Builder builder = FastCgiServer.builder().handler(bridge).listen("127.0.0.1:0");
        configure.accept(builder);
        server = builder.build();
        server.start();
    }

    java.net.SocketAddress address() throws IOException {
        return server.boundAddresses().get(0);
    }

    ServletBridge bridge() {
        return bridge;
    }

    FastCgiResponse get(String uri) throws IOException {
        return send("GET", uri, Map.of(), null);
    }

    FastCgiResponse send(String method, String uri, Map<String, String> extra, String body) throws IOException {
        try (FastCgiClient client = FastCgiClient.connect(server.boundAddresses().get(0), Duration.ofSeconds(10))) {
            Map<String, String> params = new java.util.LinkedHashMap<>(
                    FastCgiClient.requestParams(method, uri, Map.of("HTTP_HOST", "example.test:8080")));
            if (body != null) {
                params.put("CONTENT_LENGTH", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
            }
            params.putAll(extra);
            return client.send(1, Role.RESPONDER, false, params,
                    body == null ? null : new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), null);
        }
    }

    @Override
    public void close() {
        server.close();
        bridge.close();
    }
}
