package dev.netkeeper.front;

import dev.netkeeper.kernel.LinkMark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.api.AgentInfo;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.Call;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.Request;
import dev.netkeeper.client.Network;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.DeleteNamespace;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.SerializationTestKit;
import dev.netkeeper.testing.TestAgent;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's client door, attacked as a hostile client would: an ActorSystem of its own with valid client
 * credentials and its own session, that knows our jar, sends whatever bytes it likes under our serializers' ids
 * and manifests, to the gateway, to its session and to any path. Each attack is refused or reaches nobody; the kernel (an {@code ip -j} oracle: a veth made
 * with {@code ip}, the agent's own bridge, a container's interface), a root-owned file and the journal
 * (its event count, through the public audit) are unchanged; and the door still serves the public set.
 */
class ClosedDoorTest {
    static TestAgent agent;
    static String door;
    static DoorCaller caller;
    static ActorTestKit attacker;
    /** The attacker's own session: it holds client credentials (a client turned hostile). */
    static org.apache.pekko.actor.ActorRef session;
    static ActorTestKit internal;
    static Path victimFile;
    static String hostNs;
    static String containerNs;
    static Interface placed;
    static String bridge;

    @BeforeAll
    static void start() throws Exception {
        agent = TestAgent.start("door");
        door = agent.apiAddress();
        hostNs = agent.host().name();
        // a link someone else made on the host, and a root-owned file
        IpOracle.Result made = IpOracle.run("ip", "-n", hostNs, "link", "add", "victim0", "type", "veth", "peer",
                "name", "victim1");
        assertEquals(0, made.exitCode(), made.stderr());
        victimFile = Files.createTempFile("nk-victim-", ".txt");
        Files.writeString(victimFile, "keep me");

        Network net = agent.client().newNetwork("bridge", "doornet", NetworkOptions.builder().subnet("10.61.0.0/24")
                .driverOption("bridge.name", "br-door").build());
        bridge = "br-door";
        String path = TestAgent.namespacePath("doorc1");
        containerNs = Path.of(path).getFileName().toString();
        placed = agent.client().newNetworkNamespace(path).addInterface(net.link("c1").get(0));

        Path credentials = agent.clientCredentials("attacker");
        caller = new DoorCaller("attacker", credentials, door, attackerConfig());
        attacker = caller.kit;
        session = Adapter.toClassic(caller.session(dev.netkeeper.identity.Credentials.read(credentials.resolve("client.key"),
                credentials.resolve("client.pem")), null));
        internal = SerializationTestKit.start("door-internal");
    }

    @AfterAll
    static void stop() throws Exception {
        if (caller != null) {
            caller.close();
        }
        if (internal != null) {
            internal.shutdownTestKit();
        }
        if (agent != null) {
            agent.close();
        }
        Files.deleteIfExists(victimFile);
    }

    /** Our jar's serializers, with the attacker's stand-ins under the same ids: it can send any frame. */
    static Config attackerConfig() {
        return ConfigFactory.parseString("""
                        pekko.actor.serializers.jackson-cbor = "dev.netkeeper.front.ForgedFrameSerializer"
                        pekko.actor.serializers.netkeeper-api = "dev.netkeeper.front.ForgedFrameSerializer"
                        pekko.actor.serialization-bindings {
                          "dev.netkeeper.front.ForgedFrame$Internal" = jackson-cbor
                          "dev.netkeeper.front.ForgedFrame$Public" = netkeeper-api
                        }
                        """);
    }

    // ---- the attacks -------------------------------------------------------------------------------

