package dev.netkeeper.agent;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * As after a reboot: the agent is stopped and the kernel state it made is wiped (namespace mounts
 * removed, which destroys their veths, and the bridge deleted). On start-up, without any client
 * message, the entities re-create the bridge, the veths and the namespaces, and the containers ping.
 */
class RebootTest {
    @Test
    void everythingComesBackAfterTheKernelStateIsWiped() throws Exception {
        try (TestAgent agent = TestAgent.start("reboot")) {
            NetkeeperClient nk = agent.client();
            Network net = nk.newNetwork("bridge", "rb", NetworkOptions.builder().subnet("10.93.0.0/24").build());
            String pathA = TestAgent.namespacePath("ra");
            String pathB = TestAgent.namespacePath("rb");
            Namespace a = nk.newNetworkNamespace(pathA);
            Namespace b = nk.newNetworkNamespace(pathB);
            Interface ia = a.addInterface(net.link("c1").get(0));
            b.addInterface(net.link("c2").get(0));
            String bridge = net.info().driverOptions().get("bridge.name");
            String nsA = Path.of(pathA).getFileName().toString();
            String nsB = Path.of(pathB).getFileName().toString();
            assertTrue(IpOracle.ping(nsA, "10.93.0.3"));

            agent.node().close();
            NetNamespace.delete(Path.of(pathA));
            NetNamespace.delete(Path.of(pathB));
            agent.host().handle().links().delete(bridge);
            assertFalse(IpOracle.namespaces().contains(nsA));
            assertNull(IpOracle.link(agent.host().name(), bridge));

            agent.restart();
            NetkeeperClient after = agent.client();

            long deadline = System.currentTimeMillis() + 20_000;
            while (!(IpOracle.namespaces().containsAll(List.of(nsA, nsB)) && IpOracle.link(nsA, "eth0") != null
                    && IpOracle.link(nsB, "eth0") != null) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertNotNull(IpOracle.link(agent.host().name(), bridge), "bridge re-created");
            assertNotNull(IpOracle.link(nsA, "eth0"), "c1 re-placed in A");
            assertEquals(ia.macAddress(), IpOracle.link(nsA, "eth0").path("address").asText());
            assertTrue(IpOracle.addressesOf(nsA, "eth0").contains("10.93.0.2/24"));
            assertTrue(IpOracle.pingEventually(nsA, "10.93.0.3", 5_000), "A pings B after the 'reboot'");
            assertEquals(List.of(ia), after.namespace(pathA).interfaces());

            after.namespace(pathA).delete();
            after.namespace(pathB).delete();
            after.network("rb").delete(true);
        }
    }
}
