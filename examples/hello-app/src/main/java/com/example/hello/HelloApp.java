package com.example.hello;

import io.jfcgi.responder.FastCgiServer;

/** The smallest app on jfcgi: every request gets a line of text naming its path. */
public final class HelloApp {

    private HelloApp() {
    }

    public static void main(String[] args) {
        // Every responder flag (--listen, --workers, --help, --version...) works; with no --listen it serves
        // the socket jspawn-fcgi hands it on fd 0.
        FastCgiServer.run(args, (request, response) -> {
            response.setContentType("text/plain");
            response.write("Hello from " + request.path() + "\n");
        });
    }
}
