package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * No segment bridge or trunk of network {@code network} on this host but those of the segments in {@code keep}.
 * A segment's links have names derived from the network and the segment ({@code names}: name → segment, every name
 * the network's segments can take), so each is looked up by name (no dump of the host's links, which holds
 * thousands of veths on a dense host): one marked as this network's segment or trunk, or unmarked but made with the
 * mark's MAC (a crash between creation and mark), of a segment not kept, is deleted; a bridge's endpoint pairs that
 * are still on it go first, so that none is left loose.
 */
public record PruneSegments(String network, Set<Integer> keep, Map<String, Integer> names) implements KernelTask {
    public PruneSegments {
        keep = Set.copyOf(keep);
        names = Map.copyOf(names);
    }

    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        for (Map.Entry<String, Integer> candidate : names.entrySet()) {
            int k = candidate.getValue();
            if (keep.contains(k)) {
                continue;
            }
            Optional<Link> link = host.links().get(candidate.getKey());
            if (link.isEmpty() || !ours(link.get(), k)) {
                continue;
            }
            if (link.get().kind().equals("bridge")) {
                for (Link port : host.links().ports(link.get().name())) {
                    if (port.kind().equals("veth") && LinkMark.isHostEndOf(port, network)) {
                        host.links().delete(port);
                    }
                }
            }
            // a trunk's other end may be gone with this one already: looked up again, by name, before each delete
            host.links().get(candidate.getKey()).ifPresent(l -> host.links().delete(l));
        }
    }

    private boolean ours(Link link, int k) {
        if (LinkMark.segmentOf(link, network).equals(Optional.of(k))) {
            return true;
        }
        if (!link.alias().isEmpty()) {
            return false;
        }
        LinkMark made = link.kind().equals("bridge") ? LinkMark.segment(network, k) : LinkMark.trunk(network, k);
        LinkMark peer = LinkMark.trunkPeer(network, k);
        return link.mac().equals(Optional.of(made.mac())) || link.mac().equals(Optional.of(peer.mac()));
    }

    @Override
    public String describe() {
        return "keep only segments " + keep + " of network " + network;
    }
}
