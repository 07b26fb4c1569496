package dev.netkeeper.netlink;

import java.util.Optional;

/**
 * What to create for a veth pair. {@code master} and {@code up} apply to the first end;
 * {@code peerMac} and {@code peerNamespace} to the peer.
 */
public record VethPair(String name, String peerName, int mtu, Optional<NetNamespace> peerNamespace,
                       Optional<String> master, Optional<MacAddress> peerMac, boolean up) {}
