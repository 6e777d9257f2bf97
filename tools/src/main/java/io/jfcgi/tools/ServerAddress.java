package io.jfcgi.tools;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;

/**
 * Where a responder listens, as the client is told it: {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (this
 * host) or {@code unix:/path}, the forms the responder's {@code --listen} takes. The host and port are read by
 * {@link URI}, which knows the bracketed IPv6 form.
 */
final class ServerAddress {

    private static final String UNIX = "unix:";

    private ServerAddress() {
    }

    /** @throws IllegalArgumentException saying what form is expected */
    static SocketAddress parse(String text) {
        if (text.startsWith(UNIX)) {
            if (text.length() > UNIX.length()) {
                return UnixDomainSocketAddress.of(text.substring(UNIX.length()));
            }
        } else if (!text.startsWith("[") && text.indexOf(':') != text.lastIndexOf(':')) {
            throw invalid(text, "an IPv6 address needs brackets, as in [::1]:9000");
        } else if (text.startsWith(":")) {
            return new InetSocketAddress(port(text, text.substring(1)));
        } else {
            URI uri = uri(text);
            if (uri != null && uri.getHost() != null && uri.getPort() >= 0 && uri.getRawUserInfo() == null
                    && uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                InetSocketAddress inet = new InetSocketAddress(uri.getHost(), port(text, "" + uri.getPort()));
                if (inet.isUnresolved()) {
                    throw invalid(text, "the host '" + uri.getHost() + "' does not resolve");
                }
                return inet;
            }
        }
        throw invalid(text, "it is not an address");
    }

    private static URI uri(String text) {
        try {
            return new URI("fcgi://" + text);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int port(String text, String port) {
        try {
            int n = Integer.parseInt(port);
            if (n > 0 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw invalid(text, "the port '" + port + "' is not in 1..65535");
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("cannot connect to '" + text + "': " + why
                + "; use HOST:PORT, [IPv6]:PORT or unix:/path/to.sock");
    }
}
