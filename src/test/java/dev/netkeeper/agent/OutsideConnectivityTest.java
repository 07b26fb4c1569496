package dev.netkeeper.agent;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.NsSockets;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The outside, as a container sees it, in throwaway namespaces: a test "host" (the agent's) joined by a veth
 * (198.51.100.1 / .2) to an "outside" namespace, which routes the container subnets back through the host, so that
 * what must be dropped would otherwise get through. Masquerade, isolation, internal networks, published TCP and UDP
 * ports (hairpin too), unpublish with its conntrack clean-up, and the table coming back after someone flushed it.
 */
class OutsideConnectivityTest {
    static final String UPLINK = dev.netkeeper.testing.Uplink.HOST;
    static final String OUTSIDE = dev.netkeeper.testing.Uplink.OUTSIDE;
    static TestAgent agent;
    static ThrowawayNamespace outside;
    static NetkeeperClient nk;
    static Network pub;
    static Network other;
    static Namespace a;
    static Namespace a2;
    static Namespace b;
    static final List<Closeable> open = new ArrayList<>();

    @BeforeAll
    static void start() {
        agent = TestAgent.start("fw", Map.of("netkeeper.firewall.check-interval", "500ms"));
        outside = ThrowawayNamespace.create("outside");
        uplink(agent.host().name(), outside.name());
        nk = agent.client();
        pub = nk.newNetwork("bridge", "fwpub", NetworkOptions.builder().subnet("10.91.0.0/24").build());
        other = nk.newNetwork("bridge", "fwother", NetworkOptions.builder().subnet("10.92.0.0/24").build());
        a = nk.newNetworkNamespace(TestAgent.namespacePath("fwa"));
        a2 = nk.newNetworkNamespace(TestAgent.namespacePath("fwa2"));
        b = nk.newNetworkNamespace(TestAgent.namespacePath("fwb"));
        pub.link("a", LinkOptions.into(a.path()));
        pub.link("a2", LinkOptions.into(a2.path()));
        other.link("b", LinkOptions.into(b.path()));
    }

    static void uplink(String host, String outside) {
        dev.netkeeper.testing.Uplink.join(host, outside);
    }

    @AfterAll
    static void stop() {
        open.forEach(c -> {
            try {
                c.close();
            } catch (Exception ignored) {
                // a test socket
            }
        });
        if (agent != null) {
            agent.close();
        }
        if (outside != null) {
            outside.close();
        }
    }

    static <T extends Closeable> T keep(T c) {
        open.add(c);
        return c;
    }

    static Path ns(Namespace n) {
        return Path.of(n.path());
    }

    @Test
    void aContainerReachesTheOutsideAsTheHost() {
        keep(NsSockets.tellPeer(outside.path(), 7000));
        assertEquals(UPLINK, NsSockets.tcpLine(ns(a), OUTSIDE, 7000), "masqueraded: the outside sees the host's uplink");
        assertEquals("1", IpOracle.readInside(agent.host().name(), "/proc/sys/net/ipv4/ip_forward"));
    }

    @Test
    void networksStayApartAndUnaskedTrafficStaysOut() {
        keep(NsSockets.tellPeer(ns(b), 7100));
        keep(NsSockets.tellPeer(ns(a), 7101));
        assertNull(NsSockets.tcpLine(ns(a), "10.92.0.2", 7100), "network fwpub does not reach network fwother");
        assertNull(NsSockets.tcpLine(outside.path(), "10.91.0.2", 7101), "the outside does not reach a container unasked");
        assertNotNull(NsSockets.tcpLine(ns(a2), "10.91.0.2", 7101), "within a network, all is open");

        Network internal = nk.newNetwork("bridge", "fwint", NetworkOptions.builder().subnet("10.93.0.0/24").internal(true).build());
        Namespace c = nk.newNetworkNamespace(TestAgent.namespacePath("fwc"));
        internal.link("c", LinkOptions.into(c.path()));
        keep(NsSockets.tellPeer(outside.path(), 7002));
        IpOracle.ipIn(Path.of(c.path()).getFileName().toString(), "route", "add", "default", "via", "10.93.0.1");
        assertNull(NsSockets.tcpLine(ns(c), OUTSIDE, 7002), "an internal network does not get out, even with a route");
        NetkeeperException refused = assertThrows(NetkeeperException.class,
                () -> internal.publish("c", PortMapping.tcp(8500, 80)));
        assertEquals(ErrorCode.NOT_SUPPORTED, refused.code());
        c.delete();
        internal.delete(true);
    }

    @Test
    void publishedPortsReachTheContainerFromOutsideAndFromNeighbours() throws java.io.IOException {
        keep(NsSockets.tellPeer(ns(a), 80));
        keep(NsSockets.udpAnswer(ns(a), 53, "a"));
        Namespace d = nk.newNetworkNamespace(TestAgent.namespacePath("fwd"));
        Interfaces linked = pub.linkEndpoint("d", null, LinkOptions.into(d.path()).publishing(PortMapping.parse(":80/tcp")));
        int picked = linked.published().get(0).hostPort();
        assertTrue(picked >= 49153 && picked <= 60999, "a host port picked from the range: " + picked);
        keep(NsSockets.tellPeer(ns(d), 80));
        assertNotNull(NsSockets.tcpLine(outside.path(), UPLINK, picked), "the picked port reaches d");

        List<PortMapping> now = pub.publish("a", PortMapping.parse("8080:80/tcp"), PortMapping.parse("5353:53/udp"));
        assertEquals(2, now.size());
        assertEquals(OUTSIDE, NsSockets.tcpLine(outside.path(), UPLINK, 8080), "the container sees the outside's own address");
        DatagramSocket udp = keep(NsSockets.udpClient(outside.path(), 40053));
        assertEquals("a", NsSockets.udpAsk(udp, UPLINK, 5353));
        assertEquals("10.91.0.1", NsSockets.tcpLine(ns(a2), UPLINK, 8080), "hairpin from a neighbour, answered through the host");
        assertEquals("10.91.0.1", NsSockets.tcpLine(ns(a), UPLINK, 8080), "hairpin to itself");
        assertNotNull(NsSockets.tcpLine(ns(b), UPLINK, 8080), "another network reaches it through the published port");
        assertTrue(pub.info().endpoints().stream().anyMatch(e -> e.name().equals("a") && e.published().size() == 2),
                "network inspect shows the ports");

        NetkeeperException taken = assertThrows(NetkeeperException.class,
                () -> other.publish("b", PortMapping.parse("8080:80/tcp")));
        assertEquals(ErrorCode.PORT_IN_USE, taken.code());
        assertTrue(taken.getMessage().contains("endpoint a of network fwpub"), taken.getMessage());
        ServerSocket hostListener = keep(NsSockets.tellPeer(agent.host().path(), 9090));
        NetkeeperException bound = assertThrows(NetkeeperException.class,
                () -> other.publish("b", PortMapping.parse("9090:80/tcp")));
        assertEquals(ErrorCode.PORT_IN_USE, bound.code());
        assertTrue(bound.getMessage().contains("bound"), bound.getMessage());
        hostListener.close();

        // unpublish: closed; the same UDP flow, published again to another container, reaches it at once
        pub.unpublish("a", PortMapping.hostSide("8080/tcp"), PortMapping.hostSide("5353/udp"));
        assertNull(NsSockets.tcpLine(outside.path(), UPLINK, 8080), "closed after unpublish");
        keep(NsSockets.udpAnswer(ns(d), 53, "d"));
        pub.publish("d", PortMapping.parse("5353:53/udp"));
        assertEquals("d", NsSockets.udpAsk(udp, UPLINK, 5353), "no stale conntrack entry sends it to a");
        pub.unlink("d");
        assertNull(NsSockets.tcpLine(outside.path(), UPLINK, picked), "an endpoint's ports go with it");
        d.delete();
    }

    @Test
    void aTableSomeoneFlushedComesBackAndOtherTablesAreLeftAlone() {
        String host = agent.host().name();
        assertEquals(0, IpOracle.run("ip", "netns", "exec", host, "nft", "add table ip theirs; add chain ip theirs c;"
                + " add rule ip theirs c counter").exitCode());
        pub.publish("a2", PortMapping.parse("8181:81/tcp"));
        String before = nft(host, "list table inet netkeeper");
        assertEquals(0, IpOracle.run("ip", "netns", "exec", host, "nft", "flush table inet netkeeper").exitCode());
        assertTrue(AgentTestSupport.eventually(5000, () -> nft(host, "list table inet netkeeper").equals(before)),
                "the agent replaced the flushed table: " + nft(host, "list table inet netkeeper"));
        assertTrue(nft(host, "list table ip theirs").contains("counter"), "a foreign table is intact");
        pub.unpublish("a2", PortMapping.hostSide("8181/tcp"));
    }

    static String nft(String host, String command) {
        return IpOracle.run("ip", "netns", "exec", host, "nft", command).stdout();
    }
}
