package dev.netkeeper.agent;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.testing.IpOracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.netkeeper.agent.AgentTestSupport.links;
import static dev.netkeeper.agent.AgentTestSupport.nsName;
import static dev.netkeeper.agent.AgentTestSupport.refused;
import static dev.netkeeper.agent.AgentTestSupport.subnet;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every refusal: a typed error whose message names the problem, nothing journaled for the network or
 * namespace concerned (nor, for a refused create, in the network directory), and the kernel untouched.
 */
class BadInputTest {
    static AgentTestSupport support;
    static NetkeeperClient nk;
    static String host;

    @BeforeAll
    static void start() {
        support = AgentTestSupport.start("bad");
        nk = support.agent().client();
        host = support.host();
    }

    @AfterAll
    static void stop() {
        support.stop();
    }

    /** A refused create: typed error, no event for the network, none in the directory, no new link. */
    private static void refusedCreate(ErrorCode code, String type, String name, NetworkOptions options,
                                      String... words) {
        List<String> before = links(host);
        refused(code, () -> nk.newNetwork(type, name, options), words);
        if (name != null && name.matches("[A-Za-z0-9_.-]{1,100}")) {
            assertEquals(List.of(), support.networkEvents(name), "journal of refused network " + name);
            support.assertDirectoryNeverSaw(name);
        }
        assertEquals(before, links(host), "host links after refused create of " + name);
    }

    /** Sends a Create straight to the entity, past the client's own checks. */
    private static NetworkInfo rawCreate(String name, String type, NetworkOptions options) {
        return support.<NetworkCommand, NetworkInfo>ask(support.agent().node().network(name),
                r -> new NetworkCommand.Create(type, options, Audit.now("raw-" + name.hashCode(), "test"), r));
    }

    private static boolean aboutDup(Object event) {
        if (event instanceof NetworkDirectory.Reserved reserved) {
            return reserved.reservation().name().equals("dup");
        }
        return event instanceof NetworkDirectory.Released released && released.name().equals("dup");
    }

    // ---- create ----------------------------------------------------------------------------------

    @Test
    void unknownDriver() {
        refusedCreate(ErrorCode.UNKNOWN_DRIVER, "warp-drive", "bad-driver", subnet("10.200.0.0/24"),
                "warp-drive", "bridge", "null");
    }

    @Test
    void duplicateNetwork() {
        Network first = nk.newNetwork("bridge", "dup", subnet("10.201.0.0/24"));
        List<Object> events = support.networkEvents("dup");
        assertEquals(1, events.size());
        List<Object> directory = support.directoryEvents();
        List<String> before = links(host);

        refused(ErrorCode.NETWORK_EXISTS, () -> nk.newNetwork("bridge", "dup", subnet("10.202.0.0/24")),
                "dup", "exists");
        refused(ErrorCode.NETWORK_EXISTS, () -> nk.newNetwork("null", "dup", NetworkOptions.defaults()), "dup");

        assertEquals(events, support.networkEvents("dup"), "nothing journaled for the second create");
        assertEquals(directory.stream().filter(BadInputTest::aboutDup).toList(),
                support.directoryEvents().stream().filter(BadInputTest::aboutDup).toList(),
                "the directory journaled nothing more for dup");
        assertTrue(support.directoryEvents().stream().noneMatch(e -> e.toString().contains("10.202.0.0")));
        assertEquals(before, links(host));
        assertEquals("10.201.0.0/24", first.info().subnet(), "the first network is unchanged");
        assertEquals("bridge", first.info().type());
    }

