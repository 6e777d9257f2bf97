package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

/**
 * SIGTERM and SIGINT start a graceful stop. Handled directly rather than through a shutdown hook so that the
 * process can finish its requests and then exit 0, as a deliberate exit should (§7).
 */
final class Signals {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(Signals.class);
    }

    private Signals() {
    }

    static void stopOnTerm(FastCgiServer server) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal(name),
                        signal -> new Thread(() -> {
                            server.awaitLogging();
                            Log.LOG.info("SIG{} received: stopping gracefully", name);
                            server.close();
                        }, "fcgi-stop").start());
                if (previous == sun.misc.SignalHandler.SIG_IGN) {
                    // HotSpot installs no handler over an ignored HUP, INT or TERM, and says nothing: we say it.
                    Log.LOG.warn("SIG{} was ignored when this process started (nohup, or a script's background job, "
                            + "leaves it so) and stays ignored: it will not stop the server", name);
                }
            } catch (IllegalArgumentException e) {
                Log.LOG.warn("cannot handle SIG{} here ({}); it will stop the JVM at once", name, e.getMessage());
            }
        }
    }
}
