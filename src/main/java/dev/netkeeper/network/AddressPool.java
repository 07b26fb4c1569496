package dev.netkeeper.network;

import dev.netkeeper.kernel.CborSerializable;

import java.util.List;

/**
 * Where a network's container addresses come from: a subnet, its gateway, the range to allocate from
 * (the whole subnet when null) and addresses never handed out. Strings, so that it journals plainly.
 */
public record AddressPool(String subnet, String gateway, String ipRange, List<String> reserved)
        implements CborSerializable {
    public AddressPool {
        reserved = reserved == null ? List.of() : List.copyOf(reserved);
    }

    public Cidr cidr() {
        return Cidr.parse(subnet);
    }

    public Cidr range() {
        return ipRange == null ? cidr() : Cidr.parse(ipRange);
    }
}
