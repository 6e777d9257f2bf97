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

    /** Waits (up to 10 s) until a {@link #close} running on another thread has begun. */
    void awaitStopping() throws InterruptedException {
        await("the stop to begin", server::isStopping);
    }

    /** Waits (up to 10 s) until the server has accepted exactly this many connections that have not ended. */
    void awaitOpenConnections(int expected) throws InterruptedException {
        await(expected + " open connections", () -> server.openConnections() == expected);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s for " + what);
            }
            Thread.sleep(2);
        }
    }

    Wire connect() throws IOException {
        return new Wire(address);
    }

    @Override
    public void close() {
        server.close();
    }
}