    @Test
    void invalidCidr() {
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-cidr1", subnet("10.1.0.0/33"), "10.1.0.0/33");
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-cidr2", subnet("banana"), "banana");
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-cidr3", subnet("10.1.0.5/24"), "10.1.0.5/24",
                "host bits");
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-cidr4", subnet("fd00:1::/64"), "fd00:1::/64",
                "not IPv4");
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-cidr5",
                NetworkOptions.builder().subnet("10.1.0.0/24").subnetIPv6("fd00:zz::/64").build(), "fd00:zz::/64");
    }

    @Test
    void gatewayOutsideSubnet() {
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-gw",
                NetworkOptions.builder().subnet("10.203.0.0/24").gateway("10.204.0.1").build(),
                "gateway 10.204.0.1", "outside", "10.203.0.0/24");
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-gw6",
                NetworkOptions.builder().subnet("10.203.0.0/24").subnetIPv6("fd03::/64").gatewayIPv6("fd04::1")
                        .build(), "fd04::1", "outside");
    }

    @Test
    void mtuOutOfRange() {
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-mtu-low",
                NetworkOptions.builder().subnet("10.205.0.0/24").mtu(67).build(), "MTU 67", "68..65535");
        refusedCreate(ErrorCode.INVALID_OPTION, "bridge", "bad-mtu-high",
                NetworkOptions.builder().subnet("10.205.0.0/24").mtu(65536).build(), "MTU 65536", "68..65535");
    }

    @Test
    void invalidNetworkName() {
        String tooLong = "n".repeat(64);
        refusedCreate(ErrorCode.INVALID_NAME, "bridge", tooLong, subnet("10.206.0.0/24"), tooLong, "1-63");
        refusedCreate(ErrorCode.INVALID_NAME, "bridge", "a/b", subnet("10.206.0.0/24"), "a/b");
        refusedCreate(ErrorCode.INVALID_NAME, "bridge", "", subnet("10.206.0.0/24"), "network name");
        refusedCreate(ErrorCode.INVALID_REQUEST, "bridge", null, subnet("10.206.0.0/24"), "CreateNetwork without name");

        // the entity checks too, for a caller that is not this client
        List<String> before = links(host);
        refused(ErrorCode.INVALID_NAME, () -> rawCreate(tooLong, "bridge", subnet("10.206.0.0/24")), tooLong);
        assertEquals(List.of(), support.networkEvents(tooLong));
        support.assertDirectoryNeverSaw(tooLong);
        assertEquals(before, links(host));
    }

    @Test
    void overlappingSubnet() {
        Network a = nk.newNetwork("bridge", "ov-a", NetworkOptions.builder().subnet("10.207.0.0/16")
                .subnetIPv6("fd07::/48").build());
        refusedCreate(ErrorCode.SUBNET_OVERLAP, "bridge", "ov-b", subnet("10.207.5.0/24"),
                "10.207.5.0/24", "10.207.0.0/16", "ov-a");
        refusedCreate(ErrorCode.SUBNET_OVERLAP, "bridge", "ov-c", subnet("10.0.0.0/8"), "10.0.0.0/8", "overlaps");
        refusedCreate(ErrorCode.SUBNET_OVERLAP, "bridge", "ov-d",
                NetworkOptions.builder().subnet("10.208.0.0/24").subnetIPv6("fd07:0:0:1::/64").build(),
                "fd07:0:0:1::/64", "ov-a");
        assertEquals("10.207.0.0/16", a.info().subnet());
    }

    // ---- link / unlink ---------------------------------------------------------------------------

    @Test
    void poolExhausted() {
        Network tiny = nk.newNetwork("bridge", "tiny", subnet("10.209.0.0/30"));
        List<Interface> c1 = tiny.link("c1");
        assertEquals("10.209.0.2/30", c1.get(0).address(), "the one container address of a /30");
        List<Object> events = support.networkEvents("tiny");
        List<String> before = links(host);

        refused(ErrorCode.POOL_EXHAUSTED, () -> tiny.link("c2"), "10.209.0.0/30", "tiny");

        assertEquals(events, support.networkEvents("tiny"), "nothing journaled for the refused link");
        assertEquals(before, links(host), "no veth created for c2");
        assertEquals(List.of("c1"), tiny.info().endpoints().stream().map(e -> e.name()).toList());
        assertEquals(c1, tiny.link("c1"), "c1 still answers");
    }

    @Test
    void invalidEndpointName() {
        Network net = nk.newNetwork("bridge", "epname", subnet("10.210.0.0/24"));
        List<Object> events = support.networkEvents("epname");
        List<String> before = links(host);
        for (String bad : List.of("bad/name", "-leading-dash", "has space", "x".repeat(129), "")) {
            refused(ErrorCode.INVALID_NAME, () -> net.link(bad), "endpoint name '" + bad + "'");
        }
        // null once crashed the entity (Map.of().get(null) in the command handler): the caller timed out
        refused(ErrorCode.INVALID_REQUEST, () -> net.link(null), "Link without endpoint");
        refused(ErrorCode.INVALID_REQUEST, () -> net.unlink(null), "Unlink without endpoint");
        assertEquals(events, support.networkEvents("epname"));
        assertEquals(before, links(host));
        assertEquals(List.of(), net.info().endpoints());
    }

    @Test
    void linkOnMissingNetwork() {
        refused(ErrorCode.NO_SUCH_NETWORK, () -> nk.network("ghost"), "ghost");
        List<String> before = links(host);
        refused(ErrorCode.NO_SUCH_NETWORK, () -> support.<NetworkCommand, Interfaces>ask(
                support.agent().node().network("ghost"),
                r -> new NetworkCommand.Link("c1", Audit.now("ghost-link", "test"), r)), "ghost");
        assertEquals(List.of(), support.networkEvents("ghost"));

        // a handle that outlived its network
        Network gone = nk.newNetwork("bridge", "gone", subnet("10.211.0.0/24"));
        gone.delete(false);
        List<Object> events = support.networkEvents("gone");
        refused(ErrorCode.NO_SUCH_NETWORK, () -> gone.link("c1"), "gone");
        refused(ErrorCode.NO_SUCH_NETWORK, () -> gone.unlink("c1"), "gone");
        assertEquals(events, support.networkEvents("gone"));
        assertEquals(before, links(host));
    }

    @Test
    void unlinkOfUnknownEndpoint() {
        Network net = nk.newNetwork("bridge", "unl", subnet("10.212.0.0/24"));
        net.link("c1");
        List<Object> events = support.networkEvents("unl");
        List<String> before = links(host);
        refused(ErrorCode.NO_SUCH_ENDPOINT, () -> net.unlink("nobody"), "nobody", "unl");
        assertEquals(events, support.networkEvents("unl"));
        assertEquals(before, links(host));
    }

    @Test
    void deleteOfNetworkInUse() {
        Network net = nk.newNetwork("bridge", "busy", subnet("10.213.0.0/24"));
        net.link("c1");
        net.link("c2");
        String bridge = net.info().driverOptions().get("bridge.name");
        List<Object> events = support.networkEvents("busy");
        List<String> before = links(host);

        refused(ErrorCode.NETWORK_IN_USE, () -> net.delete(false), "busy", "c1", "c2", "force");

        assertEquals(events, support.networkEvents("busy"));
        assertTrue(support.directoryEvents().stream().noneMatch(e -> e instanceof NetworkDirectory.Released r
                && r.name().equals("busy")), "the subnet is still reserved");
        assertEquals(before, links(host));
        assertNotNull(IpOracle.link(host, bridge), "bridge still there");
        assertEquals(2, net.info().endpoints().size());
    }

    // ---- namespaces ------------------------------------------------------------------------------

    @Test
    void addInterfaceOfUnknownInterface() {
        String path = support.namespacePath("unk");
        Namespace ns = nk.newNetworkNamespace(path);
        List<Object> nsEvents = support.namespaceEvents(path);
        assertEquals(1, nsEvents.size(), "NamespaceCreated");
        List<String> hostBefore = links(host);

        Interface forged = new Interface("cethdeadbee", "eth", "02:42:0a:63:00:02", "10.99.0.2/24", null,
                "10.99.0.1", null, 1500);
        refused(ErrorCode.UNKNOWN_INTERFACE, () -> ns.addInterface(forged), "cethdeadbee");
        Interface noSrc = forged.withDstName("eth0");
        refused(ErrorCode.UNKNOWN_INTERFACE, () -> ns.addInterface(new Interface(null, "eth", noSrc.macAddress(),
                noSrc.address(), null, null, null, 1500)), "srcName");

        // an empty namespace's map is Map.of(): a null dstName once crashed the entity here
        refused(ErrorCode.INVALID_REQUEST, () -> ns.removeInterface(null), "RemoveInterface without dstName");

        assertEquals(nsEvents, support.namespaceEvents(path));
        assertEquals(List.of("lo"), links(nsName(path)));
        assertEquals(hostBefore, links(host));
        assertEquals(List.of(), ns.interfaces());
    }

    @Test
    void addInterfaceAlreadyInAnotherNamespace() {
        Network net = nk.newNetwork("bridge", "inuse", subnet("10.214.0.0/24"));
        Interface iface = net.link("c1").get(0);
        String pathA = support.namespacePath("inuse-a");
        String pathB = support.namespacePath("inuse-b");
        Namespace a = nk.newNetworkNamespace(pathA);
        Namespace b = nk.newNetworkNamespace(pathB);
        Interface placed = a.addInterface(iface);
        assertEquals("eth0", placed.dstName());

        List<Object> netEvents = support.networkEvents("inuse");
        List<Object> bEvents = support.namespaceEvents(pathB);
        List<Object> aEvents = support.namespaceEvents(pathA);
        List<String> hostBefore = links(host);

        refused(ErrorCode.INTERFACE_IN_USE, () -> b.addInterface(iface), iface.srcName(), "c1", pathA);
        refused(ErrorCode.INTERFACE_IN_USE, () -> b.addInterface(iface.withDstName("eth7")), iface.srcName());

        assertEquals(netEvents, support.networkEvents("inuse"));
        assertEquals(bEvents, support.namespaceEvents(pathB));
        assertEquals(aEvents, support.namespaceEvents(pathA));
        assertEquals(List.of("lo"), links(nsName(pathB)));
        assertEquals(List.of("lo", "eth0"), links(nsName(pathA)));
        assertEquals(hostBefore, links(host));
        assertEquals(List.of(placed), a.interfaces());
        assertEquals(List.of(), b.interfaces());
        assertEquals(placed, a.addInterface(iface), "adding it again where it is answers it as placed");
    }

    @Test
    void duplicateDstName() {
        Network na = nk.newNetwork("bridge", "dst-a", subnet("10.215.0.0/24"));
        Network nb = nk.newNetwork("bridge", "dst-b", subnet("10.216.0.0/24"));
        Interface ia = na.link("c1").get(0);
        Interface ib = nb.link("c1").get(0);
        String path = support.namespacePath("dst");
        Namespace ns = nk.newNetworkNamespace(path);
        assertEquals("eth0", ns.addInterface(ia.withDstName("eth0")).dstName());

        List<Object> nsEvents = support.namespaceEvents(path);
        List<Object> nbEvents = support.networkEvents("dst-b");
        List<String> hostBefore = links(host);

        refused(ErrorCode.DUPLICATE_DST_NAME, () -> ns.addInterface(ib.withDstName("eth0")), "eth0", path);
        refused(ErrorCode.DUPLICATE_DST_NAME, () -> ns.addInterface(ib.withDstName("lo")), "lo");
        refused(ErrorCode.INVALID_NAME, () -> ns.addInterface(ib.withDstName("way-too-long-name0")),
                "way-too-long-name0");

        assertEquals(nsEvents, support.namespaceEvents(path));
        assertEquals(nbEvents, support.networkEvents("dst-b"), "dst-b's endpoint was not placed");
        assertEquals(hostBefore, links(host));
        assertNotNull(IpOracle.link(host, ib.srcName()), "the refused interface still waits in the host");
        assertEquals(List.of("lo", "eth0"), links(nsName(path)));
        assertNull(nb.info().endpoints().get(0).namespace());

        // with the default prefix "eth" they get the lowest free indexes instead
        String path2 = support.namespacePath("dst2");
        Namespace ns2 = nk.newNetworkNamespace(path2);
        Interface ja = na.link("c2").get(0);
        Interface jb = nb.link("c2").get(0);
        assertEquals("eth", ja.dstName());
        assertEquals("eth", jb.dstName());
        assertEquals("eth0", ns2.addInterface(ja).dstName());
        assertEquals("eth1", ns2.addInterface(jb).dstName());
        assertEquals(List.of("eth0", "eth1"), ns2.interfaces().stream().map(Interface::dstName).toList());
        assertEquals(java.util.Set.of("lo", "eth0", "eth1"), java.util.Set.copyOf(links(nsName(path2))));
        assertTrue(IpOracle.addressesOf(nsName(path2), "eth1").contains(jb.address()));
        // one default route, through the first network's gateway (a second one used to fail with EEXIST)
        List<String> defaults = new java.util.ArrayList<>();
        IpOracle.routes(nsName(path2), false).forEach(r -> {
            if ("default".equals(r.path("dst").asText())) {
                defaults.add(r.path("gateway").asText() + " dev " + r.path("dev").asText());
            }
        });
        assertEquals(List.of(ja.gateway() + " dev eth0"), defaults);
        assertTrue(IpOracle.ping(nsName(path2), jb.gateway()), "the second network's gateway is reachable");
        refused(ErrorCode.INVALID_REQUEST, () -> ns2.removeInterface(null), "RemoveInterface without dstName");
        refused(ErrorCode.NO_SUCH_INTERFACE, () -> ns2.removeInterface("eth9"), "eth9");
    }

    @Test
    void namespacePathNotAllowed() {
        List<String> namespacesBefore = IpOracle.namespaces();
        List<String> hostBefore = links(host);
        String outside = "/tmp/nktest-outside-" + ProcessHandle.current().pid();
        String dotdot = "/var/run/netns/../netns/nktest-dotdot-" + ProcessHandle.current().pid();
        refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.newNetworkNamespace(outside), outside, "outside");
        refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.newNetworkNamespace(dotdot), dotdot, "'..'");
        refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.newNetworkNamespace("/var/run/netns/./nktest-dot"), "'.'");
        refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.newNetworkNamespace("nktest-relative"), "absolute");
        refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.newNetworkNamespace("/var/run/netns"), "/var/run/netns");
        refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.namespace(outside), outside);

        assertEquals(List.of(), support.namespaceEvents(outside));
        assertEquals(List.of(), support.namespaceEvents(dotdot));
        assertFalse(Files.exists(Path.of(outside)));
        assertFalse(Files.exists(Path.of("/var/run/netns/nktest-dotdot-" + ProcessHandle.current().pid())));
        List<String> added = new java.util.ArrayList<>(IpOracle.namespaces());
        added.removeAll(namespacesBefore);
        assertTrue(added.stream().noneMatch(n -> n.contains("outside") || n.contains("dotdot")
                || n.equals("nktest-dot") || n.contains("relative")), () -> "namespaces made: " + added);
        assertEquals(hostBefore, links(host));
    }

    @Test
    void eventTypesOfARefusalFreeRun() {
        // sanity check of the journal reader itself: a created network shows its NetworkCreated
        nk.newNetwork("bridge", "reader", subnet("10.217.0.0/24"));
        List<Object> events = support.networkEvents("reader");
        assertEquals(1, events.size());
        assertInstanceOf(NetworkEvent.NetworkCreated.class, events.get(0));
        assertTrue(support.directoryEvents().stream().anyMatch(e -> e.toString().contains("10.217.0.0/24")));
    }
}
