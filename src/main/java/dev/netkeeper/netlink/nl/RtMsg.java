package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;

/**
 * struct rtmsg (rtnetlink.h): u8 rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table,
 * rtm_protocol, rtm_scope, rtm_type; u32 rtm_flags. 12 bytes.
 */
public record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol,
                    int scope, int type, int flags) implements NetlinkStruct {
    public static final int SIZE = 12;

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void writeTo(ByteBuffer b) {
        b.put((byte) family).put((byte) dstLength).put((byte) srcLength).put((byte) tos)
                .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type).putInt(flags);
    }

    public static RtMsg readFrom(ByteBuffer b) {
        return new RtMsg(Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()),
                Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()),
                Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()), b.getInt());
    }
}
