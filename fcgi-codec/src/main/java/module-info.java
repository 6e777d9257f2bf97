/**
 * FastCGI 1.0 records and their byte codecs ({@code io.jfcgi.codec}), and the lines of jspawn-fcgi's status
 * channel ({@code io.jfcgi.codec.supervision}). No sockets, threads, logging or dependencies.
 */
module io.jfcgi.codec {
    exports io.jfcgi.codec;
    exports io.jfcgi.codec.supervision;
}
