import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The servlet container peer of scripts/bench-servlet: embedded Jetty 12 (ee10) speaking HTTP/1.1 on loopback,
 * behind nginx's proxy_pass, as Java shops deploy today. Two modes:
 *   PORT hello CLASS   the servlet CLASS (on the class path) at /hello in a ServletContextHandler
 *   PORT war DIR       the (exploded) WAR DIR at the root, its ServletContainerInitializers run (annotations on)
 * Run (compiled by the script, so that start-up is not javac's): java -cp JETTY_CLASSPATH:CLASSES JettyServletPeer …
 */
public final class JettyServletPeer {
    public static void main(String[] args) throws Exception {
        Server server = new Server(new QueuedThreadPool(200, 8));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        if (args[1].equals("hello")) {
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(Class.forName(args[2]).asSubclass(Servlet.class), "/hello");
            server.setHandler(context);
        } else {
            WebAppContext webapp = new WebAppContext();
            webapp.setContextPath("/");
            webapp.setWar(args[2]);
            webapp.addConfiguration(new AnnotationConfiguration());
            server.setHandler(webapp);
        }
        server.start();
        server.join();
    }
}
