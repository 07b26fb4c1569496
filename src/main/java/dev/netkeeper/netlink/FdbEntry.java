package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.NdMsg;

import java.net.InetAddress;

/**
 * A forwarding database entry of a device's own table (RTM_NEWNEIGH, family AF_BRIDGE, NTF_SELF): frames to
 * {@code mac} leave {@code ifindex} (a vxlan device) encapsulated to {@code remote}, the VTEP (NDA_DST; null when
 * the entry has none). {@code state} is ndm_state (NUD_* of neighbour.h), {@code flags} ndm_flags (NTF_*).
 * A vxlan entry with several remotes is reported as one entry per remote.
 */
public record FdbEntry(int ifindex, MacAddress mac, InetAddress remote, int state, int flags) {

    /** NUD_PERMANENT: static, never aged out (as {@link NeighOps#setFdb} makes them). */
    public boolean permanent() {
        return (state & NdMsg.NUD_PERMANENT) != 0;
    }
}
