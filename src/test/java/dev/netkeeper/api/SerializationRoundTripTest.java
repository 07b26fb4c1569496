package dev.netkeeper.api;

import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.EnsureHairpin;
import dev.netkeeper.kernel.FirewallForwards;
import dev.netkeeper.kernel.FirewallRemove;
import dev.netkeeper.kernel.FirewallShare;
import dev.netkeeper.firewall.Forward;
import dev.netkeeper.firewall.NetworkRules;
import dev.netkeeper.kernel.DeleteNamespace;
import dev.netkeeper.kernel.EnsureNamespace;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.kernel.PlaceInterface;
import dev.netkeeper.kernel.ReturnInterface;
import dev.netkeeper.kernel.TaskSequence;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.NamespaceEvent;
import dev.netkeeper.namespace.NamespaceState;
import dev.netkeeper.namespace.PlacedInterface;
import dev.netkeeper.network.AddressPool;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.EndpointDirectory;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.ExternalPool;
import dev.netkeeper.network.ExternalPools;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.network.NetworkState;
import dev.netkeeper.network.Reservation;
import dev.netkeeper.kernel.EnsureBridge;
import dev.netkeeper.kernel.EnsureVeth;
import dev.netkeeper.kernel.BridgePorts;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import dev.netkeeper.testing.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every internal message, event and state that crosses an actor boundary between members or is journaled
 * goes through Jackson CBOR (never Java serialization) and comes back equal. {@link #everySerializableClassHasARoundTrip}
 * makes a new CborSerializable class without a sample here fail the build.
 */
class SerializationRoundTripTest {
    static ActorTestKit testKit;
    static Serialization serialization;

    @BeforeAll
    static void start() {
        testKit = SerializationTestKit.start("SerializationRoundTripTest");
        serialization = SerializationTestKit.serialization(testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    // ---- sample values ---------------------------------------------------------------------------

    static final Audit AUDIT = new Audit("req-42", 1_700_000_000_123L, "pekko://peer@10.0.0.9:25520 (alice)");
    static final Audit AGENT_AUDIT = new Audit("agent:recovery of h1:/var/run/netns/c1", 1_700_000_000_999L, "agent");

    static final Interface IFACE = new Interface("ceth1a2b3c4", "eth0", "02:42:0a:58:00:02", "10.88.0.2/24",
            "fd88::2/64", "10.88.0.1", "fd88::1", 1450);
    static final Interface IFACE_V4_ONLY = new Interface("ceth5d6e7f8", "eth1", "02:42:0a:59:00:07",
            "10.89.0.7/24", null, null, null, 1500);

    static final AddressPool POOL_V4 = new AddressPool("10.88.0.0/24", "10.88.0.1", "10.88.0.128/25",
            List.of("10.88.0.200", "10.88.0.201"));
    static final AddressPool POOL_V6 = new AddressPool("fd88::/64", "fd88::1", null, List.of());

    static final NetworkConfig CONFIG = new NetworkConfig("net1", "bridge", POOL_V4, POOL_V6, 1450, true, "eth",
            Map.of("bridge.name", "nk-0badcafe"));
    static final NetworkConfig NULL_CONFIG = new NetworkConfig("none1", "null", null, null, 1500, false, "eth",
            Map.of());

    static final Endpoint EP1 = new Endpoint("c1", "veth1a2b3c4", "ceth1a2b3c4", "02:42:0a:58:00:02",
            "10.88.0.2/24", "fd88::2/64", "h1:/var/run/netns/c1", null);
    static final Endpoint EP2 = new Endpoint("c2", "veth5d6e7f8", "ceth5d6e7f8", "02:42:0a:58:00:83",
            "10.88.0.131/24", null, null, null).withAliases(List.of("web", "web.internal"));
    static final Endpoint EP_NULL = new Endpoint("c3", null, null, null, null, null, null, null);
    static final Endpoint EP_ON_HOST = new Endpoint("c4", "veth9a9b9c9", "ceth9a9b9c9", "02:42:0a:58:00:04",
            "10.88.0.4/24", null, null, "beta");

    static final PlacedInterface PLACED = new PlacedInterface("net1", "c1", IFACE);
    static final PlacedInterface PLACED2 = new PlacedInterface("net2", "c9", IFACE_V4_ONLY);

    static final Reservation RESERVATION = new Reservation("net1", "10.88.0.0/24", "fd88::/64");
    static final Reservation RESERVATION_V4 = new Reservation("net2", "172.17.0.0/16", null);

    static final EnsureNamespace ENSURE_NS = new EnsureNamespace("/var/run/netns/c1");
    static final DeleteNamespace DELETE_NS = new DeleteNamespace("/var/run/netns/c1");
    static final DeleteLink DELETE_LINK = new DeleteLink("veth1a2b3c4", LinkMark.hostEnd("net1", "c1"));
    static final PlaceInterface PLACE = new PlaceInterface("/var/run/netns/c1", "ceth1a2b3c4", "eth0",
            "02:42:0a:58:00:02", 1450, List.of("10.88.0.2/24", "fd88::2/64"), "10.88.0.1", "fd88::1", null);
    static final PlaceInterface PLACE_NO_GW = new PlaceInterface("/var/run/netns/c2", "ceth5d6e7f8", "eth3",
            "02:42:0a:58:00:83", 1500, List.of(), null, null, null);
    static final ReturnInterface RETURN = new ReturnInterface("/var/run/netns/c1", "eth0", "ceth1a2b3c4",
            "02:42:0a:58:00:02", null);
    static final EnsureBridge ENSURE_BRIDGE = new EnsureBridge("nk-0badcafe", 1450,
            List.of("10.88.0.1/24", "fd88::1/64"), LinkMark.bridge("net1"));
    static final EnsureVeth ENSURE_VETH = new EnsureVeth("veth1a2b3c4", "ceth1a2b3c4", "02:42:0a:58:00:02",
            "nk-0badcafe", 1450, LinkMark.hostEnd("net1", "c1"), LinkMark.containerEnd("net1", "c1", "ceth1"));
    static final dev.netkeeper.network.Placement PLACEMENT = new dev.netkeeper.network.Placement(
            "h1:/var/run/netns/c1", "eth0", "4:4026532", true, false);
    static final EnsureVeth BORN_VETH = ENSURE_VETH.bornIn(new EnsureVeth.Birthplace("/var/run/netns/c1", "eth0", null));
    static final BridgePorts PORTS = new BridgePorts("nk-0badcafe", "net1", List.of(ENSURE_VETH,
            new EnsureVeth("veth5d6e7f8", "ceth5d6e7f8", "02:42:0a:58:00:83", "nk-0badcafe", 1450,
                    LinkMark.hostEnd("net1", "c2"), LinkMark.containerEnd("net1", "c2", "ceth2"))),
            java.util.Set.of("veth5d6e7f8"), java.util.Set.of("veth1a2b3c4"));
    static final dev.netkeeper.kernel.EnsureSegment SEGMENT = new dev.netkeeper.kernel.EnsureSegment(
            "net1", 2, "nk-0badcafe", "nkb0123456789ab", "nkt0123456789ab", "nku0123456789ab", 1450);
    static final dev.netkeeper.kernel.PruneSegments PRUNE = new dev.netkeeper.kernel.PruneSegments(
            "net1", java.util.Set.of(0, 1), Map.of("nkb0123456789ab", 2, "nkt0123456789ab", 2));
    static final Endpoint EP_SEGMENT = new Endpoint("c5", "nkv0a0b0c0d0e0f", "nkc0a0b0c0d0e0f", "02:42:0a:58:00:05",
            "10.88.0.5/24", null, null, "alpha", 2);
    /** Tasks of several classes in one list: only works if the polymorphic type id travels. */
    static final TaskSequence SEQUENCE = new TaskSequence(List.of(ENSURE_NS, PLACE, ENSURE_BRIDGE, ENSURE_VETH,
            PORTS, RETURN, DELETE_LINK, DELETE_NS, new TaskSequence(List.of(PLACE_NO_GW))));

    static NetworkState networkState() {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(EP1.name(), EP1);
        endpoints.put(EP2.name(), EP2);
        endpoints.put(EP_ON_HOST.name(), EP_ON_HOST);
        return new NetworkState(CONFIG, endpoints, "10.88.0.131", "fd88::2", List.of("req-1", "req-2", "req-42"),
                "alpha", Set.of("alpha", "beta"));
    }

    static NamespaceState namespaceState() {
        Map<String, PlacedInterface> interfaces = new LinkedHashMap<>();
        interfaces.put(IFACE.dstName(), PLACED);
        interfaces.put(IFACE_V4_ONLY.dstName(), PLACED2);
        return new NamespaceState("h1", "/var/run/netns/c1", interfaces, List.of("req-7", "req-8"));
    }

    static NetworkOptions fullOptions() {
        return new NetworkOptions("10.88.0.0/24", "fd88::/64", "10.88.0.254", "fd88::fe", "10.88.0.128/25",
                List.of("10.88.0.200", "fd88::99"), 9000, true, "ctr", Map.of("bridge.name", "br-test", "x", "y"), false,
                false, true);
    }

    static NetworkInfo networkInfo() {
        return new NetworkInfo("net1", "bridge", "10.88.0.0/24", "10.88.0.1", "fd88::/64", "fd88::1", 1450, true,
                Map.of("bridge.name", "nk-0badcafe"),
                List.of(new EndpointInfo("c1", List.of(IFACE), "h1:/var/run/netns/c1"),
                        new EndpointInfo("c2", List.of(), null)));
    }

    static <T> ActorRef<T> ref() {
        return testKit.<T>createTestProbe().ref();
    }

    /** One sample (or more) of every serializable class; the coverage test checks none is missing. */
    static List<Object> samples() {
        List<Object> s = new ArrayList<>();
        // api values travel inside these messages (the public protocol's own round trip: ApiProtocolTest)

        // network: values
        s.add(POOL_V4);
        s.add(POOL_V6);
        s.add(CONFIG);
        s.add(NULL_CONFIG);
        s.add(EP1);
        s.add(EP2);
        s.add(EP_SEGMENT);
        s.add(EP1.linkedInto("h1:/var/run/netns/c1", "eth0"));
        s.add(new PlacedInterface("net1", "c1", IFACE.withDstName("eth0"), true));
        s.add(PLACEMENT);
        s.add(EP_NULL);
        s.add(RESERVATION);
        s.add(RESERVATION_V4);

        // network: events and state
        s.add(new NetworkEvent.NetworkCreated(CONFIG, null, AUDIT));
        s.add(new NetworkEvent.NetworkCreated(NULL_CONFIG, null, AUDIT));
        s.add(new NetworkEvent.NetworkCreated(new NetworkConfig("docker-9246f7c94bef", "bridge", POOL_V4, null, 1500,
                false, "eth", Map.of(), true), "h1", AUDIT));
        s.add(new NetworkEvent.NetworkCreated(new NetworkConfig("quiet", "bridge", POOL_V4, null, 1500,
                false, "eth", Map.of(), false, true), "h1", AUDIT));
        s.add(new NetworkEvent.NetworkCreated(new NetworkConfig("ov1", "overlay", POOL_V4, null, 1450,
                false, "eth", Map.of("bridge.name", "nk-0badcafe"), false, false, 4096), "alpha", AUDIT));
        s.add(new NetworkEvent.NetworkCreated(CONFIG, "alpha", AUDIT));
        s.add(new NetworkEvent.EndpointAllocated(EP_ON_HOST, AUDIT));
        s.add(new NetworkEvent.EndpointAllocated(EP1, AUDIT));
        s.add(new NetworkEvent.EndpointAllocated(EP_NULL, AUDIT));
        s.add(new NetworkEvent.EndpointReleased("c1", "rollback: KERNEL: File exists", AGENT_AUDIT));
        s.add(new NetworkEvent.EndpointPlaced("c1", "h1:/var/run/netns/c1", AUDIT));
        s.add(new NetworkEvent.EndpointUnplaced("c1", "h1:/var/run/netns/c1", AUDIT));
        s.add(new NetworkEvent.NetworkDeleted(AUDIT));
        s.add(networkState());
        s.add(NetworkState.EMPTY);
        s.add(networkState().apply(new dev.netkeeper.network.NetworkEvent.NetworkDeleted(AUDIT))); // its tombstone

        // network: commands and replies
        s.add(new NetworkCommand.Create("bridge", fullOptions(), AUDIT, ref()));
        s.add(new NetworkCommand.Link("c1", AUDIT, ref()));
        s.add(new NetworkCommand.Link("c1", "beta", AUDIT, ref()));
        s.add(new NetworkCommand.Link("c1", null, "alpha", AUDIT, ref()));
        s.add(new NetworkCommand.Create("bridge", fullOptions(), "alpha", AUDIT, ref()));
        s.add(new NetworkCommand.ConvergeHost("gamma", 1_700_000_000_000L));
        s.add(new NetworkCommand.Locate(ref()));
        s.add(new NetworkCommand.Unlink("c1", AUDIT, ref()));
        s.add(new NetworkCommand.Delete(true, AUDIT, ref()));
        s.add(new NetworkCommand.Get(ref()));
        s.add(new NetworkCommand.Claim("c1", "h1:/var/run/netns/c1", AUDIT, ref()));
        s.add(new NetworkCommand.Claimed("net1", "c1", IFACE, true));
        s.add(new NetworkCommand.Unclaim("c1", "h1:/var/run/netns/c1", true, AGENT_AUDIT));
        s.add(new NetworkCommand.Attach("c1", PLACEMENT, ref()));
        s.add(new NetworkCommand.Link("c1", "h1", null, AUDIT, ref(), PLACEMENT));

        // network directory
        s.add(new NetworkDirectory.Reserve("net1", "10.88.0.0/24", "fd88::/64", true,
                List.of("192.168.1.0/24", "fe80::/64"), AUDIT, ref()));
        s.add(new NetworkDirectory.Reserve("net2", null, null, false, List.of(), AUDIT, ref()));
        s.add(new NetworkDirectory.Release("net1", AUDIT, ref()));
        s.add(new NetworkDirectory.ListAll(ref()));
        s.add(new NetworkDirectory.Lookup("net1", ref()));
        s.add(new NetworkDirectory.LookedUp("net1", true));
        s.add(new NetworkDirectory.Listing(List.of(RESERVATION, RESERVATION_V4)));
        s.add(new NetworkDirectory.Reserved(RESERVATION, AUDIT));
        s.add(new NetworkDirectory.Released("net1", AUDIT));
        s.add(new NetworkDirectory.State(Map.of("net1", RESERVATION, "net2", RESERVATION_V4), ExternalPools.NONE));
        s.add(new NetworkDirectory.Reserve("docker-9246f7c94bef", "10.77.0.0/24", null, true, List.of(), true, false,
                AUDIT, ref()));
        s.add(new NetworkDirectory.Reserve("ov1", "10.77.0.0/24", null, true, List.of(), false, true, AUDIT, ref()));
        s.add(new NetworkDirectory.Reserved(new Reservation("ov1", "10.77.0.0/24", null, 4096), AUDIT));
        s.add(new NetworkDirectory.ReservePool("10.77.0.0/24", "10.77.0.128/25", false, List.of(), AUDIT, ref()));
        s.add(new NetworkDirectory.ReservePool(null, null, true, List.of("10.0.0.0/8"), AUDIT, ref()));
        s.add(new NetworkDirectory.ReleasePool("nk:10.77.0.0/24", AUDIT, ref()));
        s.add(new NetworkDirectory.ReserveAddress("nk:10.77.0.0/24", "10.77.0.1", true, AUDIT, ref()));
        s.add(new NetworkDirectory.ReserveAddress("nk:10.77.0.0/24", null, false, AUDIT, ref()));
        s.add(new NetworkDirectory.ReleaseAddress("nk:10.77.0.0/24", "10.77.0.2", AUDIT, ref()));
        s.add(new NetworkDirectory.PoolReserved("nk:10.77.0.0/24", "10.77.0.0/24", null, AUDIT));
        s.add(new NetworkDirectory.PoolReserved("nk:10.77.0.0/24~10.77.0.128/25", "10.77.0.0/24", "10.77.0.128/25", AUDIT));
        s.add(new NetworkDirectory.PoolReleased("nk:10.77.0.0/24", AUDIT));
        s.add(new NetworkDirectory.PoolAddressReserved("nk:10.77.0.0/24", "10.77.0.1", true, AUDIT));
        s.add(new NetworkDirectory.PoolAddressReleased("nk:10.77.0.0/24", "10.77.0.2", AUDIT));
        s.add(ExternalPools.NONE);
        s.add(new ExternalPool("nk:10.77.0.0/24~10.77.0.128/25", "10.77.0.0/24", "10.77.0.128/25", 1, List.of(), null));
        s.add(new NetworkDirectory.State(Map.of("net1", RESERVATION), new ExternalPools(Map.of("nk:10.77.0.0/24",
                new ExternalPool("nk:10.77.0.0/24", "10.77.0.0/24", null, 2, List.of("10.77.0.1", "10.77.0.2"),
                        "10.77.0.2")))));

        // endpoint directory
        s.add(new EndpointDirectory.Register("ceth1a2b3c4", "net1", "c1"));
        s.add(new EndpointDirectory.Register("ceth1a2b3c4", "net1", "c1", ref()));
        s.add(new EndpointDirectory.Unregister("ceth1a2b3c4"));
        s.add(new EndpointDirectory.RegisterAll(List.of(new EndpointDirectory.Register("ceth1a2b3c4", "net1", "c1"),
                new EndpointDirectory.Register("ceth5d6e7f8", "net1", "c2"))));
        s.add(new EndpointDirectory.Lookup("ceth1a2b3c4", ref()));
        s.add(new EndpointDirectory.Found(Optional.of(new EndpointDirectory.Owner("net1", "c1"))));
        s.add(new EndpointDirectory.Found(Optional.empty()));
        s.add(new EndpointDirectory.Owner("net1", "c1"));

        // namespace
        s.add(PLACED);
        s.add(new NamespaceEvent.NamespaceCreated("h1", "/var/run/netns/c1", AUDIT));
        s.add(new NamespaceEvent.NamespaceUsed("h1", "/var/run/netns/cni-1234", "4:4026532247", AUDIT));
        s.add(new NamespaceState("h1", "/var/run/netns/cni-1234", Map.of(), List.of("req-9"), "4:4026532247"));
        s.add(new NamespaceCommand.Use(AUDIT, ref()));
        s.add(new PlaceInterface("/var/run/netns/cni-1234", "ceth1a2b3c4", "eth0", "02:42:0a:58:00:02", 1500,
                List.of("10.88.0.2/24"), "10.88.0.1", null, "4:4026532247"));
        s.add(new ReturnInterface("/var/run/netns/cni-1234", "eth0", "ceth1a2b3c4", "02:42:0a:58:00:02", "4:4026532247"));
        s.add(new NamespaceEvent.InterfaceAdded(PLACED, AUDIT));
        s.add(new NamespaceEvent.InterfaceRemoved("eth0", "endpoint unlinked", AGENT_AUDIT));
        s.add(new NamespaceEvent.NamespaceDeleted(AUDIT));
        s.add(namespaceState());
        s.add(NamespaceState.EMPTY);
        s.add(new NamespaceCommand.Create(AUDIT, ref()));
        s.add(new NamespaceCommand.AddInterface(IFACE, AUDIT, ref()));
        s.add(new NamespaceCommand.RemoveInterface("eth0", AUDIT, ref()));
        s.add(new NamespaceCommand.Delete(AUDIT, ref()));
        s.add(new NamespaceCommand.Get(ref()));
        s.add(new NamespaceCommand.Forget("net1", "c1", AUDIT));
        s.add(new NamespaceCommand.VerifyPlacement("net1", "c1", null));
        s.add(new NamespaceCommand.VerifyPlacement("net1", "c1", IFACE.withDstName("eth0")));
        s.add(new NamespaceCommand.LinkInto("net1", "c1", "eth", AUDIT, ref()));

        // kernel tasks and the netlink actor
        s.add(ENSURE_NS);
        s.add(DELETE_NS);
        s.add(DELETE_LINK);
        s.add(new dev.netkeeper.kernel.LinkNameFree("nk-0badcafe", LinkMark.bridge("net1")));
        s.add(new dev.netkeeper.kernel.NamespacePathFree("/var/run/netns/c1"));
        s.add(new dev.netkeeper.kernel.NotNetkeepersNamespace("/var/run/netns/c1"));
        s.add(new dev.netkeeper.cluster.JournalProbe.Probed(1764590400000L));
        s.add(PLACE);
        s.add(PLACE_NO_GW);
        s.add(RETURN);
        s.add(new dev.netkeeper.kernel.ReturnUnlisted("/var/run/netns/c1", List.of("02:42:0a:58:00:02"), null));
        s.add(new dev.netkeeper.kernel.ReturnUnlisted("/proc/4242/ns/net", List.of(), "4:4026532281"));
        s.add(ENSURE_BRIDGE);
        s.add(new dev.netkeeper.kernel.Underlay("2001:db8::11", 9000));
        s.add(new dev.netkeeper.kernel.VxlanPeers.Peer("02:42:0a:4d:00:04", null, "fd77::4", "2001:db8::12"));
        s.add(new dev.netkeeper.kernel.EnsureVxlan("nkx0123456789ab", "ov1", 4096, "nk-0badcafe", 1450));
        s.add(new dev.netkeeper.kernel.VxlanPeers("nkx0123456789ab", "ov1", List.of(
                new dev.netkeeper.kernel.VxlanPeers.Peer("02:42:0a:4d:00:02", "10.77.0.2", "fd77::2", "192.0.2.12"),
                new dev.netkeeper.kernel.VxlanPeers.Peer("02:42:0a:4d:00:03", "10.77.0.3", null, "192.0.2.13"))));
        s.add(ENSURE_VETH);
        s.add(BORN_VETH);
        s.add(new dev.netkeeper.kernel.BornEndpoint(BORN_VETH, PLACE));
        s.add(PORTS);
        s.add(SEGMENT);
        s.add(PRUNE);
        s.add(SEQUENCE);
        s.add(new TaskSequence(List.of()));
        s.add(new NetlinkActor.Execute(SEQUENCE, ref()));
        s.add(new NetlinkActor.Execute(PLACE, ref()));
        s.add(new NetlinkActor.ListHostRoutes(ref()));
        s.add(new NetlinkActor.HostRoutes(List.of("10.0.0.0/8", "192.168.1.0/24", "fd00:1::/64")));
        s.add(new NetlinkActor.HostRoutes(List.of("10.0.0.0/8"), List.of("10.250.0.1/16", "fe80::1/64")));
        s.add(new NetlinkActor.HostRoutes(List.of("192.0.2.0/24"), List.of("192.0.2.11/24"),
                new dev.netkeeper.kernel.Underlay("192.0.2.11", 1500)));

        // published ports and the host firewall
        List<PortMapping> ports = List.of(PortMapping.parse("8080:80/tcp"), PortMapping.parse("[fd88::1]:5353:53/udp"));
        s.add(EP1.withPorts(ports));
        s.add(new NetworkEvent.PortsPublished("c1", ports, AUDIT));
        s.add(new NetworkEvent.PortsUnpublished("c1", ports.subList(0, 1), AUDIT));
        s.add(new NetworkCommand.Publish("c1", ports, true, AUDIT, ref()));
        s.add(new NetworkCommand.Unpublish("c1", ports, AUDIT, ref()));
        s.add(new NetworkCommand.Link("c1", "h1", null, AUDIT, ref(), PLACEMENT).publishing(ports, true));
        s.add(new NetworkCommand.ConvergeHost("gamma", 1_700_000_000_000L, ref()));
        s.add(new NamespaceCommand.LinkInto("net1", "c1", "eth", AUDIT, ref(), ports));
        // CNI: a link that asks for its addresses and MAC, a namespace checked against the kernel
        dev.netkeeper.network.WantedAddresses wanted = new dev.netkeeper.network.WantedAddresses("10.1.0.7", "fd00::7",
                "02:11:22:33:44:55");
        s.add(wanted);
        s.add(new NetworkCommand.Link("cni:1234:eth0", "h1", null, AUDIT, ref(), PLACEMENT).wanting(wanted));
        s.add(new NamespaceCommand.LinkInto("net1", "cni:1234:eth0", "eth0", AUDIT, ref(), ports, wanted));
        s.add(new NamespaceCommand.Check(null, ref()));
        s.add(new NamespaceCommand.Check("eth0", ref()));
        s.add(new dev.netkeeper.kernel.CheckPlacement(PLACE));
        NetworkRules rules = new NetworkRules("net1", "nk-0badcafe", List.of("10.88.0.0/24"), List.of("fd88::/64"),
                true, false, false, true, List.of("10.88.0.1", "fd88::1"));
        Forward forward = new Forward("tcp", null, 8080, "10.88.0.2", 80);
        s.add(new FirewallShare(rules, Map.of("c1", List.of(forward, new Forward("udp", "fd88::1", 5353, "fd88::2", 53)))));
        s.add(new FirewallForwards("net1", "c1", List.of(forward)));
        s.add(new FirewallRemove("net1"));
        s.add(new EnsureHairpin("veth1a2b3c4", LinkMark.hostEnd("net1", "c1"), true));
        s.add(new NetlinkActor.ClaimPorts("net1", "c1", List.of(PortMapping.parse(":80"), PortMapping.parse("8000-8010:80")),
                ref()));
        s.add(new NetlinkActor.ClaimedPorts(ports));
        s.add(new NetlinkActor.SettleFirewall());
        s.add(new NetlinkActor.FirewallWarnings(ref()));
        s.add(new NetlinkActor.Warnings(List.of("chain ip filter FORWARD (policy drop, hook forward) drops ...")));

        return s;
    }

    static Stream<Named<Object>> roundTripCases() {
        return samples().stream().map(o -> Named.of(o.getClass().getName().replace("dev.netkeeper.", "")
                + " " + abbreviate(o), o));
    }

    private static String abbreviate(Object o) {
        String text = String.valueOf(o);
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    // ---- tests -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripCases")
    void roundTripsThroughJacksonCbor(Object original) throws Exception {
        Serializer serializer = serialization.serializerFor(original.getClass());
        assertInstanceOf(JacksonCborSerializer.class, serializer,
                original.getClass() + " must be bound to jackson-cbor, not " + serializer.getClass().getName());
        assertEquals(33, serializer.identifier(), "jackson-cbor serializer id");

        // Serialization.serialize sets the transport information that ActorRef serialization needs
        byte[] bytes = serialization.serialize(original).get();
        assertTrue(bytes.length > 0);
        String manifest = Serializers.manifestFor(serializer, original);

        // as the remote side and the journal do it: by serializer id and manifest only
        Object copy = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        assertNotSame(original, copy);
        assertEquals(original.getClass(), copy.getClass());
        assertEquals(original, copy);
        assertEquals(original.hashCode(), copy.hashCode());
        assertRefsResolve(original, copy);
    }

    /** ActorRef fields come back as refs of this system that reach the same actor. */
    private static void assertRefsResolve(Object original, Object copy) throws Exception {
        if (!original.getClass().isRecord()) {
            return;
        }
        for (var component : original.getClass().getRecordComponents()) {
            if (ActorRef.class.isAssignableFrom(component.getType())) {
                ActorRef<?> before = (ActorRef<?>) component.getAccessor().invoke(original);
                ActorRef<?> after = (ActorRef<?>) component.getAccessor().invoke(copy);
                assertEquals(before, after, component.getName());
                if (before == null) {
                    continue; // an optional ref (a Register nobody waits for)
                }
                assertEquals(before.path(), after.path(), component.getName());
                assertEquals(Adapter.toClassic(before).path().uid(), Adapter.toClassic(after).path().uid());
            }
        }
    }

    @Test
    void polymorphicTasksKeepTheirTypesInASequence() throws Exception {
        Serializer serializer = serialization.serializerFor(TaskSequence.class);
        byte[] bytes = serialization.serialize(SEQUENCE).get();
        TaskSequence copy = (TaskSequence) serialization.deserialize(bytes, serializer.identifier(),
                Serializers.manifestFor(serializer, SEQUENCE)).get();
        assertEquals(SEQUENCE.steps().stream().map(Object::getClass).toList(),
                copy.steps().stream().map(Object::getClass).toList());
        assertEquals(SEQUENCE.describe(), copy.describe());

        // read back as the interface, the type id alone picks the class
        Serializer forInterface = serialization.serializerFor(KernelTask.class);
        assertInstanceOf(JacksonCborSerializer.class, forInterface);
        byte[] asTask = forInterface.toBinary(PLACE);
        Object back = serialization.deserialize(asTask, forInterface.identifier(),
                Serializers.manifestFor(forInterface, PLACE)).get();
        assertEquals(PLACE, back);
    }

    @Test
    void kernelTasksTravelByNameNeverByClass() throws Exception {
        byte[] bytes = serialization.serialize(SEQUENCE).get();
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("dev.netkeeper"), "a class name inside " + text);
        assertTrue(text.contains("bridge.ensure") && text.contains("interface.place"), text);

        // every task class of the jar and of the test driver has a name
        List<String> unnamed = new ArrayList<>();
        for (String name : serializableClasses()) {
            Class<?> c = Class.forName(name);
            if (KernelTask.class.isAssignableFrom(c) && !dev.netkeeper.kernel.KernelTaskNames.all().containsValue(c)) {
                unnamed.add(name);
            }
        }
        assertEquals(List.of(), unnamed, "kernel tasks without a name in a KernelTaskSet");
        assertTrue(dev.netkeeper.kernel.KernelTaskNames.all().containsKey("macvlan-test.ensure"), "the test driver's set");

        // a name no set lists (or a class name) is refused
        Serializer serializer = serialization.serializerFor(TaskSequence.class);
        String manifest = Serializers.manifestFor(serializer, SEQUENCE);
        com.fasterxml.jackson.databind.ObjectMapper cbor = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
        for (String id : List.of("dev.netkeeper.kernel.DeleteLink", "no.such.task")) {
            byte[] forged = cbor.writeValueAsBytes(Map.of("steps", List.of(Map.of("@task", id, "name", "eth0"))));
            assertTrue(serialization.deserialize(forged, serializer.identifier(), manifest).isFailure(), id);
        }
    }

    @Test
    void aDifferentValueDoesNotCompareEqual() throws Exception {
        // guards the round-trip test against an equals that is always true
        Serializer serializer = serialization.serializerFor(NetworkState.class);
        NetworkState state = networkState();
        Object copy = serialization.deserialize(serialization.serialize(state).get(), serializer.identifier(),
                Serializers.manifestFor(serializer, state)).get();
        assertEquals(state, copy);
        assertNotEquals(state.apply(new NetworkEvent.EndpointReleased("c2", "test", AUDIT)), copy);
    }

    /**
     * Every concrete class under dev.netkeeper that implements CborSerializable (private nested
     * messages of the entities excepted: they never leave their actor) has a sample above.
     */
    @Test
    void everySerializableClassHasARoundTrip() throws Exception {
        Set<String> serializable = new TreeSet<>(serializableClasses());
        assertTrue(serializable.size() >= 50, "found only " + serializable + ": is the scan broken?");
        assertTrue(serializable.contains(NetworkEvent.NetworkCreated.class.getName()));
        assertTrue(serializable.contains(EnsureBridge.class.getName()));

        Set<String> covered = samples().stream().map(o -> o.getClass().getName()).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(serializable);
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "CborSerializable classes without a round-trip sample in "
                + SerializationRoundTripTest.class.getSimpleName() + ".samples()");
    }

    static List<String> serializableClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(CborSerializable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isDirectory(classes)) {
            fail("main classes are not a directory (" + classes + "): cannot scan them");
        }
        Path root = classes.resolve("dev/netkeeper");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        List<String> out = new ArrayList<>();
        ClassLoader loader = SerializationRoundTripTest.class.getClassLoader();
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            if (name.endsWith("module-info") || name.endsWith("package-info")) {
                continue;
            }
            Class<?> c = Class.forName(name, false, loader);
            if (!CborSerializable.class.isAssignableFrom(c) || c.isInterface()
                    || Modifier.isAbstract(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) {
                continue;
            }
            if (c.isMemberClass() && Modifier.isPrivate(c.getModifiers())) {
                continue; // an entity's own message to itself
            }
            out.add(c.getName());
        }
        return out;
    }

    @Test
    void theScanSeesPrivateEntityMessagesButSkipsThem() throws Exception {
        // NetworkEntity's private Prepared record implements NetworkCommand: it is found and excluded,
        // proving the exclusion rule is what keeps it out, not a blind scan.
        Class<?> prepared = Class.forName("dev.netkeeper.network.NetworkEntity$Prepared");
        assertTrue(CborSerializable.class.isAssignableFrom(prepared));
        assertTrue(Modifier.isPrivate(prepared.getModifiers()));
        assertFalse(serializableClasses().contains(prepared.getName()));
    }
}
