package dev.netkeeper.agent;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Network;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.netkeeper.agent.AgentTestSupport.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quotas (netkeeper.quotas.*) refuse what goes past them before anything is journaled. */
class QuotaTest {
    static TestAgent agent;
    static NetkeeperClient nk;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("quota", Map.of("netkeeper.quotas.networks", 2,
                "netkeeper.quotas.endpoints-per-network", 3));
        nk = agent.client();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void networksAndEndpointsStopAtTheirQuota() {
        Network one = nk.newNetwork("null", "q1", NetworkOptions.defaults());
        nk.newNetwork("null", "q2", NetworkOptions.defaults());
        refused(ErrorCode.QUOTA_EXCEEDED, () -> nk.newNetwork("null", "q3", NetworkOptions.defaults()),
                "network q3", "quota of 2");
        refused(ErrorCode.NO_SUCH_NETWORK, () -> nk.network("q3"));

        for (String e : List.of("a", "b", "c")) {
            one.link(e);
        }
        refused(ErrorCode.QUOTA_EXCEEDED, () -> one.link("d"), "endpoint d", "network q1", "quota of 3");
        assertEquals(3, nk.networkInfo("q1").endpointCount());
        one.link("a"); // linking again is no new endpoint, so the quota does not refuse it

        // what was refused frees nothing and takes nothing: removing one makes room for one
        one.unlink("a");
        one.link("d");
        assertEquals(3, nk.networkInfo("q1").endpointCount());
    }
}
