package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;

/**
 * The conntrack part of nfnetlink, from {@code linux/netfilter/nfnetlink.h} and
 * {@code linux/netfilter/nfnetlink_conntrack.h}: a message type is {@code subsystem << 8 | message}, and every
 * body starts with a {@code struct nfgenmsg}.
 */
public final class Ctnetlink {
    private Ctnetlink() {}

    /** linux/netlink.h. */
    public static final int NETLINK_NETFILTER = 12;
    /** nfnetlink.h. */
    public static final int NFNL_SUBSYS_CTNETLINK = 1;
    public static final int NFNETLINK_V0 = 0;
    /** enum cntl_msg_types. */
    public static final int IPCTNL_MSG_CT_GET = 1;
    public static final int IPCTNL_MSG_CT_DELETE = 2;
    /** enum ctattr_type. */
    public static final int CTA_TUPLE_ORIG = 1;
    public static final int CTA_TUPLE_REPLY = 2;
    public static final int CTA_ZONE = 18;
    /** enum ctattr_tuple. */
    public static final int CTA_TUPLE_IP = 1;
    public static final int CTA_TUPLE_PROTO = 2;
    /** enum ctattr_ip. */
    public static final int CTA_IP_V4_SRC = 1;
    public static final int CTA_IP_V4_DST = 2;
    public static final int CTA_IP_V6_SRC = 3;
    public static final int CTA_IP_V6_DST = 4;
    /** enum ctattr_l4proto. */
    public static final int CTA_PROTO_NUM = 1;
    public static final int CTA_PROTO_SRC_PORT = 2;
    public static final int CTA_PROTO_DST_PORT = 3;

    public static int type(int message) {
        return (NFNL_SUBSYS_CTNETLINK << 8) | message;
    }

    /** struct nfgenmsg { __u8 nfgen_family; __u8 version; __be16 res_id; }. */
    public record NfGenMsg(int family) implements NetlinkStruct {
        public static final int SIZE = 4;

        @Override
        public int size() {
            return SIZE;
        }

        @Override
        public void writeTo(ByteBuffer buffer) {
            buffer.put((byte) family).put((byte) NFNETLINK_V0).putShort((short) 0);
        }
    }
}
