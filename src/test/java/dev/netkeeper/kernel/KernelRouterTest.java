package dev.netkeeper.kernel;

import com.typesafe.config.ConfigFactory;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The router between entities and the hosts' netlink actors, with probes in their place: the local host
 * directly, another host through the Receptionist, HOST_UNAVAILABLE at once for a host without one, and
 * for work in flight on a host whose actor leaves the listing.
 */
class KernelRouterTest {
    private static ActorTestKit kit;
    private static final KernelTask NOTHING = new TaskSequence(List.of());

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("KernelRouterTest", ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING
                """));
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void theLocalHostsWorkGoesStraightToItsActor() {
        TestProbe<NetlinkActor.Command> local = kit.createTestProbe();
        TestProbe<StatusReply<Done>> caller = kit.createTestProbe();
        ActorRef<KernelRouter.Command> router = kit.spawn(KernelRouter.create("here", local.ref(), Duration.ofSeconds(30)));
        NetlinkActor.Execute work = new NetlinkActor.Execute(NOTHING, caller.ref());
        router.tell(new KernelRouter.OnHost("here", work));
        assertEquals(work, local.expectMessageClass(NetlinkActor.Execute.class), "not relayed");
        router.tell(new KernelRouter.OnHost(null, work));
        assertEquals(work, local.expectMessageClass(NetlinkActor.Execute.class), "null: this host");
    }

    @Test
    void aHostWithNoActorIsRefusedAtOnce() {
        TestProbe<NetlinkActor.Command> local = kit.createTestProbe();
        TestProbe<StatusReply<Done>> caller = kit.createTestProbe();
        ActorRef<KernelRouter.Command> router = kit.spawn(KernelRouter.create("here", local.ref(), Duration.ofSeconds(30)));
        router.tell(new KernelRouter.OnHost("nowhere", new NetlinkActor.Execute(NOTHING, caller.ref())));
        NetkeeperException e = refusal(caller.expectMessageClass(StatusReply.class, Duration.ofSeconds(5)));
        assertEquals(ErrorCode.HOST_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("host nowhere is unavailable"), e.getMessage());
        local.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void anotherHostsActorIsFoundAndItsAnswerRelayed() {
        TestProbe<NetlinkActor.Command> beta = kit.createTestProbe();
        register("beta", beta.ref());
        TestProbe<StatusReply<Done>> caller = kit.createTestProbe();
        ActorRef<KernelRouter.Command> router = kit.spawn(KernelRouter.create("here", kit.createTestProbe(
                NetlinkActor.Command.class).ref(), Duration.ofSeconds(30)));
        router.tell(new KernelRouter.OnHost("beta", new NetlinkActor.Execute(NOTHING, caller.ref())));
        NetlinkActor.Execute got = beta.expectMessageClass(NetlinkActor.Execute.class, Duration.ofSeconds(5));
        assertEquals(NOTHING, got.task());
        got.replyTo().tell(StatusReply.ack());
        assertTrue(caller.expectMessageClass(StatusReply.class).isSuccess());
    }

    @Test
    void eachHostsListingReachesItsOwnHost() {
        TestProbe<NetlinkActor.Command> delta = kit.createTestProbe();
        TestProbe<NetlinkActor.Command> epsilon = kit.createTestProbe();
        register("delta", delta.ref());
        register("epsilon", epsilon.ref());
        TestProbe<StatusReply<Done>> caller = kit.createTestProbe();
        ActorRef<KernelRouter.Command> router = kit.spawn(KernelRouter.create("here", kit.createTestProbe(
                NetlinkActor.Command.class).ref(), Duration.ofSeconds(30)));
        // both subscriptions made before either listing arrives
        router.tell(new KernelRouter.OnHost("delta", new NetlinkActor.Execute(NOTHING, caller.ref())));
        router.tell(new KernelRouter.OnHost("epsilon", new NetlinkActor.Execute(NOTHING, caller.ref())));
        delta.expectMessageClass(NetlinkActor.Execute.class, Duration.ofSeconds(5));
        epsilon.expectMessageClass(NetlinkActor.Execute.class, Duration.ofSeconds(5));
        // a host whose actor goes away does not take the other's with it
        kit.system().receptionist().tell(Receptionist.deregister(NetlinkActor.key("delta"), delta.ref()));
        assertEquals(ErrorCode.HOST_UNAVAILABLE,
                refusal(caller.expectMessageClass(StatusReply.class, Duration.ofSeconds(5))).code(), "delta's work");
        router.tell(new KernelRouter.OnHost("epsilon", new NetlinkActor.Execute(NOTHING, caller.ref())));
        epsilon.expectMessageClass(NetlinkActor.Execute.class, Duration.ofSeconds(5));
    }

    @Test
    void workInFlightOnAHostThatIsLostIsRefusedWithoutWaiting() {
        TestProbe<NetlinkActor.Command> gamma = kit.createTestProbe();
        register("gamma", gamma.ref());
        TestProbe<StatusReply<Done>> caller = kit.createTestProbe();
        ActorRef<KernelRouter.Command> router = kit.spawn(KernelRouter.create("here", kit.createTestProbe(
                NetlinkActor.Command.class).ref(), Duration.ofSeconds(60)));
        router.tell(new KernelRouter.OnHost("gamma", new NetlinkActor.Execute(NOTHING, caller.ref())));
        gamma.expectMessageClass(NetlinkActor.Execute.class, Duration.ofSeconds(5)); // and never answered

        kit.system().receptionist().tell(Receptionist.deregister(NetlinkActor.key("gamma"), gamma.ref()));
        NetkeeperException e = refusal(caller.expectMessageClass(StatusReply.class, Duration.ofSeconds(5)));
        assertEquals(ErrorCode.HOST_UNAVAILABLE, e.code(), e.getMessage());
    }

    /** Registers {@code actor} as {@code host}'s netlink actor and waits until the Receptionist lists it. */
    private static void register(String host, ActorRef<NetlinkActor.Command> actor) {
        kit.system().receptionist().tell(Receptionist.register(NetlinkActor.key(host), actor));
        TestProbe<Receptionist.Listing> listing = kit.createTestProbe();
        kit.system().receptionist().tell(Receptionist.subscribe(NetlinkActor.key(host), listing.ref()));
        listing.fishForMessage(Duration.ofSeconds(5), l -> l.getServiceInstances(NetlinkActor.key(host)).contains(actor)
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    }

    private static NetkeeperException refusal(StatusReply<?> reply) {
        assertTrue(reply.isError(), "expected a refusal, got " + reply);
        return NetkeeperException.fromWire(reply.getError().getMessage());
    }
}
