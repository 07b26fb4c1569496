package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.VethPair;

import java.util.List;
import java.util.Optional;

/**
 * Segment {@code segment} of a bridge network on this host: a bridge of its own ({@code segmentBridge}, no
 * address: the gateway stays on the first bridge) joined to the network's first bridge ({@code bridge}) by a veth
 * trunk ({@code trunkMain} on the first bridge, {@code trunkSegment} on the segment's), both up, all marked as the
 * network's, so that endpoints on either bridge are one L2 segment with the gateway. Made when the first bridge
 * is full (the Linux bridge takes 1,023 ports); a link of one of these names that is not the network's is refused
 * (NAME_IN_USE) and left as it is.
 */
public record EnsureSegment(String network, int segment, String bridge, String segmentBridge, String trunkMain,
                            String trunkSegment, int mtu) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Link main = host.links().require(bridge, describe());
        LinkMark first = LinkMark.bridge(network);
        if (!first.owns(main, first.mac())) {
            throw new NameInUseException(main, first.text()); // the trunk joins this network's own first bridge only
        }
        new EnsureBridge(segmentBridge, mtu, List.of(), LinkMark.segment(network, segment)).run(kernel);
        CrashPoints.reach("grow.after-bridge");
        LinkMark mark = LinkMark.trunk(network, segment);
        Optional<Link> trunk = host.links().get(trunkMain);
        if (trunk.isPresent() && (!trunk.get().kind().equals("veth") || !mark.owns(trunk.get(), mark.mac()))) {
            throw new NameInUseException(trunk.get(), mark.text());
        }
        Optional<Link> peer = host.links().get(trunkSegment);
        if (trunk.isPresent() && peer.isEmpty()) {
            host.links().delete(trunk.get()); // half a trunk (its other end is gone): made again whole
            trunk = Optional.empty();
        }
        if (trunk.isEmpty()) {
            host.links().addVeth(new VethPair(trunkMain, trunkSegment, mtu, Optional.empty(), Optional.of(bridge),
                    Optional.of(peerMark().mac()), true, Optional.of(mark.mac())));
        }
        host.links().setAlias(trunkMain, mark.text());
        Link segmentEnd = host.links().require(trunkSegment, describe());
        if (!mark.owns(segmentEnd, peerMark().mac())) {
            throw new NameInUseException(segmentEnd, mark.text());
        }
        host.links().setAlias(trunkSegment, mark.text());
        Link segmentBr = host.links().require(segmentBridge, describe());
        if (segmentEnd.masterIndex() != segmentBr.index()) {
            host.links().setMaster(trunkSegment, segmentBridge);
        }
        Link mainEnd = host.links().require(trunkMain, describe());
        if (mainEnd.masterIndex() != main.index()) {
            host.links().setMaster(trunkMain, bridge);
        }
        host.links().setUp(trunkMain);
        host.links().setUp(trunkSegment);
    }

    private LinkMark peerMark() {
        return LinkMark.trunkPeer(network, segment);
    }

    @Override
    public String describe() {
        return "ensure segment " + segment + " of network " + network + " (bridge " + segmentBridge + ", trunk "
                + trunkMain + " to " + bridge + ")";
    }
}
