package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bridge's veths of ours (name "veth…") are exactly {@code veths}, each on the bridge and up: one
 * dump of the bridge's ports answers for all endpoints that are in place (the common case after a
 * restart); the others are made or fixed by their {@link EnsureVeth}. Ours that the journal does not
 * know (left by a rollback cut short by a crash) are deleted; links of other owners are never touched.
 */
public record BridgePorts(String bridge, List<EnsureVeth> veths) implements KernelTask {
    public BridgePorts {
        veths = List.copyOf(veths);
    }

    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Map<String, Link> ports = new HashMap<>();
        host.links().ports(bridge).forEach(l -> ports.put(l.name(), l));
        Set<String> keep = veths.stream().map(EnsureVeth::hostName).collect(Collectors.toSet());
        for (Link l : ports.values()) {
            if (l.kind().equals("veth") && l.name().startsWith("veth") && !keep.contains(l.name())) {
                host.links().delete(l.name());
            }
        }
        for (EnsureVeth veth : veths) {
            Link port = ports.get(veth.hostName());
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
