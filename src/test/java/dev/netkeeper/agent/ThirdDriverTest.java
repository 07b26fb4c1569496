package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.testing.IpOracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.netkeeper.agent.AgentTestSupport.eventually;
import static dev.netkeeper.agent.AgentTestSupport.links;
import static dev.netkeeper.agent.AgentTestSupport.nsName;
import static dev.netkeeper.agent.AgentTestSupport.refused;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The driver SPI: a network type that main does not know ({@link MacvlanTestDriver}, registered from
 * src/test/resources/META-INF/services) works through the unchanged client, entities and netlink actor.
 */
class ThirdDriverTest {
    static AgentTestSupport support;
    static NetkeeperClient nk;
    static String host;

    @BeforeAll
    static void start() {
        support = AgentTestSupport.start("drv");
        nk = support.agent().client();
        host = support.host();
    }

    @AfterAll
    static void stop() {
        support.stop();
    }

    private static String kind(JsonNode link) {
        return link.path("linkinfo").path("info_kind").asText();
    }

    @Test
    void theDriverIsFoundThroughServiceLoader() {
        refused(ErrorCode.UNKNOWN_DRIVER, () -> nk.newNetwork("macvlan", "mv-unknown", null),
                "'macvlan'", "macvlan-test", "bridge", "null");
        refused(ErrorCode.INVALID_OPTION, () -> nk.newNetwork(MacvlanTestDriver.TYPE, "mv-badopt",
                NetworkOptions.builder().subnet("10.241.0.0/24").driverOption("macvlan.mode", "vepa").build()),
                "macvlan.mode");
        refused(ErrorCode.INVALID_NAME, () -> nk.newNetwork(MacvlanTestDriver.TYPE, "mv-badname",
                NetworkOptions.builder().subnet("10.241.0.0/24").driverOption(MacvlanTestDriver.PARENT,
                        "a-name-far-too-long").build()), MacvlanTestDriver.PARENT);
        assertEquals(List.of(), support.networkEvents("mv-badopt"));
    }

    @Test
    void macvlanNetworkEndToEnd() {
        Network net = nk.newNetwork(MacvlanTestDriver.TYPE, "mv1", NetworkOptions.builder()
                .subnet("10.240.0.0/24").mtu(1400).build());
        assertEquals(MacvlanTestDriver.TYPE, net.type());
        assertEquals("10.240.0.0/24", net.info().subnet());
        String parent = net.info().driverOptions().get(MacvlanTestDriver.PARENT);
        JsonNode lower = IpOracle.link(host, parent);
        assertNotNull(lower, "lower device " + parent + " in the host");
        assertEquals("bridge", kind(lower));
        assertTrue(IpOracle.flags(lower).contains("UP"));
        assertEquals(1400, lower.path("mtu").asInt());
        assertInstanceOf(NetworkEvent.NetworkCreated.class, support.networkEvents("mv1").get(0));

        Interface c1 = net.link("c1").get(0);
        Interface c2 = net.link("c2").get(0);
        assertEquals(List.of(c1), net.link("c1"), "linking again answers the same interface");
        assertEquals("10.240.0.2/24", c1.address());
        assertEquals("10.240.0.3/24", c2.address());
        assertEquals(1400, c1.mtu());
        for (Interface i : List.of(c1, c2)) {
            JsonNode l = IpOracle.link(host, i.srcName());
            assertNotNull(l, i.srcName() + " waits in the host");
            assertEquals("macvlan", kind(l));
            assertEquals("bridge", l.path("linkinfo").path("info_data").path("mode").asText());
            assertEquals(parent, l.path("link").asText(), "on the lower device");
            assertEquals(i.macAddress(), l.path("address").asText());
        }
        assertTrue(links(host).stream().noneMatch(n -> n.startsWith("nkv")), "no veth for this type");

        String pathA = support.namespacePath("mva");
        String pathB = support.namespacePath("mvb");
        Namespace a = nk.newNetworkNamespace(pathA);
        Namespace b = nk.newNetworkNamespace(pathB);
        Interface placedA = a.addInterface(c1);
        Interface placedB = b.addInterface(c2);
        assertEquals("eth0", placedA.dstName());
        assertEquals("eth0", placedB.dstName());
        assertNull(IpOracle.link(host, c1.srcName()), "moved out of the host");
        JsonNode eth0 = IpOracle.link(nsName(pathA), "eth0");
        assertEquals("macvlan", kind(eth0));
        assertEquals(c1.macAddress(), eth0.path("address").asText());
        assertEquals(1400, eth0.path("mtu").asInt());
        assertTrue(IpOracle.addressesOf(nsName(pathA), "eth0").contains("10.240.0.2/24"));
        assertTrue(IpOracle.pingEventually(nsName(pathA), "10.240.0.3", 5000), "A pings B through the macvlans");
        assertTrue(IpOracle.ping(nsName(pathB), "10.240.0.2"), "B pings A");

        // back to the host and in again, as with a veth
        a.removeInterface("eth0");
        JsonNode back = IpOracle.link(host, c1.srcName());
        assertNotNull(back);
        assertEquals("macvlan", kind(back));
        assertTrue(eventually(3000, () -> net.info().endpoints().get(0).namespace() == null));
        assertEquals("eth0", a.addInterface(c1).dstName());

        // unlink finds the macvlan inside the namespace
        net.unlink("c2");
        assertEquals(List.of("lo"), links(nsName(pathB)));
        assertTrue(eventually(3000, () -> b.interfaces().isEmpty()));

        net.link("c3");
        net.delete(true);
        assertNull(IpOracle.link(host, parent), "lower device gone");
        assertEquals(List.of("lo"), links(nsName(pathA)), "its macvlan went with the network");
        assertTrue(links(host).stream().noneMatch(n -> n.startsWith("nkc") || n.startsWith("mvp-")),
                () -> "host links left: " + links(host));
        assertTrue(eventually(3000, () -> a.interfaces().isEmpty()));
        a.delete();
        b.delete();
    }
}
