package io.jfcgi.responder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** A real FastCgiServer on a free loopback port, closed by try-with-resources. */
final class TestServer implements AutoCloseable {

    final FastCgiServer server;
    final InetSocketAddress address;

    private TestServer(FastCgiServer server) throws IOException {
        this.server = server;
        server.start();
        this.address = (InetSocketAddress) server.boundAddresses().get(0);
    }

    static TestServer start(Handler handler) throws IOException {
        return start(handler, builder -> { });
    }

    static TestServer start(Handler handler, Consumer<FastCgiServer.Builder> configure) throws IOException {
        FastCgiServer.Builder builder = FastCgiServer.builder().handler(handler).listen("127.0.0.1:0")
                .shutdownGrace(java.time.Duration.ofSeconds(5));
        configure.accept(builder);
        return new TestServer(builder.build());
    }

    Wire connect() throws IOException {
        return new Wire(address);
    }

    @Override
    public void close() {
        server.close();
    }
}
