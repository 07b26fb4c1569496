package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;

/**
 * struct ifinfomsg (rtnetlink.h): u8 ifi_family, u8 pad, u16 ifi_type, s32 ifi_index,
 * u32 ifi_flags, u32 ifi_change. 16 bytes.
 */
public record IfInfoMsg(int family, int type, int index, int flags, int change) implements NetlinkStruct {
    public static final int SIZE = 16;

    /** A request that names the link by index (or by IFLA_IFNAME when index is 0) and changes no flag. */
    public static IfInfoMsg of(int index) {
        return new IfInfoMsg(Rtnetlink.AF_UNSPEC, 0, index, 0, 0);
    }

    /** A request that sets (or clears) IFF_UP and leaves every other flag as it is. */
    public static IfInfoMsg withUp(int index, boolean up) {
        return new IfInfoMsg(Rtnetlink.AF_UNSPEC, 0, index, up ? IfLink.IFF_UP : 0, IfLink.IFF_UP);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void writeTo(ByteBuffer b) {
        b.put((byte) family).put((byte) 0).putShort((short) type)
                .putInt(index).putInt(flags).putInt(change);
    }

    public static IfInfoMsg readFrom(ByteBuffer b) {
        int family = Byte.toUnsignedInt(b.get());
        b.get();
        int type = Short.toUnsignedInt(b.getShort());
        return new IfInfoMsg(family, type, b.getInt(), b.getInt(), b.getInt());
    }
}
