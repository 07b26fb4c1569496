package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.IfInfoMsg;
import dev.netkeeper.netlink.nl.IfLink;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * The RTM_NEWLINK requests that create links, as {@link LinkOps} sends them (struct ifinfomsg and IFLA_* attributes
 * of rtnetlink.h / if_link.h / veth.h): built here, without a socket, so that their bytes can be checked as they are.
 */
public final class LinkRequests {
    private LinkRequests() {}

    /** A new link named {@code name} (IFLA_IFNAME), with IFLA_MTU unless {@code mtu} is 0. */
    static MessageBuilder create(String name, int mtu) {
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .struct(IfInfoMsg.of(0)).attrString(IfLink.IFLA_IFNAME, name);
        if (mtu > 0) {
            m.attrU32(IfLink.IFLA_MTU, mtu);
        }
        return m;
    }

    /** A bridge (IFLA_INFO_KIND "bridge"); {@code mac} empty lets the kernel pick its address. */
    public static MessageBuilder newBridge(String name, int mtu, Optional<MacAddress> mac) {
        MessageBuilder m = create(name, mtu);
        mac.ifPresent(a -> m.attr(IfLink.IFLA_ADDRESS, a.bytes()));
        return m.beginNested(IfLink.IFLA_LINKINFO).attrString(IfLink.IFLA_INFO_KIND, "bridge").endNested();
    }

    /**
     * A veth pair in one request: the peer inside IFLA_INFO_DATA / VETH_INFO_PEER (its own ifinfomsg, name, MTU,
     * MAC, and IFLA_NET_NS_FD {@code peerNamespaceFd} when it is born in another namespace, -1: here); the master
     * ({@code masterIndex}, 0: none) and up state applied by the kernel at creation.
     */
    public static MessageBuilder newVeth(VethPair pair, int masterIndex, int peerNamespaceFd) {
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .struct(pair.up() ? IfInfoMsg.withUp(0, true) : IfInfoMsg.of(0))
                .attrString(IfLink.IFLA_IFNAME, pair.name());
        if (pair.mtu() > 0) {
            m.attrU32(IfLink.IFLA_MTU, pair.mtu());
        }
        if (masterIndex > 0) {
            m.attrU32(IfLink.IFLA_MASTER, masterIndex);
        }
        pair.mac().ifPresent(mac -> m.attr(IfLink.IFLA_ADDRESS, mac.bytes()));
        m.beginNested(IfLink.IFLA_LINKINFO).attrString(IfLink.IFLA_INFO_KIND, "veth")
                .beginNested(IfLink.IFLA_INFO_DATA)
                .beginNested(IfLink.VETH_INFO_PEER).struct(IfInfoMsg.of(0))
                .attrString(IfLink.IFLA_IFNAME, pair.peerName());
        if (pair.mtu() > 0) {
            m.attrU32(IfLink.IFLA_MTU, pair.mtu());
        }
        pair.peerMac().ifPresent(mac -> m.attr(IfLink.IFLA_ADDRESS, mac.bytes()));
        if (peerNamespaceFd >= 0) {
            m.attrU32(IfLink.IFLA_NET_NS_FD, peerNamespaceFd);
        }
        return m.endNested().endNested().endNested();
    }

    /**
     * A VXLAN device (IFLA_INFO_KIND "vxlan", its IFLA_VXLAN_* in IFLA_INFO_DATA), a port of {@code masterIndex}
     * (IFLA_MASTER; 0: none) from birth. The port is always sent: the kernel's default is 8472, not IANA's 4789.
     */
    public static MessageBuilder newVxlan(Vxlan v, int masterIndex) {
        MessageBuilder m = create(v.name(), v.mtu());
        if (masterIndex > 0) {
            m.attrU32(IfLink.IFLA_MASTER, masterIndex);
        }
        v.mac().ifPresent(a -> m.attr(IfLink.IFLA_ADDRESS, a.bytes()));
        m.beginNested(IfLink.IFLA_LINKINFO).attrString(IfLink.IFLA_INFO_KIND, "vxlan")
                .beginNested(IfLink.IFLA_INFO_DATA)
                .attrU32(IfLink.IFLA_VXLAN_ID, v.vni());
        if (v.local() != null) {
            m.attr(v.local() instanceof Inet4Address ? IfLink.IFLA_VXLAN_LOCAL : IfLink.IFLA_VXLAN_LOCAL6,
                    v.local().getAddress());
        }
        return m.attrBe16(IfLink.IFLA_VXLAN_PORT, v.port())
                .attrU8(IfLink.IFLA_VXLAN_LEARNING, v.learning() ? 1 : 0)
                .attrU8(IfLink.IFLA_VXLAN_PROXY, v.proxy() ? 1 : 0)
                .endNested().endNested();
    }
}
