package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;

/**
 * struct ndmsg ({@code /usr/include/linux/neighbour.h}): u8 ndm_family, u8 ndm_pad1, u16 ndm_pad2,
 * s32 ndm_ifindex, u16 ndm_state, u8 ndm_flags, u8 ndm_type. 12 bytes. The header of RTM_NEWNEIGH /
 * DELNEIGH / GETNEIGH: with family AF_INET or AF_INET6 a neighbour (ARP / NDISC) entry, with AF_BRIDGE
 * (PF_BRIDGE) a forwarding database entry of a bridge or of a device with its own FDB (vxlan).
 */
public record NdMsg(int family, int ifindex, int state, int flags, int type) implements NetlinkStruct {
    public static final int SIZE = 12;

    // neighbour.h, enum NDA_* (NDA_UNSPEC is 0).
    /** The neighbour's network address; in a vxlan FDB entry, the remote VTEP (4 or 16 bytes). */
    public static final int NDA_DST = 1;
    /** The link-layer address: the neighbour's MAC, or the FDB entry's MAC. */
    public static final int NDA_LLADDR = 2;
    /** u32: in a dump request, only entries on this ifindex (neigh_valid_dump_req). */
    public static final int NDA_IFINDEX = 8;
    /** u32: the bridge an FDB entry of the master's table belongs to (that is how a dump marks them). */
    public static final int NDA_MASTER = 9;

    // neighbour.h, Neighbor Cache Entry States (ndm_state).
    /** A pseudostate: needs no resolution (multicast / broadcast mappings the kernel makes itself). */
    public static final int NUD_NOARP = 0x40;
    /** A pseudostate: set by hand, never aged out, never replaced by what is learned. */
    public static final int NUD_PERMANENT = 0x80;

    // neighbour.h, ndm_flags.
    /** The device's own table (a vxlan device's FDB), not its bridge master's. */
    public static final int NTF_SELF = 1 << 1;
    /** The bridge master's FDB (on requests; the bridge does not set it in dumps, it sends NDA_MASTER). */
    public static final int NTF_MASTER = 1 << 2;

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void writeTo(ByteBuffer b) {
        b.put((byte) family).put((byte) 0).putShort((short) 0).putInt(ifindex)
                .putShort((short) state).put((byte) flags).put((byte) type);
    }

    public static NdMsg readFrom(ByteBuffer b) {
        int family = Byte.toUnsignedInt(b.get());
        b.get();
        b.getShort();
        int ifindex = b.getInt();
        int state = Short.toUnsignedInt(b.getShort());
        return new NdMsg(family, ifindex, state, Byte.toUnsignedInt(b.get()), Byte.toUnsignedInt(b.get()));
    }
}
