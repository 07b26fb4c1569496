package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LinkOps against the kernel, inside throwaway namespaces. Every mutation is checked with iproute2
 * ({@link IpOracle}), not only with our own get().
 */
class LinkOpsTest {
    private static final long SETTLE_MS = 3000;

    private ThrowawayNamespace ns;
    private ThrowawayNamespace other;
    private LinkOps links;

    @BeforeEach
    void createNamespaces() {
        ns = ThrowawayNamespace.create("link");
        try {
            other = ThrowawayNamespace.create("linko");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        links = ns.handle().links();
    }

    @AfterEach
    void removeNamespaces() {
        try {
            if (other != null) {
                other.close();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void bridgeWithMtuAndMac() {
        links.addBridge("nktbr0", 1400, Optional.of(MacAddress.parse("02:11:22:33:44:55")));

        JsonNode o = oracle("nktbr0");
        assertEquals(1400, o.path("mtu").asInt());
        assertEquals("02:11:22:33:44:55", o.path("address").asText());
        assertEquals("bridge", o.path("linkinfo").path("info_kind").asText());
        assertFalse(IpOracle.flags(o).contains("UP"), "a new bridge is down: " + IpOracle.flags(o));
        assertEquals("DOWN", o.path("operstate").asText());

        Link ours = links.get("nktbr0").orElseThrow();
        assertEquals(o.path("ifindex").asInt(), ours.index());
        assertEquals("bridge", ours.kind());
        assertEquals(1400, ours.mtu());
        assertEquals(Optional.of(MacAddress.parse("02:11:22:33:44:55")), ours.mac());
        assertFalse(ours.isUp());
    }

    @Test
    void bridgeWithoutMacGetsOneFromTheKernel() {
        links.addBridge("nktbr1", 0, Optional.empty());

        JsonNode o = oracle("nktbr1");
        assertEquals(1500, o.path("mtu").asInt(), "MTU 0 keeps the kernel default");
        assertEquals("bridge", o.path("linkinfo").path("info_kind").asText());
        MacAddress kernelMac = MacAddress.parse(o.path("address").asText());
        assertNotEquals(0L, kernelMac.value());
        assertFalse(kernelMac.isMulticast());
        assertEquals(Optional.of(kernelMac), links.get("nktbr1").orElseThrow().mac());
    }

    @Test
    void vethPairWithNamesAndMtu() {
        links.addVeth("nktv0", "nktv1", 1450, Optional.empty());

        JsonNode a = oracle("nktv0");
        JsonNode b = oracle("nktv1");
        for (JsonNode end : List.of(a, b)) {
            assertEquals(1450, end.path("mtu").asInt(), end.toString());
            assertEquals("veth", end.path("linkinfo").path("info_kind").asText());
        }
        assertEquals("nktv1", a.path("link").asText(), "peer of nktv0");
        assertEquals("nktv0", b.path("link").asText(), "peer of nktv1");

        Link ours = links.get("nktv0").orElseThrow();
        assertEquals(a.path("ifindex").asInt(), ours.index());
        assertEquals(b.path("ifindex").asInt(), ours.peerIndex());
        assertEquals("veth", ours.kind());
        assertEquals(1450, ours.mtu());
    }

    @Test
    void vethWithPeerBornInAnotherNamespace() {
        links.addVeth("nktv0", "nktp0", 1420, Optional.of(other.namespace()));

        assertEquals(List.of("lo", "nktv0"), IpOracle.linkNames(ns.name()));
        assertEquals(List.of("lo", "nktp0"), IpOracle.linkNames(other.name()));
        JsonNode peer = IpOracle.link(other.name(), "nktp0");
        assertEquals("veth", peer.path("linkinfo").path("info_kind").asText());
        assertEquals(1420, peer.path("mtu").asInt());
        assertEquals(1420, oracle("nktv0").path("mtu").asInt());

        assertTrue(links.get("nktp0").isEmpty(), "the peer never appears in the creating namespace");
        Link remotePeer = other.handle().links().get("nktp0").orElseThrow();
        assertEquals(peer.path("ifindex").asInt(), remotePeer.index());
        assertEquals(oracle("nktv0").path("ifindex").asInt(), remotePeer.peerIndex());
    }

    @Test
    void setMasterAndNoMaster() {
        links.addBridge("nktbr0", 0, Optional.empty());
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());

        links.setMaster("nktv0", "nktbr0");
        JsonNode port = oracle("nktv0");
        assertEquals("nktbr0", port.path("master").asText());
        assertEquals("bridge", port.path("linkinfo").path("info_slave_kind").asText());
        assertEquals(oracle("nktbr0").path("ifindex").asInt(), links.get("nktv0").orElseThrow().masterIndex());
        assertFalse(oracle("nktv1").has("master"), "the peer is not enslaved");

        links.setNoMaster("nktv0");
        port = oracle("nktv0");
        assertFalse(port.has("master"), port.toString());
        assertFalse(port.path("linkinfo").has("info_slave_kind"));
        assertFalse(links.get("nktv0").orElseThrow().hasMaster());
    }

    @Test
    void setUpAndDown() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());

        links.setUp("nktv0");
        JsonNode a = IpOracle.awaitLink(ns.name(), "nktv0", l -> "LOWERLAYERDOWN".equals(l.path("operstate").asText()), SETTLE_MS);
        assertTrue(IpOracle.flags(a).contains("UP"), IpOracle.flags(a).toString());
        assertTrue(IpOracle.flags(a).contains("NO-CARRIER"), "peer still down: " + IpOracle.flags(a));
        assertEquals("LOWERLAYERDOWN", a.path("operstate").asText());
        assertFalse(IpOracle.flags(oracle("nktv1")).contains("UP"));

        links.setUp("nktv1");
        a = IpOracle.awaitLink(ns.name(), "nktv0", l -> "UP".equals(l.path("operstate").asText()), SETTLE_MS);
        JsonNode b = IpOracle.awaitLink(ns.name(), "nktv1", l -> "UP".equals(l.path("operstate").asText()), SETTLE_MS);
        assertEquals("UP", a.path("operstate").asText());
        assertEquals("UP", b.path("operstate").asText());
        assertTrue(IpOracle.flags(a).containsAll(List.of("UP", "LOWER_UP")), IpOracle.flags(a).toString());
        Link ours = links.get("nktv0").orElseThrow();
        assertTrue(ours.isUp());
        assertEquals(OperState.UP, ours.operState());

        links.setDown("nktv0");
        a = IpOracle.awaitLink(ns.name(), "nktv0", l -> "DOWN".equals(l.path("operstate").asText()), SETTLE_MS);
        b = IpOracle.awaitLink(ns.name(), "nktv1", l -> "LOWERLAYERDOWN".equals(l.path("operstate").asText()), SETTLE_MS);
        assertFalse(IpOracle.flags(a).contains("UP"), IpOracle.flags(a).toString());
        assertEquals("DOWN", a.path("operstate").asText());
        assertTrue(IpOracle.flags(b).contains("UP"), "setDown touched only nktv0");
        assertEquals("LOWERLAYERDOWN", b.path("operstate").asText());
        assertFalse(links.get("nktv0").orElseThrow().isUp());
    }

    @Test
    void setMtuChangesOnlyThatLink() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());

