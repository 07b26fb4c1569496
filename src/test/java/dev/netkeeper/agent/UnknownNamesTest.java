package dev.netkeeper.agent;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.network.NetworkEntity;
import dev.netkeeper.testing.TestAgent;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static dev.netkeeper.agent.AgentTestSupport.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asking about networks that do not exist starts no entity: nothing is remembered or journaled for them. */
class UnknownNamesTest {
    static TestAgent agent;
    static NetkeeperClient nk;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("unknown");
        nk = agent.client();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void queriesForUnknownNetworksStartNoEntity() throws Exception {
        nk.newNetwork("null", "known", NetworkOptions.defaults());
        for (int i = 0; i < 200; i++) {
            String name = "ghost" + i;
            refused(ErrorCode.NO_SUCH_NETWORK, () -> nk.networkInfo(name), "no network named " + name);
            refused(ErrorCode.NO_SUCH_NETWORK, () -> nk.network(name), name);
        }
        refused(ErrorCode.NO_SUCH_NETWORK, () -> nk.networkInfo("ghost0"), "ghost0");
        assertEquals("known", nk.networkInfo("known").name(), "the known one answers");

        Set<String> running = networkEntities();
        assertTrue(running.contains("known"), String.valueOf(running));
        assertTrue(running.stream().noneMatch(n -> n.startsWith("ghost")), "entities started for unknown names: " + running);
    }

    private static Set<String> networkEntities() throws Exception {
        ShardRegion.CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(agent.node().system()).shardState(),
                replyTo -> new GetShardRegionState(NetworkEntity.TYPE_KEY, replyTo), Duration.ofSeconds(5),
                agent.node().system().scheduler()).toCompletableFuture().get();
        Set<String> ids = new TreeSet<>();
        state.getShards().forEach(s -> ids.addAll(s.getEntityIds()));
        return ids;
    }
}
