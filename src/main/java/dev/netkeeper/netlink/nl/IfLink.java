package dev.netkeeper.netlink.nl;

/**
 * Link attributes, from {@code /usr/include/linux/if_link.h}, {@code veth.h} and {@code if.h}.
 */
public final class IfLink {
    private IfLink() {}

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    /** A free-text alias (at most IFALIASZ - 1 = 255 bytes, if.h); set with RTM_NEWLINK on an existing link. */
    public static final int IFLA_IFALIAS = 20;
    /** Protocol specific information; for a bridge port (family AF_BRIDGE) the IFLA_BRPORT_* attributes. */
    public static final int IFLA_PROTINFO = 12;
    /** if_link.h, nested in IFLA_PROTINFO: a u8, 1 = hairpin (frames may leave by the port they came in by). */
    public static final int IFLA_BRPORT_MODE = 4;
    /** bits/socket.h: PF_BRIDGE. */
    public static final int AF_BRIDGE = 7;

    public static final int IFLA_NET_NS_FD = 28;
    /** The namespace id (as seen from the link's own namespace) where IFLA_LINK, its peer or lower device, is. */
    public static final int IFLA_LINK_NETNSID = 37;

    /** Nested in IFLA_LINKINFO. */
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int IFLA_INFO_SLAVE_KIND = 4;

    /** veth.h: nested in IFLA_INFO_DATA of a veth; payload is a struct ifinfomsg plus attributes. */
    public static final int VETH_INFO_PEER = 1;

    // if_link.h, the IFLA_VXLAN_* enum: nested in IFLA_INFO_DATA of a "vxlan" link (IFLA_VXLAN_UNSPEC is 0).
    // The kernel's vxlan_policy (drivers/net/vxlan/vxlan_core.c) gives each one's payload.
    /** u32, the VNI (24 bits used). */
    public static final int IFLA_VXLAN_ID = 1;
    /** 4 bytes, the struct in_addr (network byte order) that outgoing packets are sent from. */
    public static final int IFLA_VXLAN_LOCAL = 4;
    /** u8, 1: learn remote MACs (and their VTEPs) from received frames into the device's FDB. */
    public static final int IFLA_VXLAN_LEARNING = 7;
    /** u8, 1: answer ARP requests and IPv6 neighbour solicitations from the device's own neighbour table. */
    public static final int IFLA_VXLAN_PROXY = 11;
    /** be16, the UDP destination port, in NETWORK byte order (nla_get_be16), unlike every other integer here. */
    public static final int IFLA_VXLAN_PORT = 15;
    /** 16 bytes, the struct in6_addr that outgoing packets are sent from (an IPv6 underlay). */
    public static final int IFLA_VXLAN_LOCAL6 = 17;

    /** if.h: the size of an alias buffer, its NUL included. */
    public static final int IFALIASZ = 256;

    /** if.h: net_device_flags. */
    public static final int IFF_UP = 0x1;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_LOWER_UP = 0x10000;

    /** if_arp.h: ARPHRD_ETHER, ARPHRD_LOOPBACK. */
    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_LOOPBACK = 772;
}
