package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;

/**
 * struct ifaddrmsg (if_addr.h): u8 ifa_family, u8 ifa_prefixlen, u8 ifa_flags, u8 ifa_scope,
 * u32 ifa_index. 8 bytes.
 */
public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) implements NetlinkStruct {
    public static final int SIZE = 8;

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void writeTo(ByteBuffer b) {
        b.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
    }

    public static IfAddrMsg readFrom(ByteBuffer b) {
        return new IfAddrMsg(Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()),
                Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()), b.getInt());
    }
}
