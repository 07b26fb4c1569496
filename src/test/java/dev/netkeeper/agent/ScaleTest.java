package dev.netkeeper.agent;

import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.Request;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network of 10,000 endpoints (null driver: the journal and the replies are what is measured here, not
 * the kernel) answers inspect, ls and link through the agent's door: no reply exceeds a remote message,
 * listings come in pages that a client reads to the end.
 */
class ScaleTest {
    static final int ENDPOINTS = 10_000;
    static TestAgent agent;
    static NetkeeperClient remote;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("scale");
        Network net = agent.client().newNetwork("null", "big", NetworkOptions.defaults());
        for (int from = 0; from < ENDPOINTS; from += 500) {
            List<CompletableFuture<?>> batch = new ArrayList<>();
            for (int i = from; i < from + 500; i++) {
                batch.add(net.linkAsync(String.format("ep%05d", i)).toCompletableFuture());
            }
            CompletableFuture.allOf(batch.toArray(new CompletableFuture<?>[0])).join();
        }
        remote = NetkeeperClient.connect(agent.apiAddress(), ClientSettings.defaults().withTimeout(Duration.ofSeconds(20))
                .withCredentials(agent.clientCredentials("scale-test")));
    }

    @AfterAll
    static void stop() {
        if (remote != null) {
            remote.close();
        }
        agent.close();
    }

    @Test
    void inspectReadsEveryEndpointPageByPage() {
        NetworkInfo info = remote.networkInfo("big");
        assertEquals(ENDPOINTS, info.endpointCount());
        assertEquals(ENDPOINTS, info.endpoints().size());
        Set<String> names = new HashSet<>();
        info.endpoints().forEach(e -> names.add(e.name()));
        assertEquals(ENDPOINTS, names.size(), "each endpoint once");
        assertEquals("ep00000", info.endpoints().get(0).name());
        assertEquals("ep09999", info.endpoints().get(ENDPOINTS - 1).name());
    }

    @Test
    void onePageIsAtMostTheMaximumWhateverIsAsked() {
        NetworkInfo page = agent.node().submit(new Request.GetNetwork("big", "ep00010", 50_000)).toCompletableFuture().join();
        assertEquals(Request.MAX_PAGE, page.endpoints().size());
        assertEquals("ep00011", page.endpoints().get(0).name());
        assertEquals("ep01010", page.endpointsNext());
    }

    @Test
    void listAndLinkStillAnswer() {
        assertTrue(remote.networks().stream().anyMatch(n -> n.name().equals("big") && n.endpointCount() == ENDPOINTS));
        assertNotNull(remote.network("big").link("one-more"));
        assertEquals(ENDPOINTS + 1, remote.networkInfo("big").endpointCount());
    }
}