    @Test
    void kernelWorkByPathOrByABuiltReferenceFindsNobody() throws Exception {
        Snapshot before = Snapshot.take();
        List<Object> payloads = List.of(
                internalFrame(new NetlinkActor.Execute(new DeleteLink("victim0", LinkMark.bridge("doornet")), internal.<StatusReply<org.apache.pekko.Done>>createTestProbe().ref())),
                internalFrame(new NetlinkActor.Execute(new DeleteNamespace(victimFile.toString()), internal.<StatusReply<org.apache.pekko.Done>>createTestProbe().ref())),
                internalFrame(new NetlinkActor.Execute(new DeleteLink(bridge, LinkMark.bridge("doornet")), internal.<StatusReply<org.apache.pekko.Done>>createTestProbe().ref())));
        // the frames are real attacks: the agent's own serialization reads them back as the kernel work they carry
        ForgedFrame.Internal first = (ForgedFrame.Internal) payloads.get(0);
        Object read = SerializationTestKit.serialization(internal).deserialize(first.bytes(), 33, first.manifest()).get();
        assertEquals(new DeleteLink("victim0", LinkMark.bridge("doornet")), ((NetlinkActor.Execute) read).task());
        for (String path : List.of("/user/netlink", "/user/kernels", "/user/endpoints", "/user/gateway",
                "/system/sharding/Network/0/doornet", "/system/receptionist")) {
            for (Object payload : payloads) {
                attacker.system().classicSystem().actorSelection(front(path)).tell(payload,
                        org.apache.pekko.actor.ActorRef.noSender());
                built(path).tell(payload, org.apache.pekko.actor.ActorRef.noSender());
            }
        }
        // a public call to any other path than the gateway finds nobody either
        TestProbe<StatusReply<AgentInfo>> probe = attacker.createTestProbe();
        built("/user/netlink").tell(new Call<>(new Request.Describe(), probe.ref()), org.apache.pekko.actor.ActorRef.noSender());
        probe.expectNoMessage(Duration.ofMillis(500));

        assertTheDoorStillServes();
        before.assertUnchanged();
    }

    @Test
    void internalCommandsAndForgedSelfMessagesCannotBeRead() throws Exception {
        Snapshot before = Snapshot.take();
        Audit audit = Audit.now("forged-1", "attacker");
        List<ForgedFrame> frames = List.of(
                internalFrame(new NetworkCommand.Unlink("c1", audit, internal.<StatusReply<org.apache.pekko.Done>>createTestProbe().ref())),
                internalFrame(new NetworkCommand.Unclaim("c1", "test-host:/var/run/netns/" + containerNs, true, audit)),
                internalFrame(new NetworkCommand.ConvergeHost("test-host", 0)),
                internalFrame(new NamespaceCommand.Forget("doornet", "c1", audit)),
                internalFrame(new NamespaceCommand.VerifyPlacement("doornet", "c1", null)),
                // an entity's private self-messages, by class name: refused before any byte is parsed
                new ForgedFrame.Internal("dev.netkeeper.network.NetworkEntity$Attached", cbor(Map.of("endpoint", "c1",
                        "error", Map.of("message", "forced rollback")))),
                new ForgedFrame.Internal("dev.netkeeper.network.NetworkEntity$SetUpDone", cbor(Map.of())),
                new ForgedFrame.Internal("dev.netkeeper.cluster.Gateway$Handle", cbor(Map.of())),
                // and the same under the public serializer, whose type names list no internal class
                new ForgedFrame.Public(cbor(Map.of("@type", "dev.netkeeper.network.NetworkEntity$Attached",
                        "endpoint", "c1"))),
                new ForgedFrame.Public(cbor(Map.of("@type", "call", "request", Map.of("@request", "network.claim",
                        "endpoint", "c1")))));
        for (ForgedFrame f : frames) {
            built("/user/gateway").tell(f, org.apache.pekko.actor.ActorRef.noSender());
            session.tell(f, org.apache.pekko.actor.ActorRef.noSender());
        }
        assertTheDoorStillServes();
        before.assertUnchanged();
    }