        links.setMtu("nktv0", 1280);

        assertEquals(1280, oracle("nktv0").path("mtu").asInt());
        assertEquals(1500, oracle("nktv1").path("mtu").asInt());
        assertEquals(1280, links.get("nktv0").orElseThrow().mtu());
    }

    @Test
    void setMac() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        String peerMacBefore = oracle("nktv1").path("address").asText();

        links.setMac("nktv0", MacAddress.parse("02:AA:BB:CC:DD:EE"));

        assertEquals("02:aa:bb:cc:dd:ee", oracle("nktv0").path("address").asText());
        assertEquals(peerMacBefore, oracle("nktv1").path("address").asText());
        assertEquals(Optional.of(MacAddress.parse("02:aa:bb:cc:dd:ee")), links.get("nktv0").orElseThrow().mac());
    }

    @Test
    void renameDownLinkKeepsItsIndex() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        int index = oracle("nktv0").path("ifindex").asInt();

        links.rename("nktv0", "nktrenamed0");

        assertNull(IpOracle.link(ns.name(), "nktv0"));
        JsonNode renamed = oracle("nktrenamed0");
        assertEquals(index, renamed.path("ifindex").asInt());
        assertEquals("nktrenamed0", oracle("nktv1").path("link").asText(), "the peer follows the new name");
        assertTrue(links.get("nktv0").isEmpty());
        assertEquals(index, links.get("nktrenamed0").orElseThrow().index());
    }

    @Test
    void moveToAnotherNamespaceSetsTheLinkDown() {
        links.addVeth("nktv0", "nktv1", 1400, Optional.empty());
        links.setUp("nktv1");
        links.setMac("nktv1", MacAddress.parse("02:00:00:00:77:01"));

        links.moveTo("nktv1", other.namespace());

        assertEquals(List.of("lo", "nktv0"), IpOracle.linkNames(ns.name()));
        JsonNode moved = IpOracle.link(other.name(), "nktv1");
        assertNotNull(moved, "nktv1 in " + other.name() + ": " + IpOracle.linkNames(other.name()));
        assertEquals("veth", moved.path("linkinfo").path("info_kind").asText());
        assertEquals(1400, moved.path("mtu").asInt());
        assertEquals("02:00:00:00:77:01", moved.path("address").asText());
        assertFalse(IpOracle.flags(moved).contains("UP"), "moving sets the link down: " + IpOracle.flags(moved));
        assertTrue(links.get("nktv1").isEmpty());
        assertTrue(other.handle().links().get("nktv1").isPresent());
    }

    @Test
    void deletingOneVethEndRemovesThePeer() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        links.addVeth("nktv2", "nktp2", 0, Optional.of(other.namespace()));
        links.addBridge("nktbr0", 0, Optional.empty());

        links.delete("nktv1");
        links.delete("nktv2");

        assertEquals(List.of("lo", "nktbr0"), IpOracle.linkNames(ns.name()));
        assertEquals(List.of("lo"), IpOracle.linkNames(other.name()), "peer in the other namespace went too");
        assertTrue(links.get("nktv0").isEmpty());
        assertTrue(links.get("nktv1").isEmpty());

        links.delete("nktbr0");
        assertEquals(List.of("lo"), IpOracle.linkNames(ns.name()));
    }

    @Test
    void getByNameAndByIndex() {
        links.addBridge("nktbr0", 1400, Optional.empty());
        int index = oracle("nktbr0").path("ifindex").asInt();

        Link byName = links.get("nktbr0").orElseThrow();
        Link byIndex = links.get(index).orElseThrow();

        assertEquals(index, byName.index());
        assertEquals("nktbr0", byIndex.name());
        assertEquals(byName.mac(), byIndex.mac());
        assertEquals(1400, byIndex.mtu());
        assertEquals("lo", links.get(1).orElseThrow().name());
        assertTrue(links.get("nktmissing").isEmpty());
        assertTrue(links.get(987_654).isEmpty());
    }

    @Test
    void portsAreTheLinksOnTheBridgeOnly() {
        links.addBridge("nktbr1", 1500, Optional.empty());
        links.addBridge("nktbr2", 1500, Optional.empty());
        links.addVeth("nktp0", "nktp1", 1500, Optional.empty());
        links.addVeth("nktp2", "nktp3", 1500, Optional.empty());
        links.addVeth("nktp4", "nktp5", 1500, Optional.empty());
        links.setMaster("nktp0", "nktbr1");
        links.setMaster("nktp2", "nktbr1");
        links.setMaster("nktp4", "nktbr2");

        assertEquals(List.of("nktp0", "nktp2"), links.ports("nktbr1").stream().map(Link::name).sorted().toList());
        assertEquals(List.of("nktp4"), links.ports("nktbr2").stream().map(Link::name).toList());
        assertEquals(List.of(), links.ports("nktmissing"), "no bridge, no ports");
        List<String> oracle = new ArrayList<>();
        IpOracle.json("ip", "-j", "-n", ns.name(), "link", "show", "master", "nktbr1")
                .forEach(l -> oracle.add(l.path("ifname").asText()));
        assertEquals(oracle.stream().sorted().toList(),
                links.ports("nktbr1").stream().map(Link::name).sorted().toList(), "as `ip link show master`");
    }

    @Test
    void listMatchesIproute2() {
        links.addBridge("nktbr0", 1400, Optional.of(MacAddress.parse("02:00:00:00:00:b0")));
        links.setUp("nktbr0");
        links.addVeth("nktv0", "nktv1", 1400, Optional.empty());
        links.setMaster("nktv0", "nktbr0");
        links.setUp("nktv0");
        links.setUp("nktv1");
        links.addVeth("nktv2", "nktv3", 1300, Optional.empty());
        links.setUp("nktv2");
        links.setUp("lo");
        IpOracle.awaitLink(ns.name(), "nktbr0", l -> "UP".equals(l.path("operstate").asText()), SETTLE_MS);
        IpOracle.awaitLink(ns.name(), "nktv0", l -> "UP".equals(l.path("operstate").asText()), SETTLE_MS);
        IpOracle.awaitLink(ns.name(), "nktv2", l -> "LOWERLAYERDOWN".equals(l.path("operstate").asText()), SETTLE_MS);

        List<Link> ours = links.list();
        JsonNode theirs = IpOracle.links(ns.name());

        assertEquals(List.of("lo", "nktbr0", "nktv1", "nktv0", "nktv3", "nktv2"),
                ours.stream().map(Link::name).toList(), "dump order is ifindex order");
        assertEquals(theirs.size(), ours.size());
        Map<String, JsonNode> byName = new HashMap<>();
        Map<String, Integer> indexByName = new HashMap<>();
        theirs.forEach(l -> {
            byName.put(l.path("ifname").asText(), l);
            indexByName.put(l.path("ifname").asText(), l.path("ifindex").asInt());
        });
        for (Link l : ours) {
            JsonNode o = byName.get(l.name());
            assertNotNull(o, l.name());
            String what = l + " vs " + o;
            assertEquals(o.path("ifindex").asInt(), l.index(), what);
            assertEquals(o.path("linkinfo").path("info_kind").asText(""), l.kind(), what);
            assertEquals(o.path("mtu").asInt(), l.mtu(), what);
            assertEquals(o.path("address").asText(), l.mac().map(MacAddress::toString).orElse(""), what);
            assertEquals(o.has("master") ? indexByName.get(o.path("master").asText()) : 0, l.masterIndex(), what);
            assertEquals(o.has("link") ? indexByName.get(o.path("link").asText()) : 0, l.peerIndex(), what);
            assertEquals(IpOracle.flags(o).contains("UP"), l.isUp(), what);
            assertEquals(IpOracle.flags(o).contains("LOWER_UP"), (l.flags() & 0x10000) != 0, what);
            assertEquals(IpOracle.flags(o).contains("LOOPBACK"), (l.flags() & 0x8) != 0, what);
            assertEquals(o.path("operstate").asText(), l.operState().name(), what);
        }
        Map<String, Link> mine = new HashMap<>();
        ours.forEach(l -> mine.put(l.name(), l));
        assertEquals(mine.get("nktbr0").index(), mine.get("nktv0").masterIndex());
        assertEquals(OperState.UP, mine.get("nktv0").operState());
        assertEquals(OperState.LOWERLAYERDOWN, mine.get("nktv2").operState());
        assertEquals(OperState.DOWN, mine.get("nktv3").operState());
        assertEquals(1300, mine.get("nktv3").mtu());
        assertEquals(Optional.of(MacAddress.parse("02:00:00:00:00:b0")), mine.get("nktbr0").mac());
    }

    private JsonNode oracle(String name) {
        JsonNode l = IpOracle.link(ns.name(), name);
        assertNotNull(l, "iproute2 does not see " + name + " in " + ns.name() + ": " + IpOracle.linkNames(ns.name()));
        return l;
    }
}
