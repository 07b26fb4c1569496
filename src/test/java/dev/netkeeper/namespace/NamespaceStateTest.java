package dev.netkeeper.namespace;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceAdded;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceRemoved;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceCreated;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceDeleted;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceStateTest {
    static final String PATH = "/var/run/netns/c1";

    static final PlacedInterface A = placed("net1", "c1", "cetha", "eth0", "10.1.0.2/24");
    static final PlacedInterface B = placed("net2", "c1", "cethb", "eth1", "10.2.0.2/24");
    static final PlacedInterface C = placed("net1", "c2", "cethc", "data0", "10.1.0.3/24");

    private int counter;

    static PlacedInterface placed(String network, String endpoint, String src, String dst, String address) {
        return new PlacedInterface(network, endpoint,
                new Interface(src, dst, "02:42:0a:01:00:02", address, null, null, null, 1500));
    }

    private Audit audit() {
        return new Audit("req-" + (++counter), counter, "test");
    }

    private NamespaceState created() {
        return NamespaceState.EMPTY.apply(new NamespaceCreated("h1", PATH, new Audit("create", 1L, "cli")));
    }

    private NamespaceState withThree() {
        return created().apply(new InterfaceAdded(A, audit())).apply(new InterfaceAdded(B, audit()))
                .apply(new InterfaceAdded(C, audit()));
    }

    @Test
    void emptyStateDoesNotExist() {
        assertFalse(NamespaceState.EMPTY.exists());
        assertNull(NamespaceState.EMPTY.path());
        assertEquals(Map.of(), NamespaceState.EMPTY.interfaces());
        assertEquals(List.of(), NamespaceState.EMPTY.recentRequests());
        NamespaceState s = new NamespaceState(null, null, null, null);
        assertEquals(Map.of(), s.interfaces());
        assertEquals(List.of(), s.recentRequests());
    }

    @Test
    void namespaceCreatedSetsHostAndPath() {
        NamespaceState s = created();
        assertTrue(s.exists());
        assertEquals("h1", s.host());
        assertEquals(PATH, s.path());
        assertEquals(Map.of(), s.interfaces());
        assertTrue(s.handled("create"));
        assertFalse(s.handled("other"));
        assertFalse(s.handled(null));
    }

    @Test
    void interfaceAddedIsKeyedByDstName() {
        NamespaceState s = withThree();
        assertEquals(List.of("eth0", "eth1", "data0"), List.copyOf(s.interfaces().keySet()));
        assertEquals(A, s.interfaces().get("eth0"));
        assertEquals(C, s.interfaces().get("data0"));
        assertEquals("h1", s.host());
        assertEquals(PATH, s.path());
    }

    @Test
    void interfaceRemovedDropsOnlyThatOne() {
        NamespaceState s = withThree().apply(new InterfaceRemoved("eth1", "removed", audit()));
        assertEquals(Map.of("eth0", A, "data0", C), s.interfaces());
        NamespaceState same = s.apply(new InterfaceRemoved("nope", "removed", audit()));
        assertEquals(s.interfaces(), same.interfaces());
    }

    @Test
    void applyDoesNotChangeTheOldState() {
        NamespaceState s = withThree();
        Map<String, PlacedInterface> before = Map.copyOf(s.interfaces());
        s.apply(new InterfaceRemoved("eth0", "removed", audit()));
        s.apply(new InterfaceAdded(placed("n", "e", "cethz", "eth9", "10.9.0.2/24"), audit()));
        assertEquals(before, s.interfaces());
    }

    @Test
    void namespaceDeletedClearsEverythingButTheRequests() {
        NamespaceState s = withThree().apply(new NamespaceDeleted(new Audit("delete", 9L, "cli")));
        assertFalse(s.exists());
        assertNull(s.host());
        assertNull(s.path());
        assertEquals(Map.of(), s.interfaces());
        assertTrue(s.handled("delete"));
        assertTrue(s.handled("create"));
    }

    @Test
    void bySrcNameFindsThePlacedInterface() {
        NamespaceState s = withThree();
        assertEquals(Optional.of(A), s.bySrcName("cetha"));
        assertEquals(Optional.of(C), s.bySrcName("cethc"));
        assertEquals(Optional.empty(), s.bySrcName("eth0"), "srcName, not dstName");
        assertEquals(Optional.empty(), s.bySrcName("cethx"));
        assertEquals(Optional.empty(), s.apply(new InterfaceRemoved("eth0", "x", audit())).bySrcName("cetha"));
    }

    @Test
    void byEndpointNeedsBothNetworkAndEndpoint() {
        NamespaceState s = withThree();
        assertEquals(Optional.of(A), s.byEndpoint("net1", "c1"));
        assertEquals(Optional.of(B), s.byEndpoint("net2", "c1"));
        assertEquals(Optional.of(C), s.byEndpoint("net1", "c2"));
        assertEquals(Optional.empty(), s.byEndpoint("net2", "c2"));
        assertEquals(Optional.empty(), s.byEndpoint("net3", "c1"));
    }

    @Test
    void infoListsTheInterfacesInOrderOfAddition() {
        NamespaceInfo info = withThree().info();
        assertEquals("h1", info.host());
        assertEquals(PATH, info.path());
        assertEquals(List.of(A.iface(), B.iface(), C.iface()), info.interfaces());
        assertEquals(new NamespaceInfo("h1", PATH, List.of()), created().info());
    }

    @Test
    void agentRequestIdsAreNotRemembered() {
        NamespaceState s = created();
        NamespaceState t = s.apply(new InterfaceRemoved("eth0", "gone", Audit.agent("recovery of h1:" + PATH)));
        assertEquals(s.recentRequests(), t.recentRequests());
        assertEquals(List.of("create"), t.recentRequests());
        NamespaceState u = t.apply(new InterfaceRemoved("eth0", "gone", new Audit(null, 1L, "x")));
        assertEquals(List.of("create"), u.recentRequests());
    }

    @Test
    void recentRequestsAreBoundedAndDropTheOldest() {
        int max = NamespaceState.REMEMBERED_REQUESTS;
        assertTrue(max > 0);
        NamespaceState s = NamespaceState.EMPTY.apply(new NamespaceCreated("h1", PATH, new Audit("r0", 0L, "t")));
        for (int i = 1; i < max; i++) {
            s = s.apply(new InterfaceRemoved("x", "y", new Audit("r" + i, i, "t")));
        }
        assertEquals(max, s.recentRequests().size());
        assertTrue(s.handled("r0"));
        s = s.apply(new InterfaceRemoved("x", "y", new Audit("r" + max, max, "t")));
        assertEquals(max, s.recentRequests().size());
        assertFalse(s.handled("r0"), "the oldest is dropped");
        assertEquals("r1", s.recentRequests().get(0));
        assertEquals("r" + max, s.recentRequests().get(max - 1));
        for (int i = max + 1; i < 3 * max; i++) {
            s = s.apply(new InterfaceRemoved("x", "y", new Audit("r" + i, i, "t")));
        }
        assertEquals(max, s.recentRequests().size());
        assertEquals("r" + (2 * max), s.recentRequests().get(0));
        assertEquals("r" + (3 * max - 1), s.recentRequests().get(max - 1));
    }
}
