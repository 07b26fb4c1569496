package dev.netkeeper.overlay;

import dev.netkeeper.api.Audit;
import dev.netkeeper.kernel.VxlanPeers;
import dev.netkeeper.kernel.VxlanPeers.Peer;
import dev.netkeeper.network.AddressPool;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.network.NetworkState;
import dev.netkeeper.network.driver.OverlayDriver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each host's VXLAN device must know, from the journaled network: the endpoints on the other hosts. */
class PeerPlanTest {
    private static final NetworkConfig OVERLAY = new NetworkConfig("ov", "overlay",
            new AddressPool("10.60.0.0/24", "10.60.0.1", null, List.of()),
            new AddressPool("fd60::/64", "fd60::1", null, List.of()), 1450, false, "eth",
            Map.of("bridge.name", "nk-ov"), false, false, 4096);
    private static final Map<String, String> UNDERLAYS = Map.of("alpha", "192.0.2.11", "beta", "192.0.2.12");

    private static Audit audit() {
        return Audit.agent("test");
    }

    private static Endpoint on(String host, String name, String mac, String v4, String v6) {
        return new Endpoint(name, "nkv" + name, "nkc" + name, mac, v4, v6, null, host);
    }

    private static NetworkState network(NetworkConfig config, Endpoint... endpoints) {
        NetworkState s = NetworkState.EMPTY.apply(new NetworkEvent.NetworkCreated(config, "alpha", audit()));
        for (Endpoint e : endpoints) {
            s = s.apply(new NetworkEvent.EndpointAllocated(e, audit()));
        }
        return s;
    }

    @Test
    void aHostsDeviceKnowsTheOtherHostsEndpointsWithTheirUnderlay() {
        NetworkState s = network(OVERLAY, on("alpha", "a1", "02:00:00:00:00:a1", "10.60.0.2/24", "fd60::2/64"),
                on("beta", "b1", "02:00:00:00:00:b1", "10.60.0.3/24", "fd60::3/64"),
                on("beta", "b2", "02:00:00:00:00:b2", "10.60.0.4/24", null));
        VxlanPeers alpha = PeerPlan.of(s, "alpha", UNDERLAYS).orElseThrow();
        assertEquals(OverlayDriver.vxlanName("ov"), alpha.name());
        assertEquals(List.of(new Peer("02:00:00:00:00:b1", "10.60.0.3", "fd60::3", "192.0.2.12"),
                new Peer("02:00:00:00:00:b2", "10.60.0.4", null, "192.0.2.12")), alpha.peers(), "beta's, not its own");
        assertEquals(List.of(new Peer("02:00:00:00:00:a1", "10.60.0.2", "fd60::2", "192.0.2.11")),
                PeerPlan.of(s, "beta", UNDERLAYS).orElseThrow().peers());
    }

    @Test
    void anEndpointGoneIsNoPeerAnyMore() {
        NetworkState s = network(OVERLAY, on("alpha", "a1", "02:00:00:00:00:a1", "10.60.0.2/24", null),
                on("beta", "b1", "02:00:00:00:00:b1", "10.60.0.3/24", null))
                .apply(new NetworkEvent.EndpointReleased("b1", "unlinked", audit()));
        assertEquals(List.of(), PeerPlan.of(s, "alpha", UNDERLAYS).orElseThrow().peers());
    }

    @Test
    void aHostWhoseUnderlayIsUnknownIsLeftOutUntilItIsKnown() {
        NetworkState s = network(OVERLAY, on("alpha", "a1", "02:00:00:00:00:a1", "10.60.0.2/24", null),
                on("gamma", "g1", "02:00:00:00:00:c1", "10.60.0.5/24", null));
        assertEquals(List.of(), PeerPlan.of(s, "alpha", UNDERLAYS).orElseThrow().peers());
        assertEquals(1, PeerPlan.of(s, "alpha", Map.of("gamma", "192.0.2.13")).orElseThrow().peers().size());
    }

    @Test
    void noDeviceToProgramForABridgeNetworkOrAHostWithoutTheNetwork() {
        NetworkConfig bridge = new NetworkConfig("br", "bridge", OVERLAY.ipv4(), null, 1500, false, "eth",
                Map.of("bridge.name", "nk-br"));
        assertEquals(Optional.empty(), PeerPlan.of(network(bridge, on("beta", "b1", "02:00:00:00:00:b1",
                "10.60.0.3/24", null)), "alpha", UNDERLAYS));
        NetworkState s = network(OVERLAY, on("beta", "b1", "02:00:00:00:00:b1", "10.60.0.3/24", null));
        assertTrue(PeerPlan.of(s, "gamma", UNDERLAYS).isEmpty(), "gamma has no kernel state of the network");
        assertTrue(PeerPlan.of(s.apply(new NetworkEvent.NetworkDeleted(audit())), "alpha", UNDERLAYS).isEmpty());
    }
}
