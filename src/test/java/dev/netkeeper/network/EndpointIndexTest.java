package dev.netkeeper.network;

import dev.netkeeper.api.Audit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The entity's index of addresses and veth names follows the events exactly as the state does. */
class EndpointIndexTest {
    static final Audit AUDIT = new Audit("r", 0L, "test");
    static final NetworkConfig CONFIG = new NetworkConfig("n1", "bridge",
            new AddressPool("10.1.0.0/24", "10.1.0.1", null, List.of()),
            new AddressPool("fd00:1::/64", "fd00:1::1", null, List.of()), 1500, false, "eth", Map.of());

    static Endpoint ep(String name, int host) {
        return new Endpoint(name, "nkv" + name, "nkc" + name, "02:42:0a:01:00:0" + host, "10.1.0." + host + "/24",
                "fd00:1::" + host + "/64", null, null);
    }

    /** Applies the events to a state and to an index, and checks the index against the state's own view. */
    static NetworkState run(EndpointIndex index, NetworkState state, NetworkEvent... events) {
        for (NetworkEvent e : events) {
            index.apply(e);
            state = state.apply(e);
            assertEquals(state.addressesInUse(false), index.addressesInUse(false), "IPv4 after " + e);
            assertEquals(state.addressesInUse(true), index.addressesInUse(true), "IPv6 after " + e);
        }
        return state;
    }

    @Test
    void followsAllocationsReleasesAndDeletion() {
        EndpointIndex index = new EndpointIndex();
        NetworkState s = run(index, NetworkState.EMPTY, new NetworkEvent.NetworkCreated(CONFIG, null, AUDIT),
                new NetworkEvent.EndpointAllocated(ep("a", 2), AUDIT), new NetworkEvent.EndpointAllocated(ep("b", 3), AUDIT),
                new NetworkEvent.EndpointPlaced("a", "h:/var/run/netns/x", AUDIT),
                new NetworkEvent.EndpointReleased("a", "unlink", AUDIT));
        assertEquals(Set.of("10.1.0.3"), index.addressesInUse(false));
        assertTrue(index.hasHostVeth("nkvb"));
        assertFalse(index.hasHostVeth("nkva"), "released");
        run(index, s, new NetworkEvent.NetworkDeleted(AUDIT));
        assertEquals(Set.of(), index.addressesInUse(false));
        assertFalse(index.hasHostVeth("nkvb"));
        assertThrows(UnsupportedOperationException.class, () -> index.addressesInUse(false).add("10.1.0.9"));
    }

    @Test
    void rebuiltFromASnapshotThenFedTheEventsAfterIt() {
        NetworkState snapshot = NetworkState.EMPTY.apply(new NetworkEvent.NetworkCreated(CONFIG, null, AUDIT))
                .apply(new NetworkEvent.EndpointAllocated(ep("a", 2), AUDIT))
                .apply(new NetworkEvent.EndpointAllocated(ep("b", 3), AUDIT));
        // recovery: the events after the snapshot go through the handler first, the rebuild comes last
        EndpointIndex index = new EndpointIndex();
        NetworkState recovered = snapshot;
        for (NetworkEvent e : List.of(new NetworkEvent.EndpointReleased("b", "unlink", AUDIT),
                new NetworkEvent.EndpointAllocated(ep("c", 4), AUDIT))) {
            index.apply(e); // on an index that has not seen the snapshot yet: harmless, the rebuild follows
            recovered = recovered.apply(e);
        }
        index.rebuild(recovered);
        assertEquals(recovered.addressesInUse(false), index.addressesInUse(false));
        assertEquals(Set.of("10.1.0.2", "10.1.0.4"), index.addressesInUse(false));
        assertTrue(index.hasHostVeth("nkvc"));
    }
}
