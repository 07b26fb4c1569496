package dev.netkeeper.network;

import dev.netkeeper.netlink.IpPrefix;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A subnet in canonical form (host bits zero), IPv4 or IPv6, with the arithmetic IPAM needs:
 * addresses as offsets from the base, containment, overlap.
 */
public record Cidr(BigInteger base, int length, boolean ipv4) {

    /** Parses "10.1.0.0/24"; host bits must be zero ("10.1.0.5/24" is refused: say what you mean). */
    public static Cidr parse(String text) {
        IpPrefix p;
        try {
            p = IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': " + e.getMessage());
        }
        Cidr c = of(p.address(), p.length());
        if (!c.base.equals(toBig(p.address()))) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': host bits are set (did you mean "
                    + c + "?)");
        }
        return c;
    }

    /** The subnet that contains {@code address} with this prefix length. */
    public static Cidr of(InetAddress address, int length) {
        boolean v4 = address instanceof Inet4Address;
        int bits = v4 ? 32 : 128;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE).not();
        return new Cidr(toBig(address).and(mask).and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)),
                length, v4);
    }

    public int bits() {
        return ipv4 ? 32 : 128;
    }

    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits() - length);
    }

    public BigInteger last() {
        return base.add(size()).subtract(BigInteger.ONE);
    }

    public boolean contains(InetAddress address) {
        return (address instanceof Inet4Address) == ipv4 && contains(toBig(address));
    }

    public boolean contains(BigInteger value) {
        return value.compareTo(base) >= 0 && value.compareTo(last()) <= 0;
    }

    public boolean contains(Cidr other) {
        return other.ipv4 == ipv4 && other.length >= length && contains(other.base);
    }

    public boolean overlaps(Cidr other) {
        return other.ipv4 == ipv4 && (contains(other.base) || other.contains(base));
    }

    /** The address at {@code offset} from the base. */
    public InetAddress at(BigInteger offset) {
        return toInet(base.add(offset), ipv4);
    }

    /** "10.1.0.2/24": an address of this subnet with the subnet's prefix length. */
    public String withPrefix(InetAddress address) {
        return IpPrefix.format(address) + "/" + length;
    }

    public static BigInteger toBig(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    public static InetAddress toInet(BigInteger value, boolean ipv4) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[ipv4 ? 4 : 16];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return IpPrefix.format(toInet(base, ipv4)) + "/" + length;
    }
}
