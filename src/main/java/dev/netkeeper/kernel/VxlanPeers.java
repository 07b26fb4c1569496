package dev.netkeeper.kernel;

import dev.netkeeper.netlink.FdbEntry;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.Neighbour;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Overlay network {@code network}'s VXLAN device {@code name} knows exactly {@code peers}, the endpoints of the
 * network on other hosts: for each, a static FDB entry (its MAC → its host's underlay address) and permanent
 * neighbour entries (its addresses → its MAC), which the device's proxy answers ARP and neighbour solicitations
 * from. Entries of ours that no longer match a peer are removed (an endpoint gone, moved, or its host's underlay
 * changed). Without the device (not made here yet, or not ours) there is nothing to do: it is the network's to make.
 */
public record VxlanPeers(String name, String network, List<Peer> peers) implements KernelTask {
    public VxlanPeers {
        peers = List.copyOf(peers);
    }

    /**
     * One endpoint on another host. {@code address}/{@code addressIPv6}: without prefix length, null when it has none;
     * {@code underlay}: its host's underlay address.
     */
    public record Peer(String mac, String address, String addressIPv6, String underlay) implements CborSerializable {}

    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Optional<Link> device = host.links().get(name);
        LinkMark mark = LinkMark.vxlan(network);
        if (device.isEmpty() || !device.get().kind().equals("vxlan") || !mark.owns(device.get(), mark.mac())) {
            return;
        }
        Map<MacAddress, InetAddress> fdb = new HashMap<>();
        Map<InetAddress, MacAddress> neighbours = new HashMap<>();
        for (Peer p : peers) {
            MacAddress mac = MacAddress.parse(p.mac());
            fdb.put(mac, IpPrefix.literal(p.underlay()));
            if (p.address() != null) {
                neighbours.put(IpPrefix.literal(p.address()), mac);
            }
            if (p.addressIPv6() != null) {
                neighbours.put(IpPrefix.literal(p.addressIPv6()), mac);
            }
        }
        for (FdbEntry e : host.neighbours().fdb(name)) {
            if (e.permanent() && !(e.remote() != null && e.remote().equals(fdb.get(e.mac())))) {
                host.neighbours().deleteFdb(name, e.mac(), e.remote());
            } else if (e.permanent()) {
                fdb.remove(e.mac()); // already as wanted
            }
        }
        fdb.forEach((mac, remote) -> host.neighbours().setFdb(name, mac, remote));
        for (Neighbour n : host.neighbours().neighbours(name)) {
            if (n.permanent() && !n.mac().equals(neighbours.get(n.address()))) {
                host.neighbours().deleteNeighbour(name, n.address());
            } else if (n.permanent()) {
                neighbours.remove(n.address());
            }
        }
        neighbours.forEach((ip, mac) -> host.neighbours().setNeighbour(name, ip, mac));
    }

    @Override
    public String describe() {
        return "ensure the " + peers.size() + " remote endpoints of vxlan " + name;
    }
}
