package dev.netkeeper.client;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Another JVM drives the agent: the agent runs as its own process ({@code netkeeper agent}), this test's
 * JVM is the client, connected over Artery without joining the cluster. Two clients work at once, and
 * the agent is SIGKILLed and restarted between two calls: the client's retry (same request id) succeeds
 * and nothing is applied twice.
 */
class RemoteClientTest {
    private ThrowawayNamespace host;
    private Path data;
    private AgentChild agent;
    private final List<String> paths = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        host = ThrowawayNamespace.create("remote");
        data = Files.createTempDirectory("nk-remote-");
        agent = new AgentChild(host.path(), data, AgentChild.freePort()).start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (agent != null) { // null when it did not start: the namespaces below must go all the same
                agent.close();
            }
            ThrowawayNamespace.removeLeftovers(paths);
        } finally {
            host.close();
            AgentChild.deleteTree(data);
        }
    }

    @Test
    void seedExampleFromAnotherJvmWithASecondClientAndAnAgentRestart() throws Exception {
        ClientSettings settings = ClientSettings.defaults().withTimeout(Duration.ofSeconds(3)).withAttempts(20)
                .withPrincipal("remote-test").withCredentials(agent.clientCredentials("remote-test"));
        try (NetkeeperClient one = NetkeeperClient.connect(agent.address(), settings);
             NetkeeperClient two = NetkeeperClient.connect(agent.address(), settings)) {
            assertEquals("child-host", one.host());
            Network net = one.newNetwork("bridge", "remote", NetworkOptions.builder().subnet("10.94.0.0/24").build());

            // the second client links ten endpoints while the first runs the seed's example
            List<CompletableFuture<List<Interface>>> others = new ArrayList<>();
            Network same = two.network("remote");
            for (int i = 0; i < 10; i++) {
                others.add(same.linkAsync("other" + i).toCompletableFuture());
            }
            Interface c1 = net.link("c1").get(0);
            Interface c2 = net.link("c2").get(0);
            String pathA = path("ra");
            String pathB = path("rb");
            one.newNetworkNamespace(pathA).addInterface(c1);
            one.newNetworkNamespace(pathB).addInterface(c2);
            CompletableFuture.allOf(others.toArray(new CompletableFuture<?>[0])).join();
            String a = Path.of(pathA).getFileName().toString();
            assertTrue(IpOracle.pingEventually(a, Cidrs.host(c2.address()), 5_000), "A pings B");

            // SIGKILL between two calls; the next call is sent while the agent is down and retried
            agent.kill();
            CompletableFuture<List<Interface>> during = net.linkAsync("c3").toCompletableFuture();
            Thread.sleep(1_000);
            agent = agent.again().start();
            Interface c3;
            try {
                c3 = during.get().get(0);
            } catch (Exception e) {
                throw new AssertionError("retry after restart failed; agent said:\n" + agent.output(), e);
            }

            NetworkInfo info = one.networkInfo("remote");
            assertEquals(13, info.endpoints().size(), "c1, c2, c3 and ten others, each once: " + info.endpoints());
            Set<String> addresses = new HashSet<>();
            info.endpoints().forEach(e -> addresses.add(e.interfaces().get(0).address()));
            assertEquals(13, addresses.size(), "no address handed out twice");
            assertTrue(addresses.contains(c3.address()));
            assertEquals(List.of(c3), net.link("c3"), "the retried link is the one that was applied");
            assertTrue(IpOracle.pingEventually(a, Cidrs.host(c2.address()), 5_000), "A still pings B after the agent restart");
        }
    }

    private String path(String role) {
        String p = TestAgent.namespacePath(role);
        paths.add(p);
        return p;
    }

    /** "10.94.0.3/24" -> "10.94.0.3". */
    private static final class Cidrs {
        static String host(String cidr) {
            return cidr.substring(0, cidr.indexOf('/'));
        }
    }
}
