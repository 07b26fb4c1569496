package dev.netkeeper.api;

import dev.netkeeper.kernel.LinkMark;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.testing.SerializationTestKit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.netkeeper.api.SerializationRoundTripTest.AUDIT;
import static dev.netkeeper.api.SerializationRoundTripTest.IFACE;
import static dev.netkeeper.api.SerializationRoundTripTest.IFACE_V4_ONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public protocol, as a client and the agent's door see it (only the jar's reference.conf): every
 * message round-trips through the {@code netkeeper-api} serializer, names no class on the wire (empty
 * manifest, stable type names), and the lists of type names are exactly the sealed sets; an internal
 * message cannot be read there at all.
 */
class ApiProtocolTest {
    static ActorTestKit kit;
    static Serialization serialization;

    @BeforeAll
    static void start() {
        kit = SerializationTestKit.startPublic("ApiProtocolTest");
        serialization = SerializationTestKit.serialization(kit);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static <T> ActorRef<T> ref() {
        return kit.<T>createTestProbe().ref();
    }

    /** The internal round trip's samples, with what only the public protocol carries on top. */
    static NetworkOptions options() {
        return SerializationRoundTripTest.fullOptions().toBuilder().hostRouteOverlap(true).runtimeManaged(true).build();
    }

    static NetworkInfo networkInfo() {
        return SerializationRoundTripTest.networkInfo();
    }

    static List<Request<?>> requests() {
        AuditQuery query = new AuditQuery("net1", "h1:/var/run/netns/c1", 1L, 2L, 42L, 10);
        return List.of(
                new Request.CreateNetwork("net1", "bridge", options(), "alpha", AUDIT),
                new Request.CreateNetwork("net2", "null", null, null, AUDIT),
                new Request.GetNetwork("net1"),
                new Request.ListNetworks(),
                new Request.LocateNetwork("net1"),
                new Request.DeleteNetwork("net1", true, AUDIT),
                new Request.Link("net1", "c1", "beta", AUDIT),
                new Request.Link("net1", "c1", null, AUDIT),
                new Request.Unlink("net1", "c1", AUDIT),
                new Request.Link("net1", "c1", null, AUDIT, LinkOptions.into("/var/run/netns/c1")
                        .publishing(PortMapping.parse("8080:80/tcp"), PortMapping.parse("127.0.0.1::53/udp"))),
                new Request.Publish("net1", "c1", List.of(PortMapping.parse("8000-8010:80")), AUDIT),
                new Request.Unpublish("net1", "c1", List.of(PortMapping.hostSide("8080/tcp")), AUDIT),
                new Request.CreateNamespace("h1", "/var/run/netns/c1", AUDIT),
                new Request.UseNamespace(null, "/var/run/netns/cni-1234", AUDIT),
                new Request.GetNamespace(null, "/var/run/netns/c1"),
                new Request.ListNamespaces(),
                new Request.DeleteNamespace("h1", "/var/run/netns/c1", AUDIT),
                new Request.CheckNamespace(null, "/run/netns/netns-1234"),
                new Request.CheckNamespace("h1", "/run/netns/netns-1234", "eth0"),
                new Request.Link("net1", "cni:1234:eth0", null, AUDIT, LinkOptions.into("/run/netns/netns-1234")
                        .named("eth0").requesting("10.1.0.7", "fd00::7", "02:11:22:33:44:55").withAliases("web", "api_1")),
                new Request.AddInterface("h1", "/var/run/netns/c1", IFACE, AUDIT),
                new Request.RemoveInterface(null, "/var/run/netns/c1", "eth0", AUDIT),
                new Request.RequestPool("10.77.0.0/24", "10.77.0.128/25", false, "h1", AUDIT),
                new Request.RequestPool(null, null, true, null, AUDIT),
                new Request.ReleasePool("nk:10.77.0.0/24", AUDIT),
                new Request.RequestAddress("nk:10.77.0.0/24", "10.77.0.1", true, AUDIT),
                new Request.RequestAddress("nk:10.77.0.0/24", null, false, AUDIT),
                new Request.ReleaseAddress("nk:10.77.0.0/24", "10.77.0.2", AUDIT),
                new Request.ListHosts(),
                new Request.Describe(),
                new Request.QueryAudit(query),
                new Request.QueryAudit(AuditQuery.all()),
                new Request.QueryStateAt(1_700_000_000_500L, null),
                new Request.QueryStateAt(1_700_000_000_500L, "net1"));
    }

    static List<ApiMessage> samples() {
        List<ApiMessage> s = new ArrayList<>();
        for (Request<?> r : requests()) {
            s.add(new Call<>(r, ref()));
        }
        s.add(new OpenSession(ref()));
        s.add(new SessionChallenge("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c", "h1"));
        s.add(new ProveSession("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c", "MIIB", "c2lnbmVk", "ops", ref()));
        s.add(new ProveSession("n", "MIIB", "c2lnbmVk", null, ref()));
        s.add(new SessionOpened(ref(), "CN=alice"));
        AuditRecord record = new AuditRecord(17, "network", "net1", 3, 1_700_000_000_123L, "req-42", AUDIT.origin(),
                "EndpointAllocated", "{\"endpoint\":{\"name\":\"c1\"}}");
        s.add(networkInfo());
        s.add(new NamespaceInfo("h1", "/var/run/netns/c1", List.of(IFACE, IFACE_V4_ONLY)));
        s.add(new NamespaceInfo("h1", "/var/run/netns/cni-1234", List.of(IFACE), true));
        s.add(new Interfaces(List.of(IFACE, IFACE_V4_ONLY)));
        s.add(new Interfaces(List.of()));
        s.add(new Interfaces(List.of(IFACE), List.of(PortMapping.parse("8080:80/tcp")), "nkv0123456789ab"));
        s.add(new NetworkInfo("net1", "bridge", "10.88.0.0/24", "10.88.0.1", null, null, 1500, false, Map.of(),
                List.of(new EndpointInfo("c1", List.of(IFACE), "h1:/var/run/netns/c1", "h1",
                        List.of(PortMapping.parse("[::1]:53:53/udp"), PortMapping.parse("8080:80/sctp"))))));
        s.add(new AddedInterface(IFACE));
        s.add(new Names(List.of("a", "b")));
        s.add(new Hosts(List.of(new HostInfo("alpha", "pekko://netkeeper@127.0.0.1:25520", "up"),
                new HostInfo("beta", "pekko://netkeeper@127.0.0.1:25530", "unreachable"))));
        s.add(new AgentInfo("h1", "pekko://netkeeper@127.0.0.1:25520"));
        s.add(new Location("net1", "beta"));
        s.add(new AuditPage(List.of(record), 17));
        s.add(new AuditPage(List.of(), 0));
        s.add(new PoolLease("nk:10.77.0.0/24", "10.77.0.0/24"));
        s.add(new PoolAddress("nk:10.77.0.0/24", "10.77.0.2/24"));
        s.add(new StateAt(1_700_000_000_500L, List.of(networkInfo()),
                List.of(new NamespaceInfo("h1", "/var/run/netns/c1", List.of(IFACE)))));
        return s;
    }

    static Stream<Named<ApiMessage>> cases() {
        return samples().stream().map(m -> {
            String text = m instanceof Call<?> c ? "Call " + c.request() : m.toString();
            return Named.of(text.length() > 100 ? text.substring(0, 100) + "…" : text, m);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTripsWithoutAClassNameOnTheWire(ApiMessage original) throws Exception {
        Serializer serializer = serialization.serializerFor(original.getClass());
        assertEquals(7420, serializer.identifier(), "bound to netkeeper-api, not " + serializer.getClass());
        String manifest = Serializers.manifestFor(serializer, original);
        assertEquals("", manifest, "no class name in the manifest");
        byte[] bytes = serialization.serialize(original).get();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("dev.netkeeper") || text.contains("netkeeper.api"), "a class name in " + text);

        Object copy = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        assertEquals(original, copy);
        assertEquals(original.getClass(), copy.getClass());
    }

    @Test
    void theTypeNamesAreExactlyTheSealedSets() {
        assertEquals(leaves(ApiMessage.class), named(ApiMessage.class), "ApiMessage's @JsonSubTypes vs its permits");
        assertEquals(leaves(Request.class), named(Request.class), "Request's @JsonSubTypes vs its permits");
        Set<String> names = new TreeSet<>();
        for (Class<?> root : List.of(ApiMessage.class, Request.class)) {
            for (JsonSubTypes.Type t : root.getAnnotation(JsonSubTypes.class).value()) {
                assertTrue(names.add(t.name()), "type name used twice: " + t.name());
            }
        }
    }

    @Test
    void everyPublicTypeHasASample() {
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        leaves(ApiMessage.class).stream().filter(c -> !sampled.contains(c)).forEach(c -> missing.add(c.getName()));
        Set<Class<?>> requested = requests().stream().map(Object::getClass).collect(Collectors.toSet());
        leaves(Request.class).stream().filter(c -> !requested.contains(c)).forEach(c -> missing.add(c.getName()));
        assertEquals(Set.of(), missing, "public types without a sample in " + ApiProtocolTest.class.getSimpleName());
    }

    @Test
    void anInternalMessageCannotBeReadThroughThePublicBindings() throws Exception {
        ActorTestKit agent = SerializationTestKit.start("ApiProtocolTest-agent");
        try {
            Serialization agentSide = SerializationTestKit.serialization(agent);
            for (Object internal : List.<Object>of(new NetlinkActor.Execute(new DeleteLink("eth0", LinkMark.bridge("net1")),
                    agent.<org.apache.pekko.pattern.StatusReply<Done>>createTestProbe().ref()),
                    new NetworkCommand.Unclaim("c1", "h1:/var/run/netns/c1", false, AUDIT))) {
                Serializer s = agentSide.serializerFor(internal.getClass());
                byte[] bytes = agentSide.serialize(internal).get();
                String manifest = Serializers.manifestFor(s, internal);
                assertTrue(serialization.deserialize(bytes, s.identifier(), manifest).isFailure(),
                        internal.getClass() + " was deserialized by a system that binds only the public protocol");
            }
        } finally {
            agent.shutdownTestKit();
        }
    }

    @Test
    void aTypeNameOutsideTheListIsRefused() throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        Map<String, Object> forged = new LinkedHashMap<>();
        forged.put("@type", "dev.netkeeper.kernel.NetlinkActor$Execute");
        forged.put("task", Map.of("@task", "dev.netkeeper.kernel.DeleteLink", "name", "eth0"));
        byte[] bytes = cbor.writeValueAsBytes(forged);
        assertTrue(serialization.deserialize(bytes, 7420, "").isFailure());

        Map<String, Object> call = new LinkedHashMap<>();
        call.put("@type", "call");
        call.put("request", Map.of("@request", "kernel.execute"));
        assertTrue(serialization.deserialize(cbor.writeValueAsBytes(call), 7420, "").isFailure());
    }

    /** The concrete classes reachable through {@code root}'s sealed permits. */
    static Set<Class<?>> leaves(Class<?> root) {
        Set<Class<?>> out = new java.util.HashSet<>();
        if (!root.isInterface()) {
            out.add(root);
            return out;
        }
        for (Class<?> c : root.getPermittedSubclasses()) {
            out.addAll(leaves(c));
        }
        return out;
    }

    static Set<Class<?>> named(Class<?> root) {
        return Arrays.stream(root.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::value)
                .collect(Collectors.toSet());
    }
}
