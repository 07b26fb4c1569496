package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import dev.netkeeper.netlink.IpPrefix;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Address allocation in a pool, like CNI host-local: the next free address after the last one handed
 * out, wrapping around the range, so a released address is not reused until the range wraps. Never
 * hands out the network address, the IPv4 broadcast address, the gateway or a reserved address.
 */
public final class Ipam {
    private Ipam() {}

    /**
     * @param inUse addresses taken now (host addresses, no prefix, spelled as {@link IpPrefix#format} does)
     * @param last  the last address handed out, or null
     * @return the address with the pool's prefix length ("10.1.0.7/24"), or empty when the pool is full
     */
    public static Optional<String> next(AddressPool pool, Set<String> inUse, String last) {
        Cidr subnet = pool.cidr();
        Cidr range = pool.range();
        // Never handed out, whatever is in use: a handful, so this set is cheap to build per call.
        Set<BigInteger> fixed = new HashSet<>();
        fixed.add(subnet.base());
        if (subnet.ipv4() && subnet.length() < 31) {
            fixed.add(subnet.last());
        }
        if (pool.gateway() != null) {
            fixed.add(Cidr.toBig(IpPrefix.literal(pool.gateway())));
        }
        pool.reserved().forEach(r -> fixed.add(Cidr.toBig(IpPrefix.literal(r))));

        BigInteger first = range.base();
        BigInteger end = range.last();
        BigInteger start = last == null ? first : Cidr.toBig(IpPrefix.literal(last)).add(BigInteger.ONE);
        if (!range.contains(start)) {
            start = first;
        }
        // At most |fixed| + |inUse| of any that many + 1 distinct addresses are taken, so that many steps
        // find a free one if there is any, and no address is looked at twice. Each step costs one
        // lookup of the candidate's text in inUse (the state's own spelling, RFC 5952), so the common
        // case (the address after the cursor is free) is one step, however many are taken.
        BigInteger steps = range.size().min(BigInteger.valueOf(fixed.size() + (long) inUse.size() + 1L));
        BigInteger candidate = start;
        for (BigInteger i = BigInteger.ZERO; i.compareTo(steps) < 0; i = i.add(BigInteger.ONE)) {
            if (!fixed.contains(candidate)) {
                String text = IpPrefix.format(Cidr.toInet(candidate, subnet.ipv4()));
                if (!inUse.contains(text)) {
                    return Optional.of(text + "/" + subnet.length());
                }
            }
            candidate = candidate.equals(end) ? first : candidate.add(BigInteger.ONE);
        }
        return Optional.empty();
    }

    /**
     * {@code wanted} (a host address, "10.1.0.7") with the pool's prefix length, when the pool may hand it out: inside
     * the subnet (not only the range: as Docker's {@code --ip}), not the network or broadcast address, the gateway or
     * a reserved one (INVALID_OPTION), and not in use (ADDRESS_IN_USE).
     */
    public static String take(AddressPool pool, Set<String> inUse, String wanted, String network) {
        Cidr subnet = pool.cidr();
        java.net.InetAddress literal;
        try {
            literal = IpPrefix.literal(wanted);
        } catch (RuntimeException e) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "address '" + wanted + "' asked for is no address");
        }
        BigInteger a = Cidr.toBig(literal);
        String text = IpPrefix.format(literal);
        if ((literal instanceof java.net.Inet4Address) != subnet.ipv4() || !subnet.contains(a)) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "address " + text + " is outside subnet "
                    + pool.subnet() + " of network " + network);
        }
        boolean edge = a.equals(subnet.base()) || (subnet.ipv4() && subnet.length() < 31 && a.equals(subnet.last()));
        boolean gateway = pool.gateway() != null && Cidr.toBig(IpPrefix.literal(pool.gateway())).equals(a);
        boolean reserved = pool.reserved().stream().anyMatch(r -> Cidr.toBig(IpPrefix.literal(r)).equals(a));
        if (edge || gateway || reserved) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "address " + text + " of network " + network
                    + " is never handed out (" + (edge ? "the subnet's own" : gateway ? "the gateway" : "reserved") + ")");
        }
        if (inUse.contains(text)) {
            throw new NetkeeperException(ErrorCode.ADDRESS_IN_USE, "address " + text + " of network " + network
                    + " is held by another endpoint");
        }
        return text + "/" + subnet.length();
    }

    /** The address part of "10.1.0.7/24". */
    public static String host(String cidrAddress) {
        int slash = cidrAddress.indexOf('/');
        return slash < 0 ? cidrAddress : cidrAddress.substring(0, slash);
    }
}
