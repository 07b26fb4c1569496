package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.IfLink;

import java.util.Optional;

/**
 * A network interface as the kernel reports it (RTM_NEWLINK). {@code kind} is IFLA_INFO_KIND
 * ("bridge", "veth", ...; empty for devices without one, such as lo). {@code masterIndex} and
 * {@code peerIndex} (IFLA_LINK: a veth's peer) are 0 when absent; {@code alias} (IFLA_IFALIAS) is empty
 * when the link has none; {@code peerNetnsId} (IFLA_LINK_NETNSID) is -1 unless the peer (or lower device)
 * is in another namespace. {@code vxlan} is what IFLA_INFO_DATA says of a "vxlan" link, empty for every other kind.
 */
public record Link(int index, String name, String kind, int masterIndex, int peerIndex,
                   Optional<MacAddress> mac, int mtu, int flags, OperState operState, String alias, int peerNetnsId,
                   Optional<VxlanInfo> vxlan) {
    public Link {
        alias = alias == null ? "" : alias;
        vxlan = vxlan == null ? Optional.empty() : vxlan;
    }

    public Link(int index, String name, String kind, int masterIndex, int peerIndex, Optional<MacAddress> mac, int mtu,
                int flags, OperState operState, String alias, int peerNetnsId) {
        this(index, name, kind, masterIndex, peerIndex, mac, mtu, flags, operState, alias, peerNetnsId,
                Optional.empty());
    }

    public Link(int index, String name, String kind, int masterIndex, int peerIndex, Optional<MacAddress> mac, int mtu,
                int flags, OperState operState) {
        this(index, name, kind, masterIndex, peerIndex, mac, mtu, flags, operState, "", -1);
    }

    /** Its peer or lower device is in another namespace. */
    public boolean peerElsewhere() {
        return peerNetnsId >= 0;
    }

    /** IFF_UP: administratively up. */
    public boolean isUp() {
        return (flags & IfLink.IFF_UP) != 0;
    }

    public boolean hasMaster() {
        return masterIndex != 0;
    }
}
