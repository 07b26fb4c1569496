package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bridge's veths of network {@code network} (marked as its endpoints' host ends) are exactly
 * {@code veths}, each on the bridge and up: one dump of the bridge's ports answers for all endpoints that
 * are in place (the common case after a restart); the others are made or fixed by their {@link EnsureVeth}.
 * Marked ones that the journal does not know (left by an unlink, delete or rollback cut short by a crash)
 * are deleted; ports without the network's mark belong to someone else and are never touched. Both ends are
 * checked: for the endpoints in {@code inHost} (host-end names of endpoints in no namespace, by the journal)
 * the peer must be in the host too; a pair whose container end is elsewhere (stranded in a namespace that
 * does not list it) is made again, the same names and MAC, in the host. A missing pair of an endpoint in
 * {@code inNamespaces} (held by a namespace, by the journal) is not made here: the namespace's converge asks for it,
 * and it is made born in that namespace (one step, no move).
 */
public record BridgePorts(String bridge, String network, List<EnsureVeth> veths, Set<String> inHost,
                          Set<String> inNamespaces) implements KernelTask {
    public BridgePorts {
        veths = List.copyOf(veths);
        inHost = Set.copyOf(inHost);
        inNamespaces = Set.copyOf(inNamespaces);
    }

    /** Every endpoint's container end may be anywhere (none is checked); missing pairs are made in the host. */
    public BridgePorts(String bridge, String network, List<EnsureVeth> veths) {
        this(bridge, network, veths, Set.of(), Set.of());
    }

    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Map<String, Link> ports = new HashMap<>();
        host.links().ports(bridge).forEach(l -> ports.put(l.name(), l));
        Set<String> keep = veths.stream().map(EnsureVeth::hostName).collect(Collectors.toSet());
        for (Link l : ports.values()) {
            if (l.kind().equals("veth") && LinkMark.isHostEndOf(l, network) && !keep.contains(l.name())) {
                host.links().delete(l); // the very port whose mark was checked
            }
        }
        for (EnsureVeth veth : veths) {
            Link port = ports.get(veth.hostName());
            if (port != null && inHost.contains(veth.hostName()) && port.peerElsewhere()
                    && veth.hostMark().on(port)) {
                host.links().delete(port); // its container end went astray: both ends go, then both are made
                port = null;
            }
            if (port == null && inNamespaces.contains(veth.hostName())) {
                continue; // made born in its namespace when that namespace converges
            }
            if (port == null || !port.isUp()) {
                veth.run(kernel);
            }
        }
    }

    @Override
    public String describe() {
        return "ensure exactly " + veths.size() + " veth(s) of ours on " + bridge;
    }
}