    @Test
    void malformedCallsAreAnsweredOrDroppedAndTheGatewayKeepsServing() throws Exception {
        Snapshot before = Snapshot.take();
        // a call to the gateway itself, outside a session: refused, whoever asks
        TestProbe<StatusReply<AgentInfo>> outside = attacker.createTestProbe();
        built("/user/gateway").tell(new Call<>(new Request.Describe(), outside.ref()), org.apache.pekko.actor.ActorRef.noSender());
        assertRefused(outside, ErrorCode.PERMISSION_DENIED, "only in a session");
        org.apache.pekko.actor.ActorRef gateway = session;

        // no reply-to: dropped (nobody to answer)
        gateway.tell(new ForgedFrame.Public(cbor(Map.of("@type", "call", "request", Map.of("@request", "agent.describe")))),
                org.apache.pekko.actor.ActorRef.noSender());
        // not CBOR at all, and a document of no known type
        gateway.tell(new ForgedFrame.Public(new byte[] {(byte) 0xff, 0x00, 0x13, 0x37}), org.apache.pekko.actor.ActorRef.noSender());
        gateway.tell(new ForgedFrame.Public(cbor(Map.of("@type", "nothing"))), org.apache.pekko.actor.ActorRef.noSender());
        // a reply sent as if it were a request
        gateway.tell(new dev.netkeeper.api.Names(List.of("x")), org.apache.pekko.actor.ActorRef.noSender());
        assertTheDoorStillServes();

        // no request: answered INVALID_REQUEST
        TestProbe<StatusReply<Object>> probe = attacker.createTestProbe();
        gateway.tell(new Call<>(null, probe.ref()), org.apache.pekko.actor.ActorRef.noSender());
        assertRefused(probe, ErrorCode.INVALID_REQUEST, "without a request");

        // required fields left out: answered INVALID_REQUEST naming them, before any entity starts
        TestProbe<StatusReply<Interfaces>> link = attacker.createTestProbe();
        gateway.tell(new Call<>(new Request.Link(null, "c9", null, null), link.ref()), org.apache.pekko.actor.ActorRef.noSender());
        assertRefused(link, ErrorCode.INVALID_REQUEST, "Link without network, audit");
        TestProbe<StatusReply<dev.netkeeper.api.AddedInterface>> add = attacker.createTestProbe();
        gateway.tell(new Call<>(new Request.AddInterface(null, "/var/run/netns/" + containerNs, null,
                Audit.now("r-1", "attacker")), add.ref()), org.apache.pekko.actor.ActorRef.noSender());
        assertRefused(add, ErrorCode.INVALID_REQUEST, "AddInterface without iface");

        // a bad name or path is refused at the door with its own code
        TestProbe<StatusReply<dev.netkeeper.api.NetworkInfo>> name = attacker.createTestProbe();
        gateway.tell(new Call<>(new Request.GetNetwork("../etc"), name.ref()), org.apache.pekko.actor.ActorRef.noSender());
        assertRefused(name, ErrorCode.INVALID_NAME, "network name");
        TestProbe<StatusReply<org.apache.pekko.Done>> path = attacker.createTestProbe();
        gateway.tell(new Call<>(new Request.DeleteNamespace(null, victimFile.toString(), Audit.now("r-2", "attacker")),
                path.ref()), org.apache.pekko.actor.ActorRef.noSender());
        assertRefused(path, ErrorCode.PATH_NOT_ALLOWED, victimFile.toString());

        assertTheDoorStillServes();
        before.assertUnchanged();
    }

