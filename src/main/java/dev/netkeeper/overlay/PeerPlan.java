package dev.netkeeper.overlay;

import dev.netkeeper.kernel.VxlanPeers;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.Ipam;
import dev.netkeeper.network.NetworkState;
import dev.netkeeper.network.driver.OverlayDriver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one host's VXLAN device of an overlay network must know, from the network's journaled state: every endpoint
 * of the network on another host whose underlay address is known, with its MAC and addresses. Pure.
 */
public final class PeerPlan {
    private PeerPlan() {}

    /**
     * The task for {@code host}'s device, or empty when the network is no overlay, is deleted, or has no kernel
     * state on {@code host} (no device there to program).
     */
    public static Optional<VxlanPeers> of(NetworkState state, String host, Map<String, String> underlays) {
        if (!state.exists() || !"overlay".equals(state.config().driver()) || !state.kernelHosts().contains(host)) {
            return Optional.empty();
        }
        List<VxlanPeers.Peer> peers = new ArrayList<>();
        for (Endpoint e : state.endpoints().values()) {
            String at = state.hostOf(e);
            String underlay = at == null ? null : underlays.get(at);
            if (at == null || at.equals(host) || underlay == null || e.macAddress() == null) {
                continue;
            }
            peers.add(new VxlanPeers.Peer(e.macAddress(), e.address() == null ? null : Ipam.host(e.address()),
                    e.addressIPv6() == null ? null : Ipam.host(e.addressIPv6()), underlay));
        }
        peers.sort(Comparator.comparing(VxlanPeers.Peer::mac));
        return Optional.of(OverlayDriver.peers(state.config(), peers));
    }
}
