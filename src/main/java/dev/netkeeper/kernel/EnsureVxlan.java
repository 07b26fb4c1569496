package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.Vxlan;
import dev.netkeeper.netlink.VxlanInfo;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The VXLAN device {@code name} of overlay network {@code network} exists in the host, marked as its own, with VNI
 * {@code vni}, UDP port {@value #PORT}, this host's underlay address as its source, learning off and ARP/ND proxy on
 * (it answers for the other hosts' endpoints from its neighbour entries, so nothing is flooded across hosts), as a
 * port of {@code bridge}, and up. A device whose settings differ (another VNI, another underlay address after a
 * restart) is made again: they cannot all be changed in place. A link of that name that is not ours is refused.
 */
public record EnsureVxlan(String name, String network, int vni, String bridge, int mtu) implements KernelTask {
    /** IANA's VXLAN port (RFC 7348); the kernel's default is still Linux's old 8472, so it is always set. */
    public static final int PORT = 4789;

    @Override
    public void run(KernelContext kernel) {
        InetAddress local = kernel.underlay().orElseThrow(() -> new NetkeeperException(ErrorCode.NO_UNDERLAY,
                "overlay network " + network + " needs an underlay address on this host: set"
                        + " netkeeper.overlay.underlay-address (or bind the cluster to an address other hosts reach)"));
        Handle host = kernel.host();
        LinkMark mark = LinkMark.vxlan(network);
        Link port = host.links().require(bridge, "attaching vxlan " + name);
        Optional<Link> existing = host.links().get(name);
        if (existing.isPresent()) {
            Link link = existing.get();
            if (!link.kind().equals("vxlan") || !mark.owns(link, mark.mac())) {
                throw new NameInUseException(link, mark.text());
            }
            if (!link.vxlan().map(v -> matches(v, local)).orElse(false)) {
                host.links().delete(link);
                existing = Optional.empty();
            }
        }
        if (existing.isEmpty()) {
            host.links().addVxlan(new Vxlan(name, vni, local, PORT, mtu, Optional.of(mark.mac()), false, true),
                    port.index());
            host.links().setAlias(name, mark.text());
            host.links().setUp(name);
            return;
        }
        Link link = existing.get();
        if (!mark.on(link)) {
            host.links().setAlias(name, mark.text()); // made, then cut before it was marked
        }
        if (link.masterIndex() != port.index()) {
            host.links().setMaster(name, bridge);
        }
        if (mtu > 0 && link.mtu() != mtu) {
            host.links().setMtu(name, mtu);
        }
        if (!link.isUp()) {
            host.links().setUp(name);
        }
    }

    private boolean matches(VxlanInfo v, InetAddress local) {
        return v.vni() == vni && local.equals(v.local()) && v.port() == PORT && !v.learning() && v.proxy();
    }

    @Override
    public String describe() {
        return "ensure vxlan " + name + " (vni " + vni + ") on " + bridge;
    }
}
