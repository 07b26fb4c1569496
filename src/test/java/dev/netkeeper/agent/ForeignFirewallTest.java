package dev.netkeeper.agent;

import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.NsSockets;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Another table's forward chain with policy drop in the agent's host (as dockerd leaves iptables' FORWARD): the agent
 * reports it with the fix; with the opt-in it adds its two accept rules there, traffic flows, and they are gone
 * again when it stops, the other table otherwise untouched.
 */
class ForeignFirewallTest {
    @Test
    void aForeignDropIsReportedAndOnlyWithTheOptInLetThrough() throws Exception {
        TestAgent agent = TestAgent.start("foreign", Map.of("netkeeper.firewall.check-interval", "300ms"));
        try (ThrowawayNamespace outside = ThrowawayNamespace.create("fout")) {
            String host = agent.host().name();
            OutsideConnectivityTest.uplink(host, outside.name());
            assertEquals(0, IpOracle.run("ip", "netns", "exec", host, "nft", "add table ip filter; add chain ip filter"
                    + " FORWARD { type filter hook forward priority 0; policy drop; }").exitCode());
            Network net = agent.client().newNetwork("bridge", "fnet", NetworkOptions.builder().subnet("10.94.0.0/24").build());
            Namespace a = agent.client().newNetworkNamespace(TestAgent.namespacePath("fa"));
            net.link("a", LinkOptions.into(a.path()));
            try (ServerSocket listener = NsSockets.tellPeer(outside.path(), 7200)) {
                assertTrue(AgentTestSupport.eventually(5000, () -> warnings(agent).stream()
                        .anyMatch(w -> w.contains("ip filter FORWARD") && w.contains("accept"))), "reported: " + warnings(agent));
                assertNull(NsSockets.tcpLine(Path.of(a.path()), OutsideConnectivityTest.OUTSIDE, 7200),
                        "their drop swallows it, and the agent leaves their chain alone");
                assertFalse(chain(host).contains("netkeeper"), chain(host));

                agent.restartWith(Map.of("netkeeper.firewall.check-interval", "300ms",
                        "netkeeper.firewall.accept-in-foreign-forward", true));
                assertTrue(AgentTestSupport.eventually(10000, () -> NsSockets.tcpLine(Path.of(a.path()),
                        OutsideConnectivityTest.OUTSIDE, 7200) != null), "with the opt-in, traffic flows: " + chain(host));
                assertTrue(warnings(agent).isEmpty(), warnings(agent).toString());
                assertEquals(2, chain(host).lines().filter(l -> l.contains("netkeeper")).count(), chain(host));
            }
            agent.client().namespace(a.path()).delete(); // the restarted agent's client
            agent.client().network("fnet").delete(true);
        } finally {
            agent.close();
        }
        // (the agent's host namespace is gone with it; the removal on stop is checked on a live namespace below)
    }

    @Test
    void theAcceptRulesLeaveWithTheAgent() throws Exception {
        TestAgent agent = TestAgent.start("foreign2", Map.of("netkeeper.firewall.check-interval", "300ms",
                "netkeeper.firewall.accept-in-foreign-forward", true));
        String host = agent.host().name();
        try {
            assertEquals(0, IpOracle.run("ip", "netns", "exec", host, "nft", "add table ip filter; add chain ip filter"
                    + " FORWARD { type filter hook forward priority 0; policy drop; }; add rule ip filter FORWARD counter")
                    .exitCode());
            agent.client().newNetwork("bridge", "fnet2", NetworkOptions.builder().subnet("10.95.0.0/24").build());
            assertTrue(AgentTestSupport.eventually(5000, () -> chain(host).contains("netkeeper")), chain(host));
            agent.node().close(); // the agent stops; its host namespace stays for the look
            String after = chain(host);
            assertFalse(after.contains("netkeeper"), "removed when the agent stopped: " + after);
            assertTrue(after.contains("policy drop") && after.contains("counter"), "their chain as it was: " + after);
        } finally {
            agent.close();
        }
    }

    static List<String> warnings(TestAgent agent) {
        return agent.node().readiness().toCompletableFuture().join().warnings();
    }

    static String chain(String host) {
        return IpOracle.run("ip", "netns", "exec", host, "nft", "list chain ip filter FORWARD").stdout();
    }
}
