package io.jfcgi.servlet;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The Location of a redirect made absolute as {@code sendRedirect} asks (Servlet 6 §5.3): a URL with a scheme stays
 * as it is, {@code //host/path} takes the request's scheme, {@code /path} the request's scheme, host and port, and
 * a relative path is resolved against the request URI.
 */
final class Redirects {

    private Redirects() {
    }

    static String absolute(String location, HttpServletRequest request) {
        if (hasScheme(location)) {
            return location;
        }
        if (location.startsWith("//")) {
            return request.getScheme() + ":" + location;
        }
        String origin = origin(request);
        if (location.startsWith("/")) {
            return origin + location;
        }
        try {
            return new URI(origin + request.getRequestURI()).resolve(location).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            String uri = request.getRequestURI();
            return origin + uri.substring(0, uri.lastIndexOf('/') + 1) + location; // unparsable: by hand
        }
    }

    /** scheme://host[:port], the port left out when it is the scheme's own. */
    static String origin(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        boolean defaultPort = port <= 0 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static boolean hasScheme(String location) {
        int colon = location.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = location.charAt(i);
            boolean ok = Character.isLetter(c) || i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.');
            if (!ok || c > 127) {
                return false;
            }
        }
        return true;
    }
}
