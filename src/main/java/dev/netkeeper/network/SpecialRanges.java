package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import java.util.List;

/**
 * Address ranges that cannot hold a container network (RFC 6890 special-purpose blocks): "this network",
 * loopback, link-local, multicast and reserved for IPv4; unspecified, loopback, link-local and multicast
 * for IPv6. A subnet that overlaps one is refused, naming it.
 */
final class SpecialRanges {
    private record Range(Cidr cidr, String what) {}

    private static final List<Range> RANGES = List.of(
            new Range(Cidr.parse("0.0.0.0/8"), "\"this network\""),
            new Range(Cidr.parse("127.0.0.0/8"), "loopback"),
            new Range(Cidr.parse("169.254.0.0/16"), "link-local"),
            new Range(Cidr.parse("224.0.0.0/4"), "multicast"),
            new Range(Cidr.parse("240.0.0.0/4"), "reserved"),
            new Range(Cidr.parse("::/128"), "the unspecified address"),
            new Range(Cidr.parse("::1/128"), "loopback"),
            new Range(Cidr.parse("fe80::/10"), "link-local"),
            new Range(Cidr.parse("ff00::/8"), "multicast"));

    private SpecialRanges() {}

    static void refuse(Cidr subnet) {
        for (Range r : RANGES) {
            if (r.cidr().ipv4() == subnet.ipv4() && r.cidr().overlaps(subnet)) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "subnet " + subnet + " overlaps " + r.cidr()
                        + " (" + r.what() + "), which cannot hold a network");
            }
        }
    }
}
