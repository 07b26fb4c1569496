package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;

import java.util.Optional;
import java.util.Set;

/**
 * Deletes veths of ours (name "veth…") attached to the bridge that the journal does not know: the
 * leftovers of a rollback cut short by a crash. Links of other owners are never touched.
 */
public record PruneBridgePorts(String bridge, Set<String> keep) implements KernelTask {
    public PruneBridgePorts {
        keep = Set.copyOf(keep);
    }

    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Optional<Link> br = host.links().get(bridge);
        if (br.isEmpty()) {
            return;
        }
        for (Link l : host.links().list()) {
            if (l.masterIndex() == br.get().index() && l.kind().equals("veth") && l.name().startsWith("veth")
                    && !keep.contains(l.name())) {
                host.links().delete(l.name());
            }
        }
    }

    @Override
    public String describe() {
        return "prune unknown ports of " + bridge;
    }
}
