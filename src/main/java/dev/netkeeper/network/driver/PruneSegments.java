package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * No segment bridge or trunk of network {@code network} on this host but those of the segments in {@code keep}:
 * one dump of the links; those marked as the network's segment or trunk of another segment are deleted, and so are
 * unmarked ones that a crash left between creation and mark, known by their name and the MAC they were made with
 * ({@code unmarked}: name → segment, for the names the network's segments would take).
 */
public record PruneSegments(String network, Set<Integer> keep, Map<String, Integer> unmarked) implements KernelTask {
    public PruneSegments {
        keep = Set.copyOf(keep);
        unmarked = Map.copyOf(unmarked);
    }

    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        List<String> doomed = new ArrayList<>();
        for (Link l : host.links().list()) {
            Optional<Integer> k = LinkMark.segmentOf(l, network);
            if (k.isEmpty() && l.alias().isEmpty() && unmarked.containsKey(l.name())) {
                int candidate = unmarked.get(l.name());
                LinkMark made = l.kind().equals("bridge") ? LinkMark.segment(network, candidate)
                        : LinkMark.trunk(network, candidate);
                LinkMark peer = new LinkMark(LinkMark.trunk(network, candidate).text() + " peer");
                if (l.mac().equals(Optional.of(made.mac())) || l.mac().equals(Optional.of(peer.mac()))) {
                    k = Optional.of(candidate);
                }
            }
            if (k.isPresent() && !keep.contains(k.get())) {
                doomed.add(l.name());
            }
        }
        for (String name : doomed) {
            Optional<Link> link = host.links().get(name);
            if (link.isPresent() && link.get().kind().equals("bridge")) {
                // endpoints' pairs the journal no longer lists, still on the bridge: they go with it, not loose
                for (Link port : host.links().ports(name)) {
                    if (port.kind().equals("veth") && LinkMark.isHostEndOf(port, network)) {
                        host.links().delete(port);
                    }
                }
            }
            // a trunk's two ends are listed both: the first delete takes its peer along
            host.links().get(name).ifPresent(l -> host.links().delete(l));
        }
    }

    @Override
    public String describe() {
        return "keep only segments " + keep + " of network " + network;
    }
}
