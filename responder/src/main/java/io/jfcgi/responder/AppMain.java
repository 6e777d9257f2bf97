package io.jfcgi.responder;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The whole {@code main} of an app.jar, behind {@link FastCgiServer#run}: the one place in the library that ends
 * the JVM, which an app asks for by calling it. Exit status: 0 after a graceful stop, {@code --help} or
 * {@code --version}, 2 for a bad flag, 1 when the socket cannot be had; each failure is one line on stderr, never a
 * stack trace.
 */
final class AppMain {

    static final int OK = 0;
    static final int SETUP_FAILED = 1;
    static final int BAD_USAGE = 2;

    private AppMain() {
    }

    static void run(String[] args, Handler handler) {
        System.exit(serve(args, System.getenv(), handler, System.out, System.err));
    }

    /** Serves until SIGTERM or SIGINT; returns the exit status. */
    static int serve(String[] args, Map<String, String> env, Handler handler, PrintStream out, PrintStream err) {
        FastCgiServer server;
        try {
            FastCgiServer.Builder builder = FastCgiServer.builder().handler(handler);
            List<String> rest = CommandLine.apply(args, env, builder);
            if (rest.contains("--help") || rest.contains("-h")) {
                out.println(CommandLine.usage());
                return OK;
            }
            if (rest.contains("--version")) {
                out.println(LibraryVersion.line());
                return OK;
            }
            if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + rest.get(0) + "\n" + CommandLine.usage());
            }
            server = builder.build(); // settings that do not go together are bad flags too
        } catch (IllegalArgumentException | IllegalStateException e) { // a flag, or the app's own set-up (no handler)
            err.println("error: " + e.getMessage());
            return BAD_USAGE;
        }
        Signals.stopOnTerm(server);
        try {
            server.serve();
        } catch (IOException e) {
            err.println("error: " + e.getMessage()); // one line, no stack trace: a setup problem
            return SETUP_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }
}
