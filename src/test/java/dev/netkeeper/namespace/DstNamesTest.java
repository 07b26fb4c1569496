package dev.netkeeper.namespace;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetkeeperException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The name an interface gets in its namespace, and which interface carries the namespace's default routes. */
class DstNamesTest {
    private static Interface iface(String dst, String gw, String gw6) {
        return new Interface("nkc" + dst, dst, "02:42:0a:00:00:02", "10.0.0.2/24", null, gw, gw6, 1500);
    }

    private static NamespaceState holding(PlacedInterface... placed) {
        Map<String, PlacedInterface> m = new LinkedHashMap<>();
        for (PlacedInterface p : placed) {
            m.put(p.iface().dstName(), p);
        }
        return new NamespaceState("h1", "/var/run/netns/c1", m, List.of());
    }

    private static PlacedInterface placed(String dst, String gw, String gw6) {
        return new PlacedInterface("n", "e-" + dst, iface(dst, gw, gw6));
    }

    @Test
    void aPrefixTakesItsLowestFreeIndex() {
        NamespaceState state = holding(placed("eth0", null, null), placed("eth2", null, null));
        assertEquals("eth1", DstNames.choose(state, "eth"));
        assertEquals("eth1", DstNames.choose(state, null), "none given: the eth prefix");
        assertEquals("eth1", DstNames.choose(state, ""));
        assertEquals("web0", DstNames.choose(state, "web"));
    }

    @Test
    void aNameEndingInADigitIsTakenAsIsOrRefused() {
        NamespaceState state = holding(placed("eth0", null, null));
        assertEquals("eth7", DstNames.choose(state, "eth7"));
        assertEquals(ErrorCode.DUPLICATE_DST_NAME, assertThrows(NetkeeperException.class,
                () -> DstNames.choose(state, "eth0")).code());
        assertEquals(ErrorCode.DUPLICATE_DST_NAME, assertThrows(NetkeeperException.class,
                () -> DstNames.choose(state, "lo")).code(), "the namespace's own loopback");
    }

    @Test
    void aNameTheKernelWouldRefuseIsRefusedFirst() {
        NamespaceState state = holding();
        assertEquals(ErrorCode.INVALID_NAME, assertThrows(NetkeeperException.class,
                () -> DstNames.choose(state, "a/b")).code());
        assertEquals(ErrorCode.INVALID_NAME, assertThrows(NetkeeperException.class,
                () -> DstNames.choose(state, "abcdefghijklmno")).code(), "15 characters leave no room for an index");
    }

    @Test
    void theFirstInterfaceWithAGatewayOfAFamilyCarriesItsDefaultRoute() {
        PlacedInterface internal = placed("eth0", null, null);
        PlacedInterface v4 = placed("eth1", "10.0.0.1", null);
        PlacedInterface both = placed("eth2", "10.1.0.1", "fd00::1");
        NamespaceState state = holding(internal, v4, both);
        assertFalse(DefaultRoutes.carries(state, internal, false), "no gateway, no route");
        assertTrue(DefaultRoutes.carries(state, v4, false));
        assertFalse(DefaultRoutes.carries(state, both, false), "the IPv4 route is eth1's already");
        assertTrue(DefaultRoutes.carries(state, both, true), "the first with an IPv6 gateway");
        assertFalse(DefaultRoutes.free(state, false));
        assertFalse(DefaultRoutes.free(state, true));
        assertTrue(DefaultRoutes.free(holding(internal), false), "an internal network's interface takes no route");
    }
}
