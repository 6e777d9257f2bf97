package io.jfcgi.responder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * FCGI_WEB_SERVER_ADDRS (§3.2) as a set of peers: plain addresses as the spec writes them, and CIDR ranges
 * ({@code 10.0.0.0/24}, {@code fd00::/64}) as jspawn-fcgi's {@code --allow} passes them on. Literals only, never a
 * DNS lookup. An empty list allows every peer, as the spec says for an unset variable. Immutable.
 */
final class WebServerAddresses {

    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** One entry: the address bytes with the host bits cleared, and how many leading bits must match. */
    private record Range(byte[] network, int bits) {
        boolean matches(byte[] peer) {
            if (peer.length != network.length) {
                return false;
            }
            for (int i = 0; i < peer.length && i * 8 < bits; i++) {
                int mask = 0xff00 >> Math.min(8, bits - i * 8);
                if (((peer[i] ^ network[i]) & mask) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;
    private final List<String> entries;

    private WebServerAddresses(List<Range> ranges, List<String> entries) {
        this.ranges = ranges;
        this.entries = entries;
    }

    /**
     * Parses entries such as {@code "10.0.0.5"}, {@code "10.0.0.0/24"}, {@code "::1"}.
     *
     * @throws IllegalArgumentException with a one-line message naming the first bad entry
     */
    static WebServerAddresses parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(range(entry.trim()));
        }
        return new WebServerAddresses(List.copyOf(ranges), List.copyOf(entries));
    }

    /** True when no list was given (every peer allowed) or {@code peer} lies in one of its entries. */
    boolean allows(InetAddress peer) {
        byte[] bytes = peer.getAddress();
        return ranges.isEmpty() || ranges.stream().anyMatch(range -> range.matches(bytes));
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        byte[] address = LITERAL.matcher(host).matches() ? bytes(host) : null;
        if (address == null) {
            throw new IllegalArgumentException("FCGI_WEB_SERVER_ADDRS has '" + entry + "', which is not an IP "
                    + "address or a CIDR range (e.g. 10.0.0.5, 10.0.0.0/24, fd00::/64)");
        }
        int max = address.length * 8;
        String suffix = slash < 0 ? Integer.toString(max) : entry.substring(slash + 1);
        int bits = suffix.matches("\\d{1,3}") ? Integer.parseInt(suffix) : -1;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("FCGI_WEB_SERVER_ADDRS has '" + entry + "', whose prefix length "
                    + "is not 0 to " + max);
        }
        return new Range(address, bits); // matches() ignores the host bits of an entry like 10.0.0.5/24
    }

    private static byte[] bytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
