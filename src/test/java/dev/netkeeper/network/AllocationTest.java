package dev.netkeeper.network;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.network.NetworkEvent.EndpointAllocated;
import dev.netkeeper.network.NetworkEvent.EndpointReleased;
import dev.netkeeper.network.NetworkEvent.NetworkCreated;
import dev.netkeeper.network.driver.Drivers;
import dev.netkeeper.network.driver.NetworkDriver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What a Link takes for a new endpoint: addresses, MAC, veth names, the bridge of its port. */
class AllocationTest {
    private static final Audit AUDIT = Audit.now("r", "test");
    private static final NetworkDriver BRIDGE = Drivers.load().find("bridge");

    private static NetworkConfig config(String subnet, Map<String, String> driverOptions) {
        return new NetworkConfig("net1", "bridge", new AddressPool(subnet, subnet.replace(".0/", ".1/").split("/")[0],
                null, List.of()), new AddressPool("fd00:1::/64", "fd00:1::1", null, List.of()), 1500, false, "eth",
                driverOptions);
    }

    private record Taken(NetworkState state, EndpointIndex index) {
        Taken then(Endpoint e) {
            NetworkEvent event = new EndpointAllocated(e, AUDIT);
            index.apply(event);
            return new Taken(state.apply(event), index);
        }
    }

    private static Taken fresh(NetworkConfig config) {
        NetworkState s = NetworkState.EMPTY.apply(new NetworkCreated(config, "h1", AUDIT));
        EndpointIndex index = new EndpointIndex();
        index.rebuild(s);
        return new Taken(s, index);
    }

    @Test
    void addressesFollowTheLastHandedOutAndTheMacFollowsTheIPv4Address() {
        Taken t = fresh(config("10.1.0.0/24", Map.of("bridge.name", "nk-1")));
        Endpoint a = Allocation.endpoint(t.state(), t.index(), BRIDGE, "a", "h1");
        assertEquals("10.1.0.2/24", a.address());
        assertEquals("fd00:1::2/64", a.addressIPv6());
        assertEquals("02:42:0a:01:00:02", a.macAddress());
        assertTrue(a.hostVeth().startsWith("nkv") && a.hostVeth().length() == 15, a.hostVeth());
        assertEquals("nkc" + a.hostVeth().substring(3), a.srcName(), "both ends share the id");
        assertEquals(0, a.segment());
        t = t.then(a);
        Endpoint b = Allocation.endpoint(t.state(), t.index(), BRIDGE, "b", "h1");
        assertEquals("10.1.0.3/24", b.address());
        assertNotEquals(a.hostVeth(), b.hostVeth());
        NetworkEvent released = new EndpointReleased("a", "unlink", AUDIT);
        t.index().apply(released);
        t = new Taken(t.state().apply(released), t.index()).then(b);
        assertEquals("10.1.0.4/24", Allocation.endpoint(t.state(), t.index(), BRIDGE, "c", "h1").address(),
                "a released address is not reused at once: the next one after the last handed out");
    }

    @Test
    void anAddressOrMacAskedForIsTakenOnlyWhenTheNetworkMayHandItOut() {
        Taken t = fresh(config("10.1.0.0/24", Map.of("bridge.name", "nk-1")));
        Endpoint a = Allocation.endpoint(t.state(), t.index(), BRIDGE, "a", "h1",
                new WantedAddresses("10.1.0.50", "fd00:1::50", "02:11:22:33:44:55"));
        assertEquals("10.1.0.50/24", a.address());
        assertEquals("fd00:1::50/64", a.addressIPv6());
        assertEquals("02:11:22:33:44:55", a.macAddress());
        Taken taken = t.then(a);
        for (var refusal : List.of(
                Map.entry(new WantedAddresses("10.1.0.50", null, null), ErrorCode.ADDRESS_IN_USE),
                Map.entry(new WantedAddresses(null, "fd00:1::50", null), ErrorCode.ADDRESS_IN_USE),
                Map.entry(new WantedAddresses(null, null, "02:11:22:33:44:55"), ErrorCode.ADDRESS_IN_USE),
                Map.entry(new WantedAddresses("10.1.0.1", null, null), ErrorCode.INVALID_OPTION), // the gateway
                Map.entry(new WantedAddresses("10.1.0.255", null, null), ErrorCode.INVALID_OPTION), // broadcast
                Map.entry(new WantedAddresses("10.2.0.5", null, null), ErrorCode.INVALID_OPTION), // outside
                Map.entry(new WantedAddresses("fd00:1::9", null, null), ErrorCode.INVALID_OPTION), // wrong family
                Map.entry(new WantedAddresses("not-an-ip", null, null), ErrorCode.INVALID_OPTION),
                Map.entry(new WantedAddresses(null, null, "01:00:5e:00:00:01"), ErrorCode.INVALID_OPTION))) { // multicast
            NetkeeperException e = assertThrows(NetkeeperException.class, () -> Allocation.endpoint(taken.state(),
                    taken.index(), BRIDGE, "b", "h1", refusal.getKey()), refusal.getKey()::toString);
            assertEquals(refusal.getValue(), e.code(), () -> refusal.getKey() + ": " + e.getMessage());
        }
        assertEquals("10.1.0.51/24", Allocation.endpoint(taken.state(), taken.index(), BRIDGE, "b", "h1").address(),
                "the next one handed out follows the last, asked for or not (the journaled cursor)");
    }

    @Test
    void aMacAskedForIsNeverGivenToAnotherEndpoint() {
        Taken t = fresh(config("10.1.0.0/29", Map.of("bridge.name", "nk-1")));
        String macOfTwo = MacAddresses.fromIPv4("10.1.0.2").toString();
        t = t.then(Allocation.endpoint(t.state(), t.index(), BRIDGE, "a", "h1",
                new WantedAddresses("10.1.0.6", null, macOfTwo)));
        Endpoint b = Allocation.endpoint(t.state(), t.index(), BRIDGE, "b", "h1");
        assertEquals("10.1.0.2/29", b.address(), "the cursor wrapped to .2");
        assertNotEquals(macOfTwo, b.macAddress(), "the MAC .2 would be is held: another one");
    }

    @Test
    void aFullPoolIsRefusedByName() {
        Taken t = fresh(config("10.1.0.0/30", Map.of("bridge.name", "nk-1")));
        t = t.then(Allocation.endpoint(t.state(), t.index(), BRIDGE, "a", "h1"));
        Taken full = t;
        NetkeeperException e = assertThrows(NetkeeperException.class,
                () -> Allocation.endpoint(full.state(), full.index(), BRIDGE, "b", "h1"));
        assertEquals(ErrorCode.POOL_EXHAUSTED, e.code());
        assertTrue(e.getMessage().contains("10.1.0.0/30") && e.getMessage().contains("net1"), e.getMessage());
    }

    @Test
    void aFullBridgeGrowsTheNetworkByAnotherPerHost() {
        Taken t = fresh(config("10.1.0.0/24", Map.of("bridge.name", "nk-1", "bridge.max-ports", "2")));
        int[] segments = new int[5];
        for (int i = 0; i < 5; i++) {
            Endpoint e = Allocation.endpoint(t.state(), t.index(), BRIDGE, "e" + i, "h1");
            segments[i] = e.segment();
            t = t.then(e);
        }
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, segments);
        assertEquals(0, Allocation.endpoint(t.state(), t.index(), BRIDGE, "other", "h2").segment(),
                "each host's bridges count apart");
    }
}
