package dev.netkeeper.agent;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The seed's own example, end to end through the agent, inside a throwaway host namespace. */
class SeedExampleTest {
    static TestAgent agent;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("seed");
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void twoContainersOnOneBridgePingEachOther() {
        NetkeeperClient nk = agent.client();
        Network net = nk.newNetwork("simplebridge", "net1", NetworkOptions.builder()
                .subnet("10.88.0.0/24").subnetIPv6("fd88::/64").build());
        assertEquals("net1", net.name());
        assertEquals("bridge", net.type());

        List<Interface> c1 = net.link("c1");
        List<Interface> c2 = net.link("c2");
        assertEquals(1, c1.size());
        Interface i1 = c1.get(0);
        assertEquals("10.88.0.2/24", i1.address());
        assertEquals("10.88.0.3/24", c2.get(0).address());
        assertEquals("fd88::2/64", i1.addressIPv6());
        assertEquals("02:42:0a:58:00:02", i1.macAddress());
        assertEquals("10.88.0.1", i1.gateway());
        assertEquals(1500, i1.mtu());
        assertEquals("eth", i1.dstName());
        assertEquals(c1, net.link("c1"), "linking a linked name returns the same interfaces");

        // the veth pair really exists in the host, host end on the bridge
        String host = agent.host().name();
        String bridge = net.info().driverOptions().get("bridge.name");
        var hostEnd = IpOracle.link(host, "nkv" + i1.srcName().substring(3));
        assertNotNull(hostEnd, "host end of " + i1.srcName());
        assertEquals(bridge, hostEnd.path("master").asText());
        assertNotNull(IpOracle.link(host, i1.srcName()), "container end waits in the host as srcName");

        Namespace a = nk.newNetworkNamespace(TestAgent.namespacePath("a"));
        Namespace b = nk.newNetworkNamespace(TestAgent.namespacePath("b"));
        Interface placedA = a.addInterface(i1);
        Interface placedB = b.addInterface(c2.get(0));
        assertEquals("eth0", placedA.dstName());
        assertEquals(List.of(placedA), a.interfaces());
        assertEquals(List.of(placedB), b.interfaces());

        String nsA = Path.of(a.path()).getFileName().toString();
        String nsB = Path.of(b.path()).getFileName().toString();
        assertNull(IpOracle.link(host, i1.srcName()), "moved out of the host");
        var eth0 = IpOracle.link(nsA, "eth0");
        assertEquals("02:42:0a:58:00:02", eth0.path("address").asText());
        assertTrue(IpOracle.addressesOf(nsA, "eth0").contains("10.88.0.2/24"));
        assertTrue(IpOracle.ping(nsA, "10.88.0.3"), "A pings B");
        assertTrue(IpOracle.ping(nsB, "10.88.0.2"), "B pings A");
        assertTrue(IpOracle.ping(nsA, "10.88.0.1"), "A pings the gateway");
        assertTrue(IpOracle.ping(nsA, "fd88::3"), "A pings B over IPv6");

        a.delete();
        b.delete();
        net.delete(true);
        assertNull(IpOracle.link(host, bridge), "bridge removed with the network");
        assertFalse(IpOracle.namespaces().contains(nsA));
    }
}