    @Test
    void answersGoBackToCallersOnlyNeverIntoTheCluster() throws Exception {
        // a probe inside the agent's cluster ActorSystem, named as the reply-to of a call sent to the door
        ActorTestKit cluster = ActorTestKit.create(agent.node().system());
        TestProbe<Object> inside = cluster.createTestProbe();
        String insidePath = inside.ref().path().toStringWithAddress(agent.node().system().address());
        ActorRef<StatusReply<AgentInfo>> reflected = Adapter.toTyped(
                ((ExtendedActorSystem) attacker.system().classicSystem()).provider().resolveActorRef(insidePath));
        built("/user/gateway").tell(new Call<>(new Request.Describe(), reflected), org.apache.pekko.actor.ActorRef.noSender());
        session.tell(new Call<>(new Request.Describe(), reflected), org.apache.pekko.actor.ActorRef.noSender());
        built("/user/gateway").tell(new dev.netkeeper.api.OpenSession(Adapter.toTyped(
                ((ExtendedActorSystem) attacker.system().classicSystem()).provider().resolveActorRef(insidePath))),
                org.apache.pekko.actor.ActorRef.noSender());
        inside.expectNoMessage(Duration.ofSeconds(1));
        assertTheDoorStillServes();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** What the attacks must leave as it was. */
    record Snapshot(JsonNode victim, JsonNode bridgeLink, JsonNode containerEnd, String file, int events) {
        static Snapshot take() throws Exception {
            return new Snapshot(IpOracle.link(hostNs, "victim0"), IpOracle.link(hostNs, bridge),
                    IpOracle.link(containerNs, placed.dstName()), Files.readString(victimFile), countEvents());
        }

        void assertUnchanged() throws Exception {
            Thread.sleep(300); // anything that was going to run has run: the door answered after it
            Snapshot now = take();
            assertNotNull(now.victim(), "the foreign veth is still there");
            assertEquals(victim.path("ifindex"), now.victim().path("ifindex"), "the same foreign veth");
            assertNotNull(now.bridgeLink(), "the network's bridge is still there");
            assertEquals(bridgeLink.path("ifindex"), now.bridgeLink().path("ifindex"));
            assertNotNull(now.containerEnd(), "the container's interface is still in its namespace");
            assertEquals(containerEnd.path("address"), now.containerEnd().path("address"));
            assertEquals(file, now.file(), "the root-owned file is untouched");
            assertEquals(events, now.events(), "nothing was journaled");
        }

        static int countEvents() {
            return agent.client().audit(new AuditQuery(null, null, null, null, 0, 10_000)).records().size();
        }
    }

    static void assertTheDoorStillServes() {
        TestProbe<StatusReply<AgentInfo>> probe = attacker.createTestProbe();
        session.tell(new Call<>(new Request.Describe(), probe.ref()), org.apache.pekko.actor.ActorRef.noSender());
        StatusReply<AgentInfo> reply = probe.expectMessageClass(StatusReply.class, Duration.ofSeconds(10));
        assertTrue(reply.isSuccess(), String.valueOf(reply));
        assertEquals("test-host", reply.getValue().hostId());
    }

    static <T> void assertRefused(TestProbe<StatusReply<T>> probe, ErrorCode code, String mentions) {
        StatusReply<T> reply = probe.expectMessageClass(StatusReply.class, Duration.ofSeconds(10));
        assertTrue(reply.isError(), String.valueOf(reply));
        NetkeeperException e = NetkeeperException.of(reply.getError());
        assertEquals(code, e.code(), e.toString());
        assertTrue(e.getMessage().contains(mentions), e.toString());
    }

    static String front(String path) {
        return caller.front(path);
    }

    /** A reference to any path of the door, built without asking it (no selection, no identify). */
    static org.apache.pekko.actor.ActorRef built(String path) {
        return caller.built(path);
    }

    /** An internal message as the agent's own serializer writes it, ready to send under its id and class name. */
    static ForgedFrame.Internal internalFrame(Object message) throws Exception {
        Serialization s = SerializationTestKit.serialization(internal);
        byte[] bytes = s.serialize(message).get();
        return new ForgedFrame.Internal(Serializers.manifestFor(s.serializerFor(message.getClass()), message), bytes);
    }

    static byte[] cbor(Map<String, ?> document) throws Exception {
        return new ObjectMapper(new CBORFactory()).writeValueAsBytes(new LinkedHashMap<>(document));
    }
}
