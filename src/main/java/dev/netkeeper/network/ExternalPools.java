package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.netlink.IpPrefix;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every pool of the outside IPAM, by id, with the rules of handing out its addresses; part of the directory's state
 * (so a pool never overlaps a network or another pool, whatever order they come in). Immutable: {@link #apply} gives
 * the next state.
 */
public record ExternalPools(Map<String, ExternalPool> byId) implements CborSerializable {
    public static final ExternalPools NONE = new ExternalPools(Map.of());
    /** A pool id: this prefix, the subnet, and "~" and the sub-pool when it has one. */
    static final String ID_PREFIX = "nk:";

    public ExternalPools {
        byId = byId == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(byId));
    }

    static String id(String subnet, String subPool) {
        return ID_PREFIX + subnet + (subPool == null ? "" : "~" + subPool);
    }

    /** The pool asked for, checked: a subnet of the family asked for, a sub-pool inside it. */
    static Cidr subnet(String pool, String subPool, boolean ipv6) {
        Cidr subnet;
        try {
            subnet = Cidr.parse(pool);
        } catch (IllegalArgumentException e) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "pool '" + pool + "': " + e.getMessage());
        }
        if (subnet.ipv4() == ipv6) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "pool " + pool + " is not "
                    + (ipv6 ? "IPv6" : "IPv4") + " as asked");
        }
        SpecialRanges.refuse(subnet);
        if (subPool != null) {
            Cidr sub;
            try {
                sub = Cidr.parse(subPool);
            } catch (IllegalArgumentException e) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "sub-pool '" + subPool + "': " + e.getMessage());
            }
            if (!subnet.contains(sub)) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "sub-pool " + subPool + " is outside pool " + pool);
            }
        }
        return subnet;
    }

    /** "10.77.0.2" of "10.77.0.2/24" or "10.77.0.2", spelled as the pools keep it. */
    static String hostAddress(String address) {
        try {
            return IpPrefix.format(IpPrefix.literal(Ipam.host(address.strip())));
        } catch (RuntimeException e) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "'" + address + "' is no IP address");
        }
    }

    boolean holds(String poolId, String address) {
        ExternalPool pool = byId.get(poolId);
        if (pool == null) {
            return false;
        }
        try {
            return pool.addresses().contains(hostAddress(address));
        } catch (NetkeeperException notAnAddress) {
            return false;
        }
    }

    /**
     * The address the pool hands out ("10.77.0.2/24"): {@code wanted} when it is free (ADDRESS_IN_USE when not), else
     * the next free one of the sub-pool after the last handed out (POOL_EXHAUSTED when none is).
     */
    String pick(String poolId, String wanted) {
        ExternalPool pool = byId.get(poolId);
        if (pool == null) {
            throw new NetkeeperException(ErrorCode.NO_SUCH_POOL, "no address pool " + poolId);
        }
        Set<String> inUse = new HashSet<>(pool.addresses());
        if (wanted != null && !wanted.isBlank()) {
            return Ipam.take(new AddressPool(pool.subnet(), null, null, List.of()), inUse, hostAddress(wanted),
                    "pool " + poolId);
        }
        return Ipam.next(pool.asAddressPool(), inUse, pool.last()).orElseThrow(() -> new NetkeeperException(
                ErrorCode.POOL_EXHAUSTED, "no address left in pool " + poolId));
    }

    ExternalPools apply(NetworkDirectory.PoolEvent event) {
        Map<String, ExternalPool> next = new TreeMap<>(byId);
        ExternalPool p = byId.get(event.poolId());
        if (event instanceof NetworkDirectory.PoolReserved r) {
            next.put(r.poolId(), p == null ? new ExternalPool(r.poolId(), r.subnet(), r.subPool(), 1, List.of(), null)
                    : new ExternalPool(p.id(), p.subnet(), p.subPool(), p.holders() + 1, p.addresses(), p.last()));
        } else if (p == null) {
            return this;
        } else if (event instanceof NetworkDirectory.PoolReleased) {
            if (p.holders() <= 1) {
                next.remove(p.id());
            } else {
                next.put(p.id(), new ExternalPool(p.id(), p.subnet(), p.subPool(), p.holders() - 1, p.addresses(),
                        p.last()));
            }
        } else if (event instanceof NetworkDirectory.PoolAddressReserved a) {
            TreeSet<String> addresses = new TreeSet<>(p.addresses());
            addresses.add(a.address());
            next.put(p.id(), new ExternalPool(p.id(), p.subnet(), p.subPool(), p.holders(), List.copyOf(addresses),
                    a.gateway() ? p.last() : a.address())); // the gateway moves no cursor: endpoints start after it
        } else if (event instanceof NetworkDirectory.PoolAddressReleased a) {
            TreeSet<String> addresses = new TreeSet<>(p.addresses());
            addresses.remove(a.address());
            next.put(p.id(), new ExternalPool(p.id(), p.subnet(), p.subPool(), p.holders(), List.copyOf(addresses),
                    p.last()));
        }
        return new ExternalPools(next);
    }
}
