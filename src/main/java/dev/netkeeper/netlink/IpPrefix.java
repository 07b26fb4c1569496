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
            InetAddress v6 = InetAddress.getByName("[" + text + "]");
            if (v6 instanceof Inet4Address) {
                // Java turns ::ffff:a.b.c.d into IPv4; that would silently change the family.
                throw new IllegalArgumentException("IPv4-mapped IPv6 address '" + text + "' is not supported");
            }
            return v6;
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

    /** "10.1.0.2" or, for IPv6, the RFC 5952 text ("fd00::2": lower case, longest zero run as "::"). */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }
}
