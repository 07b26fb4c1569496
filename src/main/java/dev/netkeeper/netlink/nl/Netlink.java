package dev.netkeeper.netlink.nl;

/**
 * Constants of the netlink transport, from {@code /usr/include/linux/netlink.h}
 * (and {@code SOL_NETLINK} from {@code bits/socket.h}).
 */
public final class Netlink {
    private Netlink() {}

    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    /** setsockopt: do not echo the whole request back inside an error message. */
    public static final int NETLINK_CAP_ACK = 10;
    /** setsockopt: let the kernel attach a human-readable reason to errors. */
    public static final int NETLINK_EXT_ACK = 11;

    /** sizeof(struct nlmsghdr): u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
    public static final int NLMSG_HDRLEN = 16;
    /** sizeof(struct nlmsgerr) without the echoed request: s32 error + struct nlmsghdr. */
    public static final int NLMSGERR_LEN = 4 + NLMSG_HDRLEN;
    /** sizeof(struct sockaddr_nl): u16 family, u16 pad, u32 pid, u32 groups. */
    public static final int SOCKADDR_NL_LEN = 12;

    public static final int NLMSG_NOOP = 0x1;
    public static final int NLMSG_ERROR = 0x2;
    public static final int NLMSG_DONE = 0x3;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** On an NLMSG_ERROR: extended-ack TLVs follow the (capped) request. */
    public static final int NLM_F_ACK_TLVS = 0x200;
    /** On an NLMSG_ERROR: the echoed request was cut to its header. */
    public static final int NLM_F_CAPPED = 0x100;

    /** enum nlmsgerr_attrs: NLMSGERR_ATTR_MSG carries the kernel's error string. */
    public static final int NLMSGERR_ATTR_MSG = 1;

    /** linux/netlink.h: the attribute holds attributes (the kernel checks it on strictly validated families). */
    public static final int NLA_F_NESTED = 1 << 15;

    /** Attribute type bits: NLA_F_NESTED and NLA_F_NET_BYTEORDER; the type is the rest. */
    public static final int NLA_TYPE_MASK = ~(0x8000 | 0x4000) & 0xffff;

    /** NLMSG_ALIGN / RTA_ALIGN: every header and attribute starts on a 4-byte boundary. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }
}
