package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.Hex;
import dev.netkeeper.netlink.nl.IfInfoMsg;
import dev.netkeeper.netlink.nl.IfLink;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import dev.netkeeper.netlink.nl.Rtnetlink;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * VXLAN devices (LinkOps.addVxlan), their decode, and the neighbour and FDB entries (NeighOps) that make an overlay
 * without flooding: two "host" namespaces joined by an underlay veth, each with a bridge, a "container" namespace on
 * it and a VXLAN port; static FDB entries send the other container's MAC to the other host, and proxy mode answers
 * ARP and neighbour solicitations from permanent neighbour entries. iproute2 and ping are the witnesses; the
 * scaffolding that is not under test (bridges, veths, addresses) is made with ip too.
 */
class VxlanTest {
    private static final int VNI = 4100;
    private static final int PORT = 4789;
    private static final MacAddress ZERO_MAC = new MacAddress(0);

    /** One side: a host namespace with its underlay address, and a container namespace on its bridge. */
    private record Side(ThrowawayNamespace host, ThrowawayNamespace container, InetAddress underlay,
                        InetAddress ip4, InetAddress ip6, MacAddress mac) {}

    // ---- the request, without a kernel

    @Test
    void newVxlanCarriesThePortBigEndianAndTheFlags() {
        Vxlan v = new Vxlan("nkvx0", VNI, IpPrefix.literal("192.0.2.1"), PORT, 1450,
                Optional.of(MacAddress.parse("02:00:00:00:41:00")), false, true);
        NetlinkMessage m = one(LinkRequests.newVxlan(v, 7).build(1));

        assertEquals(Rtnetlink.RTM_NEWLINK, m.type());
        Attributes a = m.attributes(IfInfoMsg.SIZE);
        assertEquals(Optional.of("nkvx0"), a.string(IfLink.IFLA_IFNAME));
        assertEquals(Optional.of(1450), a.u32(IfLink.IFLA_MTU));
        assertEquals(Optional.of(7), a.u32(IfLink.IFLA_MASTER));
        Attributes info = a.nested(IfLink.IFLA_LINKINFO);
        assertEquals(Optional.of("vxlan"), info.string(IfLink.IFLA_INFO_KIND));
        Attributes data = info.nested(IfLink.IFLA_INFO_DATA);
        assertEquals(Optional.of(VNI), data.u32(IfLink.IFLA_VXLAN_ID));
        assertEquals("c0000201", Hex.of(data.bytes(IfLink.IFLA_VXLAN_LOCAL).orElseThrow()), "struct in_addr");
        assertFalse(data.has(IfLink.IFLA_VXLAN_LOCAL6));
        assertEquals("12b5", Hex.of(data.bytes(IfLink.IFLA_VXLAN_PORT).orElseThrow()), "4789, network byte order");
        assertEquals("00", Hex.of(data.bytes(IfLink.IFLA_VXLAN_LEARNING).orElseThrow()));
        assertEquals("01", Hex.of(data.bytes(IfLink.IFLA_VXLAN_PROXY).orElseThrow()));

        // The request is an RTM_NEWLINK like the kernel's replies: our own decode reads it back.
        Link decoded = LinkOps.decode(m);
        assertEquals("vxlan", decoded.kind());
        assertEquals(Optional.of(new VxlanInfo(VNI, IpPrefix.literal("192.0.2.1"), PORT, false, true)),
                decoded.vxlan());
        assertEquals(Optional.of(MacAddress.parse("02:00:00:00:41:00")), decoded.mac());
    }

    @Test
    void newVxlanWithAnIpv6LocalAndNoMasterNoMtuNoMac() {
        Vxlan v = new Vxlan("nkvx6", 1, IpPrefix.literal("2001:db8::1"), 8472, 0, Optional.empty(), true, false);
        NetlinkMessage m = one(LinkRequests.newVxlan(v, 0).build(1));

        Attributes a = m.attributes(IfInfoMsg.SIZE);
        assertFalse(a.has(IfLink.IFLA_MASTER));
        assertFalse(a.has(IfLink.IFLA_MTU));
        assertFalse(a.has(IfLink.IFLA_ADDRESS));
        Attributes data = a.nested(IfLink.IFLA_LINKINFO).nested(IfLink.IFLA_INFO_DATA);
        assertFalse(data.has(IfLink.IFLA_VXLAN_LOCAL));
        assertEquals("20010db8000000000000000000000001",
                Hex.of(data.bytes(IfLink.IFLA_VXLAN_LOCAL6).orElseThrow()));
        assertEquals("2118", Hex.of(data.bytes(IfLink.IFLA_VXLAN_PORT).orElseThrow()), "8472");
        assertEquals(Optional.of(new VxlanInfo(1, IpPrefix.literal("2001:db8::1"), 8472, true, false)),
                LinkOps.decode(m).vxlan());
    }

