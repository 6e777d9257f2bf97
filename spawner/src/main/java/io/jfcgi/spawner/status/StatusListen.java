package io.jfcgi.spawner.status;

import io.jfcgi.spawner.os.AddressRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * {@code --status-listen} with {@code --status-path} and {@code --ping-path}: where the launcher answers FastCGI
 * itself. {@code HOST:PORT} ({@code [v6]:PORT}), a bare {@code PORT} (loopback, as the pool's default: closed
 * unless the operator opens it), or a unix socket path (anything with a {@code /}). Port 0 binds a port the kernel
 * picks, which the launcher's log names (as {@code -p 0} does for the pool).
 */
public record StatusListen(SocketAddress address, String statusPath, String pingPath) {

    public static final String DEFAULT_STATUS_PATH = "/status";
    public static final String DEFAULT_PING_PATH = "/ping";

    /** Reads the address; throws IllegalArgumentException with a one-line reason. */
    public static StatusListen parse(String address, String statusPath, String pingPath) {
        for (String path : new String[] {statusPath, pingPath}) {
            if (!path.startsWith("/") || path.contains("?")) {
                throw new IllegalArgumentException("'" + path + "' is not a path: --status-path and --ping-path "
                        + "take one like /status");
            }
        }
        if (statusPath.equals(pingPath)) {
            throw new IllegalArgumentException("--status-path and --ping-path are both " + statusPath
                    + ": give them different paths");
        }
        return new StatusListen(address(address), statusPath, pingPath);
    }

    private static SocketAddress address(String value) {
        if (value.contains("/")) {
            return UnixDomainSocketAddress.of(Path.of(value).toAbsolutePath());
        }
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress inet = AddressRange.literal(host);
        if (inet == null) {
            throw new IllegalArgumentException("--status-listen " + value + ": '" + host + "' is not an IP address; "
                    + "use HOST:PORT with a literal address (127.0.0.1:9001, [::1]:9001), a port, or a socket path");
        }
        String port = value.substring(colon + 1);
        try {
            int n = Integer.parseInt(port);
            if (n < 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(inet, n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--status-listen " + value + ": '" + port + "' is not a port from 0 "
                    + "to 65535 (0: one the kernel picks)");
        }
    }

    /** True for TCP on an address other hosts can reach. */
    public boolean isExposed() {
        return address instanceof InetSocketAddress inet && !inet.getAddress().isLoopbackAddress();
    }

    /** As the logs show it: {@code unix:/path} or {@code host:port}. */
    public String describe() {
        return describe(address);
    }

    /** {@code address} as the logs show it: the bound one names the port the kernel picked for port 0. */
    public static String describe(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = inet.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
}
