package io.jfcgi.spawner.os;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of an allow-list: an IPv4 or IPv6 address, or a CIDR range of them ({@code 10.0.0.0/24},
 * {@code fd00::/64}). Immutable; an address alone is a range of one ({@code /32} or {@code /128}).
 *
 * @param network the first address of the range (no host bits set)
 * @param prefixLength the leading bits that must match: 0..32 for IPv4, 0..128 for IPv6
 */
public record AddressRange(InetAddress network, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.]+)?");
    private static final Pattern ZERO_GROUPS = Pattern.compile("(?:^|:)(?:0(?::|$)){2,}");

    /** 127.0.0.1 and ::1: what the launcher's own host uses, admitted whatever the list says. */
    public static final AddressRange LOOPBACK_V4 = new AddressRange(literal("127.0.0.1"), 32);
    public static final AddressRange LOOPBACK_V6 = new AddressRange(literal("::1"), 128);

    public AddressRange {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0.." + bits);
        }
    }

    /**
     * {@code ADDR} or {@code ADDR/BITS}, literals only (never a DNS lookup).
     *
     * @throws IllegalArgumentException with a one-line message for anything else, host bits set included
     */
    public static AddressRange parse(String text) {
        String value = text.trim();
        int slash = value.indexOf('/');
        String host = slash < 0 ? value : value.substring(0, slash);
        InetAddress address = host.contains("%") ? null : literal(host);
        if (address == null) {
            throw new IllegalArgumentException("'" + value + "' is not an IP address or a CIDR range "
                    + "(e.g. 192.0.2.10, 10.0.0.0/24, fd00::/64)");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String suffix = value.substring(slash + 1);
            prefix = suffix.matches("\\d{1,3}") ? Integer.parseInt(suffix) : -1;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + value + "' has a bad prefix length: use /0 to /" + bits);
            }
        }
        AddressRange range = new AddressRange(masked(address, prefix), prefix);
        if (!range.network.equals(address)) {
            throw new IllegalArgumentException("'" + value + "' has host bits set: did you mean " + range + "?");
        }
        return range;
    }

    /** An IPv4 or IPv6 literal, as inet_pton reads it; null for anything else (a host name is never looked up). */
    public static InetAddress literal(String value) {
        if (IPV4.matcher(value).matches() || (value.contains(":") && IPV6.matcher(value).matches())) {
            try {
                return InetAddress.getByName(value);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    /** True when {@code address} is of the same family and its leading {@link #prefixLength} bits match. */
    public boolean contains(InetAddress address) {
        return address.getClass() == network.getClass() && masked(address, prefixLength).equals(network);
    }

    /** The address alone for a single address (what php-cgi's list takes), else {@code network/bits}. */
    @Override
    public String toString() {
        String host = compact(network.getHostAddress());
        return prefixLength == network.getAddress().length * 8 ? host : host + "/" + prefixLength;
    }

    /** The JDK writes IPv6 in full (0:0:0:0:0:0:0:1); the longest run of zero groups becomes "::" (RFC 5952). */
    private static String compact(String host) {
        Matcher zeros = ZERO_GROUPS.matcher(host);
        int start = -1;
        int end = -1;
        while (zeros.find()) {
            if (zeros.end() - zeros.start() > end - start) {
                start = zeros.start();
                end = zeros.end();
            }
        }
        return start < 0 ? host : host.substring(0, start) + "::" + host.substring(end);
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff00 >> keep);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
