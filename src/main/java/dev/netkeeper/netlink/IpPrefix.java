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
        try {
            return new IpPrefix(literal(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address/prefix: '" + cidr + "'", e);
        }
    }

    /** Parses an IP literal without ever doing a DNS lookup. */
    public static InetAddress literal(String text) {
        boolean looksLikeIp = !text.isEmpty() && (text.indexOf(':') >= 0
                || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!looksLikeIp) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    public int family() {
        return address instanceof Inet4Address ? Rtnetlink.AF_INET : Rtnetlink.AF_INET6;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
