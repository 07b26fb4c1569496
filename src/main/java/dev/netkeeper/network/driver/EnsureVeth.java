package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.kernel.NameInUseException;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.VethPair;

import java.util.Optional;

/**
 * A veth pair for one endpoint: {@code hostName} on the bridge and up, marked {@code hostMark}, its peer
 * made as {@code peerName} with the endpoint's MAC in the host, marked {@code peerMark}. When the host end
 * exists the pair is kept as it is, wherever its peer has gone (a namespace may hold it by now); a link
 * of that name that is not this endpoint's is refused (NAME_IN_USE) and left as it is.
 */
public record EnsureVeth(String hostName, String peerName, String peerMac, String bridge, int mtu,
                         LinkMark hostMark, LinkMark peerMark) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Optional<Link> existing = host.links().get(hostName);
        if (existing.isEmpty()) {
            ownBridge(host); // never a port of a bridge someone else put under our bridge's name
            host.links().addVeth(new VethPair(hostName, peerName, mtu, Optional.empty(), Optional.of(bridge),
                    Optional.of(MacAddress.parse(peerMac)), true, Optional.of(hostMark.mac())));
            mark(host);
            return;
        }
        if (!existing.get().kind().equals("veth") || !hostMark.owns(existing.get(), hostMark.mac())) {
            throw new NameInUseException(existing.get(), hostMark.text());
        }
        if (!hostMark.on(existing.get())) {
            mark(host); // made, then cut before it was marked: its peer is still in the host
        }
        int bridgeIndex = ownBridge(host).index();
        if (existing.get().masterIndex() != bridgeIndex) {
            host.links().setMaster(hostName, bridge);
        }
        if (!existing.get().isUp()) {
            host.links().setUp(hostName);
        }
    }

    private Link ownBridge(Handle host) {
        Link br = host.links().require(bridge, describe());
        if (!LinkMark.isOurs(br)) {
            throw new NameInUseException(br, "netkeeper's bridge " + bridge);
        }
        return br;
    }

    private void mark(Handle host) {
        host.links().setAlias(hostName, hostMark.text());
        Optional<Link> peer = host.links().get(peerName);
        if (peer.isPresent() && peer.get().mac().equals(Optional.of(MacAddress.parse(peerMac)))) {
            host.links().setAlias(peerName, peerMark.text());
        }
    }

    @Override
    public String describe() {
        return "ensure veth " + hostName + " (peer " + peerName + ") on " + bridge;
    }
}
