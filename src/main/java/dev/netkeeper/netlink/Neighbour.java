package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.NdMsg;

import java.net.InetAddress;

/**
 * A neighbour (ARP or NDISC) entry as the kernel reports it (RTM_NEWNEIGH, family AF_INET or AF_INET6):
 * {@code address} (NDA_DST) on {@code ifindex} is at {@code mac} (NDA_LLADDR; null while the kernel has none,
 * an INCOMPLETE or FAILED entry). {@code state} is ndm_state, the NUD_* bits of neighbour.h.
 */
public record Neighbour(int ifindex, InetAddress address, MacAddress mac, int state) {

    /** NUD_PERMANENT: set by hand (as {@link NeighOps#setNeighbour} does); never aged out or re-resolved. */
    public boolean permanent() {
        return (state & NdMsg.NUD_PERMANENT) != 0;
    }
}
