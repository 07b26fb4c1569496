package dev.netkeeper.cluster;

import dev.netkeeper.api.AgentInfo;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.testing.TestAgent;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inside the agent's process, the singletons take malformed messages (nulls) without stopping: each is
 * answered with a typed error or dropped, and the actor serves the next message.
 */
class SupervisionTest {
    static TestAgent agent;
    static ActorTestKit kit;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("supervise");
        kit = ActorTestKit.create(agent.node().system());
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    /** An actor of the agent's own (cluster) ActorSystem, by path: this test runs in the agent's process. */
    static <T> ActorRef<T> resolve(String path) throws Exception {
        return Adapter.toTyped(Adapter.toClassic(agent.node().system()).actorSelection(path)
                .resolveOne(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void theNetlinkActorAnswersANullTaskAndKeepsWorking() throws Exception {
        ActorRef<NetlinkActor.Command> netlink = resolve("/user/netlink");
        TestProbe<StatusReply<Done>> done = kit.createTestProbe();
        netlink.tell(new NetlinkActor.Execute(null, done.ref()));
        StatusReply<Done> refused = done.expectMessageClass(StatusReply.class);
        assertEquals(ErrorCode.INVALID_REQUEST, NetkeeperException.of(refused.getError()).code());

        netlink.tell(new NetlinkActor.Execute(null, null)); // nobody to answer: dropped
        netlink.tell(new NetlinkActor.ListHostRoutes(null));
        TestProbe<StatusReply<NetlinkActor.HostRoutes>> routes = kit.createTestProbe();
        netlink.tell(new NetlinkActor.ListHostRoutes(routes.ref()));
        assertTrue(routes.expectMessageClass(StatusReply.class).isSuccess(), "the same actor still serves");
    }

    @Test
    void theGatewayAnswersANullRequestAndKeepsWorking() throws Exception {
        ActorRef<Gateway.Command> gateway = resolve("/user/" + Gateway.NAME);
        TestProbe<StatusReply<Object>> probe = kit.createTestProbe();
        gateway.tell(new Gateway.Handle<>(null, probe.ref()));
        StatusReply<Object> refused = probe.expectMessageClass(StatusReply.class);
        assertEquals(ErrorCode.INVALID_REQUEST, NetkeeperException.of(refused.getError()).code());

        gateway.tell(new Gateway.Handle<>(new Request.Describe(), null)); // nobody to answer: dropped
        AgentInfo info = agent.node().submit(new Request.Describe()).toCompletableFuture().join();
        assertEquals("test-host", info.hostId());
    }
}
