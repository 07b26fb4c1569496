package dev.netkeeper.netlink.nl;

/** Constants of routing netlink, from {@code /usr/include/linux/rtnetlink.h}. */
public final class Rtnetlink {
    private Rtnetlink() {}

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    /** Neighbour (ARP / NDISC) entries and, with family AF_BRIDGE, forwarding database (FDB) entries. */
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;

    /** enum rtattr_type_t */
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;

    /** rtm_type */
    public static final int RTN_UNICAST = 1;
    /** rtm_protocol */
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    /** enum rt_scope_t */
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    /** enum rt_class_t */
    public static final int RT_TABLE_MAIN = 254;

    /** Address families (bits/socket.h). */
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
}
