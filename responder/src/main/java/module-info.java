/**
 * The FastCGI responder library: {@link io.jfcgi.responder.FastCgiServer} serves an app's
 * {@link io.jfcgi.responder.Handler}. Its one package is the API; the server's workings are package-private in it.
 */
module io.jfcgi.responder {
    // The API speaks the codec's types (Role, ParamsLimits), so a module that reads this one reads the codec too.
    requires transitive io.jfcgi.codec;
    requires org.apache.logging.log4j;
    // sun.misc.Signal: SIGTERM and SIGINT start a graceful stop.
    requires jdk.unsupported;

    exports io.jfcgi.responder;
}
