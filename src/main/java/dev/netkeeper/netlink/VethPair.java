package dev.netkeeper.netlink;

import java.util.Optional;

/**
 * What to create for a veth pair. {@code master}, {@code up} and {@code mac} apply to the first end;
 * {@code peerMac} and {@code peerNamespace} to the peer. An empty MAC: the kernel picks a random one.
 */
public record VethPair(String name, String peerName, int mtu, Optional<NetNamespace> peerNamespace,
                       Optional<String> master, Optional<MacAddress> peerMac, boolean up, Optional<MacAddress> mac) {
    public VethPair(String name, String peerName, int mtu, Optional<NetNamespace> peerNamespace,
                    Optional<String> master, Optional<MacAddress> peerMac, boolean up) {
        this(name, peerName, mtu, peerNamespace, master, peerMac, up, Optional.empty());
    }
}