    @Test
    void vniAndPortAreChecked() {
        InetAddress local = IpPrefix.literal("192.0.2.1");
        for (int vni : new int[] {0, -1, 1 << 24}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new Vxlan("nkvx0", vni, local, PORT, 0, Optional.empty(), false, true), "VNI " + vni);
        }
        for (int port : new int[] {0, -1, 65536}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new Vxlan("nkvx0", VNI, local, port, 0, Optional.empty(), false, true), "port " + port);
        }
        new Vxlan("nkvx0", (1 << 24) - 1, local, 65535, 0, Optional.empty(), false, true);
        new Vxlan("nkvx0", 1, local, 1, 0, Optional.empty(), false, true);
    }

    @Test
    void fdbRequestIsWhatBridgeFdbReplaceSends() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the vector is little-endian");
        // strace of `bridge fdb replace 02:00:00:00:00:03 dev vx0 dst 192.0.2.2 self permanent` (iproute2 6.1), with
        // ndm_state NUD_PERMANENT where iproute2 sends NUD_PERMANENT|NUD_NOARP (0xc0).
        byte[] ours = NeighOps.fdb(Rtnetlink.RTM_NEWNEIGH, 0x500, 3, MacAddress.parse("02:00:00:00:00:03"),
                IpPrefix.literal("192.0.2.2")).flags(0x05).build(0);
        Hex.assertBytes(""
                + "30000000 1c00 0505 00000000 00000000"   // nlmsghdr: 48, RTM_NEWNEIGH, REQUEST|ACK|REPLACE|CREATE
                + "07 00 0000 03000000 8000 02 00"         // ndmsg: PF_BRIDGE, ifindex 3, NUD_PERMANENT, NTF_SELF
                + "0a00 0200 020000000003 0000"            // NDA_LLADDR
                + "0800 0100 c0000202", ours);             // NDA_DST 192.0.2.2
    }

    // ---- against the kernel

    @Test
    void containersReachEachOtherOverTheVxlanWithoutFlooding() {
        List<AutoCloseable> made = new ArrayList<>();
        try {
            Side a = side("a", made, "192.0.2.1", "10.200.0.2", "fd00:200::2", "02:00:0a:c8:00:02");
            Side b = side("b", made, "192.0.2.2", "10.200.0.3", "fd00:200::3", "02:00:0a:c8:00:03");
            underlay(a, b);
            for (Side s : List.of(a, b)) {
                LinkOps links = s.host().handle().links();
                int bridge = links.require("br0", "test").index();
                links.addVxlan(new Vxlan("vx0", VNI, s.underlay(), PORT, 1450, Optional.empty(), false, true), bridge);
                links.setUp("vx0");
            }

            for (Side s : List.of(a, b)) {
                JsonNode vx = IpOracle.link(s.host().name(), "vx0");
                assertNotNull(vx);
                JsonNode data = vx.path("linkinfo").path("info_data");
                assertEquals("vxlan", vx.path("linkinfo").path("info_kind").asText(), vx.toString());
                assertEquals(VNI, data.path("id").asInt(), data.toString());
                assertEquals(PORT, data.path("port").asInt(), data.toString());
                assertEquals(IpPrefix.format(s.underlay()), data.path("local").asText(), data.toString());
                assertFalse(data.path("learning").asBoolean(true), "nolearning: " + data);
                assertTrue(data.path("proxy").asBoolean(false), "proxy: " + data);
                assertEquals(1450, vx.path("mtu").asInt());
                assertEquals("br0", vx.path("master").asText());

                Link ours = s.host().handle().links().get("vx0").orElseThrow();
                assertEquals("vxlan", ours.kind());
                assertEquals(Optional.of(new VxlanInfo(VNI, s.underlay(), PORT, false, true)), ours.vxlan());
                assertEquals(vx.path("ifindex").asInt(), ours.index());
                assertEquals(Optional.empty(), s.host().handle().links().get("br0").orElseThrow().vxlan(),
                        "a bridge has no VXLAN part");
            }

            assertFalse(IpOracle.ping(a.container().name(), IpPrefix.format(b.ip4())), "no FDB, no neighbours: no way");

            // Twice: NLM_F_REPLACE makes setting idempotent.
            for (int round = 0; round < 2; round++) {
                teach(a, b);
                teach(b, a);
            }

            for (Side[] pair : new Side[][] {{a, b}, {b, a}}) {
                Side here = pair[0];
                Side there = pair[1];
                NeighOps n = here.host().handle().neighbours();
                int vx = here.host().handle().links().require("vx0", "test").index();

                List<FdbEntry> fdb = n.fdb("vx0");
                assertEquals(1, fdb.size(), "exactly the entry we set: " + fdb);
                FdbEntry e = fdb.get(0);
                assertEquals(vx, e.ifindex());
                assertEquals(there.mac(), e.mac());
                assertEquals(there.underlay(), e.remote());
                assertTrue(e.permanent(), e.toString());
                assertTrue(fdb.stream().noneMatch(f -> f.mac().equals(ZERO_MAC)), "no all-zeros (flooding) entry");
                assertEquals(Map.of(there.mac().toString(), IpPrefix.format(there.underlay())), oracleFdb(here),
                        "as bridge fdb show dev vx0 self");

                List<Neighbour> neigh = sorted(n.neighbours("vx0"));
                assertEquals(List.of(new Neighbour(vx, there.ip4(), there.mac(), 0x80),
                        new Neighbour(vx, there.ip6(), there.mac(), 0x80)), neigh);
                assertTrue(neigh.stream().allMatch(Neighbour::permanent));
                assertEquals(Map.of(IpPrefix.format(there.ip4()), there.mac().toString(),
                        IpPrefix.format(there.ip6()), there.mac().toString()), oracleNeighbours(here),
                        "as ip neigh show dev vx0");
                assertTrue(n.fdb("br0").stream().noneMatch(f -> f.mac().equals(there.mac())),
                        "the bridge's own entries are not the vxlan device's: " + n.fdb("br0"));
            }

            for (Side[] pair : new Side[][] {{a, b}, {b, a}}) {
                String from = pair[0].container().name();
                assertTrue(IpOracle.pingEventually(from, IpPrefix.format(pair[1].ip4()), 5000),
                        "IPv4 " + IpPrefix.format(pair[0].ip4()) + " -> " + IpPrefix.format(pair[1].ip4()));
                assertTrue(IpOracle.pingEventually(from, IpPrefix.format(pair[1].ip6()), 5000),
                        "IPv6 " + IpPrefix.format(pair[0].ip6()) + " -> " + IpPrefix.format(pair[1].ip6()));
            }
            // The ARP and NDISC answers came from the proxies: the containers know each other's MAC, and no
            // request crossed (the vxlan devices never learnt, the FDBs still hold only what we set).
            assertEquals(b.mac().toString(), containerNeighbour(a, b.ip4()));
            assertEquals(b.mac().toString(), containerNeighbour(a, b.ip6()));
            assertEquals(a.mac().toString(), containerNeighbour(b, a.ip4()));
            assertEquals(1, a.host().handle().neighbours().fdb("vx0").size());
            assertEquals(1, b.host().handle().neighbours().fdb("vx0").size());

            for (int round = 0; round < 2; round++) { // deleting what is gone is fine too
                for (Side[] pair : new Side[][] {{a, b}, {b, a}}) {
                    NeighOps n = pair[0].host().handle().neighbours();
                    n.deleteFdb("vx0", pair[1].mac(), pair[1].underlay());
                    n.deleteNeighbour("vx0", pair[1].ip4());
                    n.deleteNeighbour("vx0", pair[1].ip6());
                }
            }
            for (Side s : List.of(a, b)) {
                NeighOps n = s.host().handle().neighbours();
                assertEquals(List.of(), n.fdb("vx0"));
                assertEquals(List.of(), n.neighbours("vx0"));
                assertEquals(Map.of(), oracleFdb(s));
                assertEquals(Map.of(), oracleNeighbours(s));
            }
            // The containers still have each other's MAC cached; without an FDB entry the vxlan device drops.
            assertFalse(IpOracle.ping(a.container().name(), IpPrefix.format(b.ip4())), "IPv4 after deleting");
            assertFalse(IpOracle.ping(a.container().name(), IpPrefix.format(b.ip6())), "IPv6 after deleting");
        } finally {
            closeAll(made);
        }
    }

    @Test
    void fdbReplaceMovesAnEntryToItsNewRemoteAndMissingDevicesAreEnodev() {
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("vxlan")) {
            LinkOps links = ns.handle().links();
            NeighOps n = ns.handle().neighbours();
            links.addVxlan(new Vxlan("nkvx0", 77, IpPrefix.literal("2001:db8::1"), PORT, 0, Optional.empty(), false,
                    false), 0);
            Link vx = links.get("nkvx0").orElseThrow();
            assertEquals(Optional.of(new VxlanInfo(77, IpPrefix.literal("2001:db8::1"), PORT, false, false)),
                    vx.vxlan());
            JsonNode data = IpOracle.link(ns.name(), "nkvx0").path("linkinfo").path("info_data");
            assertEquals("2001:db8::1", data.path("local6").asText(), "IFLA_VXLAN_LOCAL6: " + data);
            assertFalse(data.path("learning").asBoolean(true), data.toString());
            assertFalse(data.path("proxy").asBoolean(false), data.toString());

            MacAddress mac = MacAddress.parse("02:00:00:00:77:01");
            n.setFdb("nkvx0", mac, IpPrefix.literal("2001:db8::2"));
            n.setFdb("nkvx0", mac, IpPrefix.literal("2001:db8::3"));
            List<FdbEntry> fdb = n.fdb("nkvx0");
            assertEquals(1, fdb.size(), fdb.toString());
            assertEquals(IpPrefix.literal("2001:db8::3"), fdb.get(0).remote(), "replaced, not appended");
            assertTrue((fdb.get(0).flags() & 0x02) != 0, "NTF_SELF");
            n.deleteFdb("nkvx0", mac, IpPrefix.literal("2001:db8::2")); // not that remote: already gone, fine
            assertEquals(1, n.fdb("nkvx0").size());
            n.deleteFdb("nkvx0", mac, null);
            assertEquals(List.of(), n.fdb("nkvx0"));

            for (Runnable op : List.<Runnable>of(
                    () -> n.setFdb("nkmissing", mac, IpPrefix.literal("192.0.2.2")),
                    () -> n.deleteFdb("nkmissing", mac, IpPrefix.literal("192.0.2.2")),
                    () -> n.fdb("nkmissing"),
                    () -> n.setNeighbour("nkmissing", IpPrefix.literal("10.0.0.1"), mac),
                    () -> n.deleteNeighbour("nkmissing", IpPrefix.literal("10.0.0.1")),
                    () -> n.neighbours("nkmissing"))) {
                KernelException e = assertThrows(KernelException.class, op::run);
                assertEquals(Errno.ENODEV, e.errno());
                assertTrue(e.getMessage().contains("nkmissing"), e.getMessage());
            }
            KernelException exists = assertThrows(KernelException.class, () -> links.addVxlan(
                    new Vxlan("nkvx0", 78, null, PORT, 0, Optional.empty(), false, false), 0));
            assertEquals(Errno.EEXIST, exists.errno());
            assertTrue(exists.getMessage().contains("creating vxlan nkvx0 (vni 78, port 4789)"), exists.getMessage());
        }
    }

    // ---- scaffolding

    /** A host namespace with bridge br0 (up) and a container namespace on it: eth0 with fixed MAC and addresses. */
    private static Side side(String role, List<AutoCloseable> made, String underlay, String ip4, String ip6,
                             String mac) {
        ThrowawayNamespace host = ThrowawayNamespace.create("vxh" + role);
        made.add(host);
        ThrowawayNamespace container = ThrowawayNamespace.create("vxc" + role);
        made.add(container);
        String h = host.name();
        String c = container.name();
        IpOracle.ipIn(h, "link", "add", "br0", "type", "bridge");
        IpOracle.ipIn(h, "link", "set", "br0", "up");
        IpOracle.ipIn(h, "link", "add", "veth0", "type", "veth", "peer", "name", "eth0", "netns", c);
        IpOracle.ipIn(h, "link", "set", "veth0", "master", "br0", "up");
        IpOracle.ipIn(c, "link", "set", "eth0", "address", mac);
        IpOracle.ipIn(c, "addr", "add", ip4 + "/24", "dev", "eth0");
        IpOracle.ipIn(c, "addr", "add", ip6 + "/64", "dev", "eth0", "nodad");
        IpOracle.ipIn(c, "link", "set", "eth0", "up");
        IpOracle.ipIn(c, "link", "set", "lo", "up");
        return new Side(host, container, IpPrefix.literal(underlay), IpPrefix.literal(ip4), IpPrefix.literal(ip6),
                MacAddress.parse(mac));
    }

    /** The underlay: a veth pair between the hosts, 192.0.2.1/24 and 192.0.2.2/24. */
    private static void underlay(Side a, Side b) {
        IpOracle.ipIn(a.host().name(), "link", "add", "ul0", "type", "veth", "peer", "name", "ul0", "netns",
                b.host().name());
        for (Side s : List.of(a, b)) {
            IpOracle.ipIn(s.host().name(), "addr", "add", IpPrefix.format(s.underlay()) + "/24", "dev", "ul0");
            IpOracle.ipIn(s.host().name(), "link", "set", "ul0", "up");
        }
        assertTrue(IpOracle.pingEventually(a.host().name(), IpPrefix.format(b.underlay()), 5000), "underlay");
    }

    /** What {@code here}'s VXLAN device must know of {@code there}'s container, set with our ops. */
    private static void teach(Side here, Side there) {
        NeighOps n = here.host().handle().neighbours();
        n.setFdb("vx0", there.mac(), there.underlay());
        n.setNeighbour("vx0", there.ip4(), there.mac());
        n.setNeighbour("vx0", there.ip6(), there.mac());
    }

    /** {@code bridge fdb show dev vx0}, the device's own entries ("self"): MAC → dst. */
    private static Map<String, String> oracleFdb(Side s) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode e : IpOracle.json("bridge", "-n", s.host().name(), "-j", "fdb", "show", "dev", "vx0")) {
            boolean self = false;
            for (JsonNode f : e.path("flags")) {
                self |= f.asText().equals("self");
            }
            if (self) {
                out.put(e.path("mac").asText(), e.path("dst").asText());
            }
        }
        return out;
    }

    /** {@code ip neigh show dev vx0} (IPv4 and IPv6; NOARP entries hidden, as iproute2 does): address → MAC. */
    private static Map<String, String> oracleNeighbours(Side s) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode n : IpOracle.json("ip", "-n", s.host().name(), "-j", "neigh", "show", "dev", "vx0")) {
            out.put(n.path("dst").asText(), n.path("lladdr").asText());
        }
        return out;
    }

    /** The MAC the container {@code c} has for {@code ip} in its own neighbour table, or "". */
    private static String containerNeighbour(Side c, InetAddress ip) {
        for (JsonNode n : IpOracle.json("ip", "-n", c.container().name(), "-j", "neigh", "show", "dev", "eth0")) {
            if (n.path("dst").asText().equals(IpPrefix.format(ip))) {
                return n.path("lladdr").asText();
            }
        }
        return "";
    }

    private static List<Neighbour> sorted(List<Neighbour> in) {
        return in.stream().sorted(Comparator.comparingInt(n -> n.address().getAddress().length)).toList();
    }

    private static NetlinkMessage one(byte[] bytes) {
        List<NetlinkMessage> all = NetlinkMessage.parseAll(java.nio.ByteBuffer.wrap(bytes)
                .order(ByteOrder.nativeOrder()));
        assertEquals(1, all.size());
        return all.get(0);
    }

    private static void closeAll(List<AutoCloseable> made) {
        RuntimeException first = null;
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                made.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("cleaning up", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
