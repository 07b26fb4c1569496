package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.network.driver.OverlayDriver;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.netkeeper.agent.AgentTestSupport.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overlay driver on one host, through the client door: the VXLAN device it makes (VNI from the directory, port
 * 4789, learning off, proxy on, a marked port of the network's bridge, the underlay's MTU less 50), VNIs that never
 * clash however many networks are created at once, and the refusals: no underlay address, an MTU that does not fit.
 */
class OverlayNetworkTest {
    private static final String UNDERLAY = "192.0.2.50";
    static TestAgent agent;
    static NetkeeperClient door;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("overlay", Map.of("netkeeper.overlay.underlay-address", UNDERLAY));
        // the host's underlay link: a veth pair inside the throwaway host namespace, MTU 1500
        String host = agent.host().name();
        IpOracle.ipIn(host, "link", "add", "ul0", "type", "veth", "peer", "name", "ul1");
        IpOracle.ipIn(host, "addr", "add", UNDERLAY + "/24", "dev", "ul0");
        IpOracle.ipIn(host, "link", "set", "ul0", "up");
        IpOracle.ipIn(host, "link", "set", "ul1", "up");
        door = connect();
    }

    private static NetkeeperClient connect() {
        return NetkeeperClient.connect(agent.apiAddress(), ClientSettings.defaults().withTimeout(Duration.ofSeconds(20))
                .withCredentials(agent.clientCredentials("overlay-test")));
    }

    @AfterAll
    static void stop() {
        if (door != null) {
            door.close();
        }
        agent.close();
    }

    @Test
    void anOverlayNetworkIsABridgeWithAVxlanPortOfItsOwnVni() {
        Network net = door.newNetwork("overlay", "ov1", NetworkOptions.builder().subnet("10.77.0.0/24").build());
        NetworkInfo info = net.info();
        assertEquals(1450, info.mtu(), "the underlay's MTU (1500) less VXLAN's 50");
        int vni = Integer.parseInt(info.driverOptions().get("overlay.vni"));
        assertTrue(vni >= 4096 && vni < (1 << 24), "vni " + vni);
        Interface iface = net.link("c1").get(0);
        assertEquals(1450, iface.mtu());

        String host = agent.host().name();
        String bridge = info.driverOptions().get("bridge.name");
        JsonNode vx = IpOracle.json("ip", "-n", host, "-d", "-j", "link", "show", OverlayDriver.vxlanName("ov1")).get(0);
        JsonNode data = vx.path("linkinfo").path("info_data");
        assertEquals("vxlan", vx.path("linkinfo").path("info_kind").asText());
        assertEquals(vni, data.path("id").asInt(), "the VNI the directory gave");
        assertEquals(4789, data.path("port").asInt(), "IANA's port, not the kernel's 8472");
        assertFalse(data.path("learning").asBoolean(true), "learning off: " + data);
        assertTrue(data.path("proxy").asBoolean(false), "ARP/ND answered by the device: " + data);
        assertEquals(UNDERLAY, data.path("local").asText());
        assertEquals(bridge, vx.path("master").asText(), "a port of the network's bridge");
        assertEquals(1450, vx.path("mtu").asInt());
        assertEquals("netkeeper vxlan ov1", vx.path("ifalias").asText(), "marked as ours");
        assertTrue(IpOracle.flags(vx).contains("UP"));

        // the device is ours to make again: deleted behind the agent's back, a restart converges it back
        IpOracle.ipIn(host, "link", "del", OverlayDriver.vxlanName("ov1"));
        door.close();
        agent.restart();
        door = connect();
        assertNotNull(IpOracle.awaitLink(host, OverlayDriver.vxlanName("ov1"), l -> bridge.equals(l.path("master").asText()),
                20_000), "made again by the converge");

        door.network("ov1").delete(true);
        assertNull(IpOracle.link(host, OverlayDriver.vxlanName("ov1")), "deleted with its network");
        assertNull(IpOracle.link(host, bridge));
    }

    @Test
    void networksCreatedAtOnceNeverShareAVni() throws Exception {
        List<CompletableFuture<NetworkInfo>> creating = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "ovc" + i;
            String subnet = "10.78." + i + ".0/24";
            creating.add(CompletableFuture.supplyAsync(() -> door.newNetwork("overlay", name,
                    NetworkOptions.builder().subnet(subnet).build()).info()));
        }
        Set<String> vnis = new HashSet<>();
        for (CompletableFuture<NetworkInfo> c : creating) {
            vnis.add(c.get().driverOptions().get("overlay.vni"));
        }
        assertEquals(8, vnis.size(), "eight networks, eight VNIs: " + vnis);
        for (int i = 0; i < 8; i++) {
            door.network("ovc" + i).delete(true);
        }
        // a VNI is free again once its network is gone, and handed out once
        Network again = door.newNetwork("overlay", "ovc-again", NetworkOptions.builder().subnet("10.78.9.0/24").build());
        assertTrue(vnis.contains(again.info().driverOptions().get("overlay.vni")), "a freed VNI is reused");
        again.delete(true);
    }

    @Test
    void aForeignLinkOfTheVxlanDevicesNameIsNeverAdopted() {
        String host = agent.host().name();
        String name = OverlayDriver.vxlanName("ovforeign");
        IpOracle.ipIn(host, "link", "add", name, "type", "vxlan", "id", "4242", "dstport", "4789", "local", UNDERLAY);
        try {
            refused(ErrorCode.NAME_IN_USE, () -> door.newNetwork("overlay", "ovforeign", NetworkOptions.builder()
                    .subnet("10.81.0.0/24").build()), name);
            refused(ErrorCode.NO_SUCH_NETWORK, () -> door.network("ovforeign").info());
            JsonNode still = IpOracle.json("ip", "-n", host, "-d", "-j", "link", "show", name).get(0);
            assertEquals(4242, still.path("linkinfo").path("info_data").path("id").asInt(), "left as it was");
            assertTrue(still.path("master").isMissingNode(), "not put on any bridge");
        } finally {
            IpOracle.ipIn(host, "link", "del", name);
        }
    }

    @Test
    void anMtuTheUnderlayCannotCarryIsRefused() {
        refused(ErrorCode.INVALID_OPTION, () -> door.newNetwork("overlay", "ovbig", NetworkOptions.builder()
                .subnet("10.79.0.0/24").mtu(1500).build()), "MTU 1500", "at most 1450");
        refused(ErrorCode.NO_SUCH_NETWORK, () -> door.network("ovbig").info());
    }

    @Test
    void aHostWithoutAnUnderlayAddressRefusesOverlayNetworks() throws Exception {
        try (TestAgent bare = TestAgent.start("nounderlay");
             NetkeeperClient bareDoor = NetkeeperClient.connect(bare.apiAddress(), ClientSettings.defaults()
                     .withTimeout(Duration.ofSeconds(20)).withCredentials(bare.clientCredentials("overlay-test")))) {
            List<String> before = IpOracle.linkNames(bare.host().name());
            refused(ErrorCode.NO_UNDERLAY, () -> bareDoor.newNetwork("overlay", "ovnone", NetworkOptions.builder()
                    .subnet("10.80.0.0/24").build()), "underlay address", "netkeeper.overlay.underlay-address");
            refused(ErrorCode.NO_SUCH_NETWORK, () -> bareDoor.network("ovnone").info());
            assertEquals(before, IpOracle.linkNames(bare.host().name()), "nothing made in the kernel");
            // the subnet was never reserved: a bridge network may take it
            bareDoor.newNetwork("bridge", "ovnone", NetworkOptions.builder().subnet("10.80.0.0/24").build()).delete(true);
        }
    }
}
