package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.IfLink;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.NdMsg;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Neighbour entries (ARP / NDISC, RTM_NEWNEIGH / DELNEIGH / GETNEIGH with family AF_INET or AF_INET6) and a
 * device's own FDB (the same messages with family AF_BRIDGE and NTF_SELF: a vxlan device's MAC → VTEP table)
 * inside one namespace. Devices are named; a missing one is ENODEV naming it. Setting is idempotent
 * (NLM_F_CREATE | NLM_F_REPLACE) and deleting what is already gone is fine, so callers may simply reconcile.
 */
public final class NeighOps {
    private final Handle handle;

    NeighOps(Handle handle) {
        this.handle = handle;
    }

    /** A permanent entry: {@code ip} on {@code device} is at {@code mac}. Replaces whatever entry there was. */
    public void setNeighbour(String device, InetAddress ip, MacAddress mac) {
        String op = "setting neighbour " + IpPrefix.format(ip) + " lladdr " + mac + " dev " + device;
        handle.mutate(op, neighbour(Rtnetlink.RTM_NEWNEIGH, Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE,
                index(device, op), ip, Optional.of(mac)));
    }

    /** Deletes the entry of {@code ip} on {@code device}; one that is already gone (ENOENT) is fine. */
    public void deleteNeighbour(String device, InetAddress ip) {
        String op = "deleting neighbour " + IpPrefix.format(ip) + " dev " + device;
        mutateUnlessGone(op, neighbour(Rtnetlink.RTM_DELNEIGH, 0, index(device, op), ip, Optional.empty()));
    }

    /**
     * The IPv4 and IPv6 entries of {@code device}, as {@code ip neigh show dev} lists them: without the NUD_NOARP
     * entries the kernel makes by itself for every multicast address it sends to (ff02::16, 224.0.0.22...,
     * which appear on any device with IPv6 on, a vxlan bridge port included) and without NUD_NONE ones.
     */
    public List<Neighbour> neighbours(String device) {
        String op = "listing neighbours of " + device;
        int index = index(device, op);
        List<Neighbour> out = new ArrayList<>();
        for (int family : new int[] {Rtnetlink.AF_INET, Rtnetlink.AF_INET6}) {
            // NDA_IFINDEX asks the kernel to send only this device's entries (neigh_valid_dump_req); checked here
            // too, as the kernel ignores what it does not know.
            for (NetlinkMessage m : handle.dump(op, new MessageBuilder(Rtnetlink.RTM_GETNEIGH, 0)
                    .struct(new NdMsg(family, 0, 0, 0, 0)).attrU32(NdMsg.NDA_IFINDEX, index))) {
                if (m.type() != Rtnetlink.RTM_NEWNEIGH) {
                    continue;
                }
                NdMsg header = NdMsg.readFrom(m.body());
                if (header.ifindex() != index || (header.state() & ~NdMsg.NUD_NOARP) == 0) {
                    continue;
                }
                Attributes a = m.attributes(NdMsg.SIZE);
                Optional<InetAddress> ip = a.bytes(NdMsg.NDA_DST).flatMap(NeighOps::ip);
                if (ip.isPresent()) {
                    out.add(new Neighbour(index, ip.get(), mac(a).orElse(null), header.state()));
                }
            }
        }
        return out;
    }

    /**
     * A static entry of {@code device}'s own FDB: frames to {@code mac} go to VTEP {@code remote}. What
     * {@code bridge fdb replace MAC dev DEVICE dst REMOTE self permanent} sends (less its extra NUD_NOARP bit,
     * which the vxlan driver treats as NUD_PERMANENT). An entry of {@code mac} with another remote is replaced.
     */
    public void setFdb(String device, MacAddress mac, InetAddress remote) {
        Objects.requireNonNull(remote, "remote");
        String op = "setting fdb " + mac + " dev " + device + " dst " + IpPrefix.format(remote);
        handle.mutate(op, fdb(Rtnetlink.RTM_NEWNEIGH, Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE,
                index(device, op), mac, remote));
    }

