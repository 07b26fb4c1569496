package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container-network shape, end to end: a host-side namespace H with bridge br0 (the gateway), two
 * "containers" A and B each plugged in with a veth pair, and real traffic between them.
 */
class ScenarioTest {
    private static final long PING_MS = 10_000;

    private record Container(ThrowawayNamespace ns, String hostEnd, String tempPeer, String mac, String v4, String v6) {}

    @Test
    void twoContainersOnABridgeTalkToEachOtherAndTheGateway() {
        List<String> names = new ArrayList<>();
        try (ThrowawayNamespace h = ThrowawayNamespace.create("scn-h");
             ThrowawayNamespace a = ThrowawayNamespace.create("scn-a");
             ThrowawayNamespace b = ThrowawayNamespace.create("scn-b")) {
            names.addAll(List.of(h.name(), a.name(), b.name()));
            assertTrue(IpOracle.namespaces().containsAll(names), IpOracle.namespaces().toString());

            LinkOps hl = h.handle().links();
            hl.addBridge("br0", 0, Optional.empty());
            hl.setUp("br0");
            h.handle().addresses().add("br0", IpPrefix.parse("10.77.0.1/24"));
            h.handle().addresses().add("br0", IpPrefix.parse("fd77::1/64"));

            Container ca = new Container(a, "vethA", "nkttmpA", "02:77:00:00:00:02", "10.77.0.2", "fd77::2");
            Container cb = new Container(b, "vethB", "nkttmpB", "02:77:00:00:00:03", "10.77.0.3", "fd77::3");
            for (Container c : List.of(ca, cb)) {
                plugIn(h, c);
            }

            // Host side, as iproute2 sees it.
            for (Container c : List.of(ca, cb)) {
                JsonNode end = IpOracle.link(h.name(), c.hostEnd());
                assertNotNull(end, c.hostEnd());
                assertEquals("br0", end.path("master").asText());
                assertTrue(IpOracle.flags(end).contains("UP"));
                assertEquals(null, IpOracle.link(h.name(), c.tempPeer()), "the peer left H");
            }
            assertEquals(List.of("lo", "br0", "vethA", "vethB"),
                    IpOracle.linkNames(h.name()).stream().sorted((x, y) -> order(x) - order(y)).toList());

            // Container side.
            for (Container c : List.of(ca, cb)) {
                String ns = c.ns().name();
                assertEquals(List.of("lo", "eth0"), IpOracle.linkNames(ns));
                JsonNode eth0 = IpOracle.awaitLink(ns, "eth0", l -> "UP".equals(l.path("operstate").asText()), 3000);
                assertEquals(c.mac(), eth0.path("address").asText());
                assertEquals(1500, eth0.path("mtu").asInt());
                assertEquals("veth", eth0.path("linkinfo").path("info_kind").asText());
                assertEquals("UP", eth0.path("operstate").asText());
                assertTrue(IpOracle.flags(IpOracle.link(ns, "lo")).contains("UP"));
                List<String> addrs = IpOracle.addressesOf(ns, "eth0");
                assertTrue(addrs.contains(c.v4() + "/24"), addrs.toString());
                assertTrue(addrs.contains(c.v6() + "/64"), addrs.toString());
                assertTrue(hasDefault(IpOracle.routes(ns, false), "10.77.0.1"), IpOracle.routes(ns, false).toString());
                assertTrue(hasDefault(IpOracle.routes(ns, true), "fd77::1"), IpOracle.routes(ns, true).toString());
            }

            // Traffic: A to B over the bridge, both families, and A to the gateway.
            assertTrue(IpOracle.pingEventually(a.name(), "10.77.0.3", PING_MS), "A -> B IPv4");
            assertTrue(IpOracle.pingEventually(a.name(), "fd77::3", PING_MS), "A -> B IPv6");
            assertTrue(IpOracle.pingEventually(a.name(), "10.77.0.1", PING_MS), "A -> gateway IPv4");
            assertTrue(IpOracle.pingEventually(a.name(), "fd77::1", PING_MS), "A -> gateway IPv6");
            assertTrue(IpOracle.pingEventually(b.name(), "10.77.0.2", PING_MS), "B -> A IPv4");
            // The control: an address nobody has is not answered, so ping is a real witness.
            assertFalse(IpOracle.ping(a.name(), "10.77.0.99"), "nobody has 10.77.0.99");

            // Cutting B's cable (host end down) stops the traffic: the pings above went over vethB.
            hl.setDown("vethB");
            assertFalse(IpOracle.ping(a.name(), "10.77.0.3"), "B unreachable with vethB down");
        }

        List<String> after = IpOracle.namespaces();
        for (String n : names) {
            assertFalse(after.contains(n), n + " still listed: " + after);
            assertFalse(ThrowawayNamespace.ROOT.resolve(n).toFile().exists(), n);
        }
    }

    /** Host end on the bridge; peer made in H under a temporary name, moved, renamed and configured. */
    private static void plugIn(ThrowawayNamespace h, Container c) {
        LinkOps hl = h.handle().links();
        hl.addVeth(c.hostEnd(), c.tempPeer(), 1500, Optional.empty());
        hl.setMaster(c.hostEnd(), "br0");
        hl.setUp(c.hostEnd());
        hl.moveTo(c.tempPeer(), c.ns().namespace());

        Handle in = c.ns().handle();
        in.links().rename(c.tempPeer(), "eth0");
        in.links().setMac("eth0", MacAddress.parse(c.mac()));
        in.links().setMtu("eth0", 1500);
        in.addresses().add("eth0", IpPrefix.parse(c.v4() + "/24"));
        in.addresses().add("eth0", IpPrefix.parse(c.v6() + "/64"));
        in.links().setUp("lo");
        in.links().setUp("eth0");
        in.routes().addDefault(IpPrefix.literal("10.77.0.1"), "eth0");
        in.routes().addDefault(IpPrefix.literal("fd77::1"), "eth0");
    }

    private static boolean hasDefault(JsonNode routes, String gateway) {
        for (JsonNode r : routes) {
            if ("default".equals(r.path("dst").asText()) && gateway.equals(r.path("gateway").asText())
                    && "eth0".equals(r.path("dev").asText())) {
                return true;
            }
        }
        return false;
    }

    private static int order(String name) {
        return List.of("lo", "br0", "vethA", "vethB").indexOf(name);
    }
}
