package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address with a prefix length, "10.0.0.2/24" or "fd00::2/64" (the host bits are kept). */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max
                    + " for " + address.getHostAddress());
        }
    }

    public static IpPrefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an address/prefix: '" + cidr + "'");
        }
        String len = cidr.substring(slash + 1);
        if (!len.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("not an address/prefix: '" + cidr + "'");
        }
        try {
            return new IpPrefix(literal(cidr.substring(0, slash)), Integer.parseInt(len));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address/prefix: '" + cidr + "'", e);
        }
    }

    /**
     * Parses an IP literal, strictly, and never with a name lookup: IPv4 only as four decimal octets
     * ("10/8" and "1.2.3" are refused, not guessed), IPv6 only as a literal without a scope.
     */
    public static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            if (text.indexOf(':') < 0) {
                return InetAddress.getByAddress(ipv4Octets(text));
            }
            if (!IPV6_CHARS.matcher(text).matches()) {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
            // A bracketed host is taken as an IPv6 literal or refused; it is never looked up.
            return InetAddress.getByName("[" + text + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    private static final java.util.regex.Pattern IPV6_CHARS = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");
    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private static byte[] ipv4Octets(String text) {
        java.util.regex.Matcher m = IPV4.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) {
                throw new IllegalArgumentException("not an IP address: '" + text + "' (octet " + octet + ")");
            }
            out[i] = (byte) octet;
        }
        return out;
    }

    public int family() {
        return address instanceof Inet4Address ? Rtnetlink.AF_INET : Rtnetlink.AF_INET6;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