    /**
     * Deletes {@code mac}'s entry towards {@code remote} from {@code device}'s own FDB ({@code remote} null: the
     * entry with every remote); one that is already gone (ENOENT) is fine.
     */
    public void deleteFdb(String device, MacAddress mac, InetAddress remote) {
        String op = "deleting fdb " + mac + " dev " + device + (remote == null ? "" : " dst " + IpPrefix.format(remote));
        mutateUnlessGone(op, fdb(Rtnetlink.RTM_DELNEIGH, 0, index(device, op), mac, remote));
    }

    /**
     * The entries of {@code device}'s own FDB (NTF_SELF), one per remote. A bridge port's dump also carries the
     * bridge's entries for that port (the port's own MAC, learned ones): those come with ndm_flags 0 (not
     * NTF_MASTER) and NDA_MASTER, and are left out. A device without an FDB of its own (a bridge itself, a veth)
     * reports its unicast and multicast address lists instead (33:33:00:00:00:01...), NTF_SELF and NUD_PERMANENT.
     */
    public List<FdbEntry> fdb(String device) {
        String op = "listing fdb of " + device;
        int index = index(device, op);
        List<FdbEntry> out = new ArrayList<>();
        // A bare ndmsg: rtnl_fdb_dump then walks every device of the namespace (it filters by ndm_ifindex only for
        // sockets with NETLINK_GET_STRICT_CHK), so the filter is here.
        for (NetlinkMessage m : handle.dump(op, new MessageBuilder(Rtnetlink.RTM_GETNEIGH, 0)
                .struct(new NdMsg(IfLink.AF_BRIDGE, index, 0, 0, 0)))) {
            if (m.type() != Rtnetlink.RTM_NEWNEIGH) {
                continue;
            }
            NdMsg header = NdMsg.readFrom(m.body());
            if (header.ifindex() != index || (header.flags() & NdMsg.NTF_SELF) == 0) {
                continue;
            }
            Attributes a = m.attributes(NdMsg.SIZE);
            Optional<MacAddress> mac = mac(a);
            if (mac.isPresent()) {
                out.add(new FdbEntry(index, mac.get(), a.bytes(NdMsg.NDA_DST).flatMap(NeighOps::ip).orElse(null),
                        header.state(), header.flags()));
            }
        }
        return out;
    }

    /** struct ndmsg of the address's family, then NDA_DST and (on a set) NDA_LLADDR. */
    static MessageBuilder neighbour(int type, int flags, int index, InetAddress ip, Optional<MacAddress> mac) {
        int state = type == Rtnetlink.RTM_NEWNEIGH ? NdMsg.NUD_PERMANENT : 0;
        MessageBuilder m = new MessageBuilder(type, flags).struct(new NdMsg(Route.family(ip), index, state, 0, 0))
                .attr(NdMsg.NDA_DST, ip.getAddress());
        mac.ifPresent(a -> m.attr(NdMsg.NDA_LLADDR, a.bytes()));
        return m;
    }

    /** struct ndmsg of PF_BRIDGE, NTF_SELF (the device's table, not its master's), NDA_LLADDR, NDA_DST. */
    static MessageBuilder fdb(int type, int flags, int index, MacAddress mac, InetAddress remote) {
        MessageBuilder m = new MessageBuilder(type, flags)
                .struct(new NdMsg(IfLink.AF_BRIDGE, index, NdMsg.NUD_PERMANENT, NdMsg.NTF_SELF, 0))
                .attr(NdMsg.NDA_LLADDR, mac.bytes());
        if (remote != null) {
            m.attr(NdMsg.NDA_DST, remote.getAddress());
        }
        return m;
    }

    private int index(String device, String operation) {
        return handle.links().require(device, operation).index();
    }

    private void mutateUnlessGone(String operation, MessageBuilder request) {
        try {
            handle.mutate(operation, request);
        } catch (KernelException e) {
            if (!e.errno().equals(Errno.ENOENT)) {
                throw e;
            }
        }
    }

    private static Optional<MacAddress> mac(Attributes a) {
        return a.bytes(NdMsg.NDA_LLADDR).filter(b -> b.length == 6).map(MacAddress::of);
    }

    private static Optional<InetAddress> ip(byte[] raw) {
        if (raw.length != 4 && raw.length != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(raw));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
