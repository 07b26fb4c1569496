package dev.netkeeper.network;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.network.NetworkEvent.EndpointAllocated;
import dev.netkeeper.network.NetworkEvent.EndpointPlaced;
import dev.netkeeper.network.NetworkEvent.EndpointReleased;
import dev.netkeeper.network.NetworkEvent.EndpointUnplaced;
import dev.netkeeper.network.NetworkEvent.NetworkCreated;
import dev.netkeeper.network.NetworkEvent.NetworkDeleted;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkStateTest {
    static final AddressPool V4 = new AddressPool("10.1.0.0/24", "10.1.0.1", null, List.of());
    static final AddressPool V6 = new AddressPool("fd00:1::/64", "fd00:1::1", null, List.of());
    static final NetworkConfig CONFIG = new NetworkConfig("net1", "bridge", V4, V6, 1400, false, "eth",
            Map.of("bridge.name", "nk-12345678"));

    private int counter;

    private Audit audit() {
        return new Audit("req-" + (++counter), 1000L + counter, "test");
    }

    static Endpoint endpoint(String name, String v4, String v6) {
        return new Endpoint(name, "veth" + name, "ceth" + name, "02:42:0a:01:00:02", v4, v6, null, null);
    }

    private NetworkState created() {
        return NetworkState.EMPTY.apply(new NetworkCreated(CONFIG, null, audit()));
    }

    @Test
    void emptyStateDoesNotExist() {
        assertFalse(NetworkState.EMPTY.exists());
        assertEquals(Map.of(), NetworkState.EMPTY.endpoints());
        assertEquals(List.of(), NetworkState.EMPTY.recentRequests());
        assertNull(NetworkState.EMPTY.lastIPv4());
        assertNull(NetworkState.EMPTY.lastIPv6());
    }

    @Test
    void nullCollectionsBecomeEmpty() {
        NetworkState s = new NetworkState(null, null, null, null, null);
        assertEquals(Map.of(), s.endpoints());
        assertEquals(List.of(), s.recentRequests());
    }

    @Test
    void networkCreatedSetsConfigAndRemembersTheRequest() {
        Audit a = new Audit("create-1", 5L, "cli");
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(CONFIG, null, a));
        assertTrue(s.exists());
        assertEquals(CONFIG, s.config());
        assertEquals(Map.of(), s.endpoints());
        assertNull(s.lastIPv4());
        assertNull(s.lastIPv6());
        assertEquals(List.of("create-1"), s.recentRequests());
        assertTrue(s.handled("create-1"));
        assertFalse(s.handled("create-2"));
        assertFalse(s.handled(null));
    }

    @Test
    void endpointAllocatedAddsTheEndpointAndMovesBothCursors() {
        Endpoint e = endpoint("c1", "10.1.0.2/24", "fd00:1::2/64");
        NetworkState s = created().apply(new EndpointAllocated(e, audit()));
        assertEquals(Map.of("c1", e), s.endpoints());
        assertEquals("10.1.0.2", s.lastIPv4());
        assertEquals("fd00:1::2", s.lastIPv6());
        assertEquals(Set.of("10.1.0.2"), s.addressesInUse(false));
        assertEquals(Set.of("fd00:1::2"), s.addressesInUse(true));
        assertEquals(CONFIG, s.config());
    }

    @Test
    void endpointWithoutAddressesKeepsTheCursors() {
        NetworkState s = created().apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", null), audit()));
        assertEquals("10.1.0.2", s.lastIPv4());
        assertNull(s.lastIPv6());
        NetworkState t = s.apply(new EndpointAllocated(new Endpoint("c2", null, null, null, null, null, null, null),
                audit()));
        assertEquals("10.1.0.2", t.lastIPv4(), "an address-less endpoint must not reset the cursor");
        assertNull(t.lastIPv6());
        assertEquals(2, t.endpoints().size());
        assertEquals(Set.of("10.1.0.2"), t.addressesInUse(false));
        assertEquals(Set.of(), t.addressesInUse(true));
    }

    @Test
    void endpointReleasedRemovesItButKeepsTheCursor() {
        NetworkState s = created()
                .apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", "fd00:1::2/64"), audit()))
                .apply(new EndpointAllocated(endpoint("c2", "10.1.0.3/24", "fd00:1::3/64"), audit()))
                .apply(new EndpointReleased("c2", "unlinked", audit()));
        assertEquals(Set.of("c1"), s.endpoints().keySet());
        assertEquals("10.1.0.3", s.lastIPv4());
        assertEquals("fd00:1::3", s.lastIPv6());
        assertEquals(Set.of("10.1.0.2"), s.addressesInUse(false));
        assertEquals(Set.of("fd00:1::2"), s.addressesInUse(true));
    }

    @Test
    void endpointPlacedAndUnplacedSetAndClearTheNamespace() {
        NetworkState s = created().apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", null), audit()));
        NetworkState placed = s.apply(new EndpointPlaced("c1", "h1:/var/run/netns/c1", audit()));
        assertEquals("h1:/var/run/netns/c1", placed.endpoints().get("c1").namespace());
        assertEquals("10.1.0.2/24", placed.endpoints().get("c1").address());
        assertEquals(s.lastIPv4(), placed.lastIPv4());
        NetworkState unplaced = placed.apply(new EndpointUnplaced("c1", "h1:/var/run/netns/c1", audit()));
        assertNull(unplaced.endpoints().get("c1").namespace());
        assertEquals(s.endpoints().get("c1"), unplaced.endpoints().get("c1"));
    }

    @Test
    void applyDoesNotChangeTheOldState() {
        NetworkState s = created().apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", null), audit()));
        NetworkState copy = new NetworkState(s.config(), Map.copyOf(s.endpoints()), s.lastIPv4(), s.lastIPv6(),
                List.copyOf(s.recentRequests()));
        s.apply(new EndpointAllocated(endpoint("c2", "10.1.0.3/24", null), audit()));
        s.apply(new EndpointReleased("c1", "x", audit()));
        s.apply(new EndpointPlaced("c1", "ns", audit()));
        assertEquals(copy, s);
    }

    @Test
    void networkDeletedClearsEverythingButTheRequests() {
        NetworkState s = created()
                .apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", "fd00:1::2/64"), audit()))
                .apply(new NetworkDeleted(new Audit("delete-1", 9L, "cli")));
        assertFalse(s.exists());
        assertNull(s.config());
        assertEquals(Map.of(), s.endpoints());
        assertNull(s.lastIPv4());
        assertNull(s.lastIPv6());
        assertTrue(s.handled("delete-1"));
        assertTrue(s.handled("req-1"), "the create's request id survives the delete");
    }

    @Test
    void recreatingAfterDeleteStartsFromAnEmptyPool() {
        NetworkState s = created()
                .apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", null), audit()))
                .apply(new NetworkDeleted(audit()))
                .apply(new NetworkCreated(CONFIG, null, audit()));
        assertTrue(s.exists());
        assertEquals(Map.of(), s.endpoints());
        assertNull(s.lastIPv4());
        assertEquals(java.util.Optional.of("10.1.0.2/24"), Ipam.next(CONFIG.ipv4(), s.addressesInUse(false),
                s.lastIPv4()));
    }

    /** Allocates the next IPv4 address as the entity does: Ipam over the state's in-use set and cursor. */
    private NetworkState allocate(NetworkState s, String name, List<String> handedOut) {
        String address = Ipam.next(s.config().ipv4(), s.addressesInUse(false), s.lastIPv4()).orElseThrow();
        handedOut.add(address);
        return s.apply(new EndpointAllocated(endpoint(name, address, null), audit()));
    }

    @Test
    void aReleasedAddressIsNotReusedBeforeTheRangeWraps() {
        // a small range: 10.1.0.0/29 has hosts .1-.6; .1 is the gateway, so .2-.6 can be handed out
        NetworkConfig small = new NetworkConfig("small", "bridge",
                new AddressPool("10.1.0.0/29", "10.1.0.1", null, List.of()), null, 1500, false, "eth", Map.of());
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(small, null, audit()));
        List<String> out = new ArrayList<>();
        s = allocate(s, "a", out);                            // .2
        s = allocate(s, "b", out);                            // .3
        s = s.apply(new EndpointReleased("a", "unlinked", audit()));
        s = allocate(s, "c", out);                            // .4, not .2
        s = s.apply(new EndpointReleased("c", "unlinked", audit()));
        s = allocate(s, "d", out);                            // .5
        s = allocate(s, "e", out);                            // .6, the end of the range
        s = allocate(s, "f", out);                            // wraps: .2 (released first) again
        s = allocate(s, "g", out);                            // .3 is taken by b: .4
        assertEquals(List.of("10.1.0.2/29", "10.1.0.3/29", "10.1.0.4/29", "10.1.0.5/29", "10.1.0.6/29",
                "10.1.0.2/29", "10.1.0.4/29"), out);
        assertEquals(Set.of("10.1.0.3", "10.1.0.5", "10.1.0.6", "10.1.0.2", "10.1.0.4"), s.addressesInUse(false));
        assertEquals("10.1.0.4", s.lastIPv4());
        // full now
        assertTrue(Ipam.next(s.config().ipv4(), s.addressesInUse(false), s.lastIPv4()).isEmpty());
        // one freed: that one and no other
        s = s.apply(new EndpointReleased("d", "unlinked", audit()));
        assertEquals(java.util.Optional.of("10.1.0.5/29"),
                Ipam.next(s.config().ipv4(), s.addressesInUse(false), s.lastIPv4()));
    }

    @Test
    void agentRequestIdsAreNotRemembered() {
        NetworkState s = created();
        List<String> before = s.recentRequests();
        NetworkState t = s.apply(new EndpointReleased("nothing", "rollback", Audit.agent("rollback of link")));
        assertEquals(before, t.recentRequests());
        assertFalse(t.handled("agent:rollback of link"));
        NetworkState u = t.apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", null),
                new Audit(null, 1L, "x")));
        assertEquals(before, u.recentRequests(), "a null request id is not remembered either");
    }

    @Test
    void recentRequestsAreBoundedAndDropTheOldest() {
        assertEquals(1024, NetworkState.REMEMBERED_REQUESTS);
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(CONFIG, null, new Audit("r0", 0L, "t")));
        for (int i = 1; i < 1024; i++) {
            s = s.apply(new EndpointReleased("x", "y", new Audit("r" + i, i, "t")));
        }
        assertEquals(1024, s.recentRequests().size());
        assertTrue(s.handled("r0"));
        assertTrue(s.handled("r1023"));

        s = s.apply(new EndpointReleased("x", "y", new Audit("r1024", 1024, "t")));
        assertEquals(1024, s.recentRequests().size());
        assertFalse(s.handled("r0"), "the oldest request id is dropped");
        assertTrue(s.handled("r1"));
        assertTrue(s.handled("r1024"));
        assertEquals("r1", s.recentRequests().get(0));
        assertEquals("r1024", s.recentRequests().get(1023));

        for (int i = 1025; i < 3000; i++) {
            s = s.apply(new EndpointReleased("x", "y", new Audit("r" + i, i, "t")));
        }
        assertEquals(1024, s.recentRequests().size());
        assertEquals("r1976", s.recentRequests().get(0));
        assertEquals("r2999", s.recentRequests().get(1023));
    }

    @Test
    void infoDescribesTheNetworkAndItsEndpoints() {
        NetworkState s = created()
                .apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", "fd00:1::2/64"), audit()))
                .apply(new EndpointAllocated(endpoint("c2", "10.1.0.3/24", "fd00:1::3/64"), audit()))
                .apply(new EndpointPlaced("c2", "h1:/var/run/netns/c2", audit()));
        NetworkInfo info = s.info();
        assertEquals("net1", info.name());
        assertEquals("bridge", info.type());
        assertEquals("10.1.0.0/24", info.subnet());
        assertEquals("10.1.0.1", info.gateway());
        assertEquals("fd00:1::/64", info.subnetIPv6());
        assertEquals("fd00:1::1", info.gatewayIPv6());
        assertEquals(1400, info.mtu());
        assertFalse(info.internal());
        assertEquals(Map.of("bridge.name", "nk-12345678"), info.driverOptions());
        Interface i1 = new Interface("cethc1", "eth", "02:42:0a:01:00:02", "10.1.0.2/24", "fd00:1::2/64",
                "10.1.0.1", "fd00:1::1", 1400);
        Interface i2 = new Interface("cethc2", "eth", "02:42:0a:01:00:02", "10.1.0.3/24", "fd00:1::3/64",
                "10.1.0.1", "fd00:1::1", 1400);
        assertEquals(List.of(new EndpointInfo("c1", List.of(i1), null, null, List.of(), "vethc1"),
                new EndpointInfo("c2", List.of(i2), "h1:/var/run/netns/c2", null, List.of(), "vethc2")), info.endpoints(),
                "each with the host end of its veth");
    }

    @Test
    void infoOfAnInternalNetworkHasNoGatewaysOnInterfaces() {
        NetworkConfig internal = new NetworkConfig("iso", "bridge", V4, null, 1500, true, "eth", Map.of());
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(internal, null, audit()))
                .apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", null), audit()));
        NetworkInfo info = s.info();
        assertTrue(info.internal());
        assertEquals("10.1.0.1", info.gateway(), "the network still has its gateway");
        assertNull(info.subnetIPv6());
        assertNull(info.gatewayIPv6());
        Interface i = info.endpoints().get(0).interfaces().get(0);
        assertNull(i.gateway());
        assertNull(i.gatewayIPv6());
        assertNull(i.addressIPv6());
    }

    @Test
    void infoOfANullNetworkHasNoSubnetsAndNoInterfaces() {
        NetworkConfig none = new NetworkConfig("none1", "null", null, null, 1500, false, "eth", Map.of());
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(none, null, audit()))
                .apply(new EndpointAllocated(new Endpoint("c1", null, null, null, null, null, null, null), audit()));
        NetworkInfo info = s.info();
        assertEquals("null", info.type());
        assertNull(info.subnet());
        assertNull(info.gateway());
        assertEquals(List.of(new EndpointInfo("c1", List.of(), null)), info.endpoints());
    }

    @Test
    void eventsOfAnotherStateAreDistinct() {
        NetworkState a = created().apply(new EndpointAllocated(endpoint("c1", "10.1.0.2/24", null), audit()));
        NetworkState b = created().apply(new EndpointAllocated(endpoint("c1", "10.1.0.3/24", null), audit()));
        assertNotEquals(a, b);
    }

    @Test
    void hostsGrowWithEndpointsOnNewHostsAndEndpointsWithoutHostLiveAtHome() {
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(CONFIG, "alpha", audit()))
                .apply(new EndpointAllocated(onHost("a1", "10.1.0.2/24", "alpha"), audit()))
                .apply(new EndpointAllocated(onHost("b1", "10.1.0.3/24", "beta"), audit()))
                .apply(new EndpointAllocated(onHost("b2", "10.1.0.4/24", "beta"), audit()))
                .apply(new EndpointAllocated(endpoint("legacy", "10.1.0.5/24", null), audit()));
        assertEquals("alpha", s.home());
        assertEquals(Set.of("alpha", "beta"), s.hosts());
        assertEquals(List.of("alpha", "beta"), s.kernelHosts(), "home first");
        assertEquals(List.of("b1", "b2"), s.endpointsOn("beta").stream().map(Endpoint::name).toList());
        assertEquals(List.of("a1", "legacy"), s.endpointsOn("alpha").stream().map(Endpoint::name).toList());
        assertEquals("alpha", s.hostOf(s.endpoints().get("legacy")));
        assertEquals("beta", s.info().endpoints().get(1).host());
    }

    @Test
    void aHostKeepsItsBridgeUntilTheNetworkIsDeleted() {
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(CONFIG, "alpha", audit()))
                .apply(new EndpointAllocated(onHost("g1", "10.1.0.2/24", "gamma"), audit()))
                .apply(new EndpointReleased("g1", "unlink", audit()));
        assertEquals(List.of("alpha", "gamma"), s.kernelHosts(), "gamma's bridge is still there to remove");
        assertTrue(s.endpointsOn("gamma").isEmpty());
        NetworkState deleted = s.apply(new NetworkDeleted(audit()));
        assertFalse(deleted.exists());
        assertEquals(List.of("alpha", "gamma"), deleted.kernelHosts(), "where a cut tear-down is finished");
        assertEquals(CONFIG, deleted.removedConfig(), "what it tears down there");
        NetworkState again = deleted.apply(new NetworkCreated(CONFIG, "beta", audit()));
        assertEquals(List.of("beta"), again.kernelHosts(), "a network made again starts afresh");
        assertNull(again.removedConfig());
    }

    private static Endpoint onHost(String name, String v4, String host) {
        return new Endpoint(name, "veth" + name, "ceth" + name, "02:42:0a:01:00:02", v4, null, null, host);
    }
}
