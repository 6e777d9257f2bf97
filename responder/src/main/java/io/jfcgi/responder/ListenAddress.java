package io.jfcgi.responder;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where to listen: {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (all interfaces) or {@code unix:/path}.
 */
public final class ListenAddress {

    private final SocketAddress address;
    private final String text;

    private ListenAddress(SocketAddress address, String text) {
        this.address = address;
        this.text = text;
    }

    /**
     * Parses the text form.
     *
     * @param text {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} or {@code *:PORT} (every interface), or
     *             {@code unix:/path}; the port is 0..65535, 0 for any free one. A host name is resolved now
     * @return the address
     * @throws IllegalArgumentException with a message that says what form is expected
     */
    public static ListenAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        if (text.startsWith("unix:")) {
            String path = text.substring(5);
            if (path.isEmpty()) {
                throw invalid(text, "the unix socket path is empty");
            }
            return new ListenAddress(UnixDomainSocketAddress.of(Path.of(path)), text);
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(text, "there is no port");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw invalid(text, "the port '" + portText + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw invalid(text, "the port " + port + " is not in 0..65535");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw invalid(text, "an IPv6 address needs brackets, as in [::1]:9000");
        }
        InetSocketAddress inet = host.isEmpty() || host.equals("*") ? new InetSocketAddress(port)
                : new InetSocketAddress(host, port);
        if (inet.isUnresolved()) {
            throw invalid(text, "the host '" + host + "' does not resolve");
        }
        return new ListenAddress(inet, text);
    }

    /**
     * The address of a socket address the caller already has, such as one from
     * {@link FastCgiServer#boundAddresses()}. Nothing is checked or resolved.
     *
     * @param address an {@link java.net.InetSocketAddress} or a {@link UnixDomainSocketAddress} to listen on; not
     *                {@code null}
     * @return the address; its {@code toString} is {@code unix:/path} for a unix socket
     */
    public static ListenAddress of(SocketAddress address) {
        return new ListenAddress(address, address instanceof UnixDomainSocketAddress unix ? "unix:" + unix.getPath()
                : address.toString());
    }

    /**
     * The address to bind.
     *
     * @return an {@link java.net.InetSocketAddress} (the wildcard address for {@code :PORT}) or a
     *         {@link UnixDomainSocketAddress}
     */
    public SocketAddress socketAddress() {
        return address;
    }

    /**
     * Whether this is a unix domain socket.
     *
     * @return {@code true} for {@code unix:/path}
     */
    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("cannot listen on '" + text + "': " + why
                + "; use HOST:PORT, [IPv6]:PORT, :PORT or unix:/path/to.sock");
    }

    @Override
    public String toString() {
        return text;
    }
}
