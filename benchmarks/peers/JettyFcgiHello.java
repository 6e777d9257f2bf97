import org.eclipse.jetty.fcgi.server.ServerFCGIConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Java peer for scripts/bench: Jetty 12's FastCGI connector answering every request like the fixture app's
 * /hello. Run: java -cp JETTY_CLASSPATH JettyFcgiHello.java PORT
 */
public final class JettyFcgiHello {
    public static void main(String[] args) throws Exception {
        Server server = new Server(new QueuedThreadPool(200, 8));
        ServerConnector connector = new ServerConnector(server, new ServerFCGIConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        // The backlog jfcgi and the C peers bind with (Jetty's 0 means the JDK's 50): nginx may open 1024 at once.
        connector.setAcceptQueueSize(1024);
        // Idle connections outlive nginx's upstream keepalive_timeout (60 s), as jfcgi's do (10 min): with Jetty's
        // default 30 s it closed nginx's kept connections between the bench's rounds (40 s apart), and a request
        // that met such a close was logged by nginx ("upstream prematurely closed") and retried.
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 13);
                Content.Sink.write(response, true, "Hello, World!", callback);
                return true;
            }
        });
        server.start();
        server.join();
    }
}
