package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.testing.IpOracle;
import org.apache.pekko.Done;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.netkeeper.agent.AgentTestSupport.eventually;
import static dev.netkeeper.agent.AgentTestSupport.links;
import static dev.netkeeper.agent.AgentTestSupport.nsName;
import static dev.netkeeper.agent.AgentTestSupport.refused;
import static dev.netkeeper.agent.AgentTestSupport.subnet;
import static org.junit.jupiter.api.Assertions.*;

/** What each change does to the kernel and to the agent's view, end to end, one agent for the class. */
class LifecycleTest {
    static AgentTestSupport support;
    static NetkeeperClient nk;
    static String host;

    @BeforeAll
    static void start() {
        support = AgentTestSupport.start("life");
        nk = support.agent().client();
        host = support.host();
    }

    @AfterAll
    static void stop() {
        support.stop();
    }

    private static String hostVeth(Interface i) {
        return "nkv" + i.srcName().substring(3);
    }

    private static List<String> defaultRoutes(String ns, boolean ipv6) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : IpOracle.routes(ns, ipv6)) {
            if ("default".equals(r.path("dst").asText())) {
                out.add(r.path("gateway").asText() + " dev " + r.path("dev").asText());
            }
        }
        return out;
    }

    private static String endpointNamespace(Network net, String endpoint) {
        return net.info().endpoints().stream().filter(e -> e.name().equals(endpoint)).findFirst()
                .orElseThrow().namespace();
    }

    private static String entityId(String path) {
        return NamespaceEntity.entityId(support.agent().node().settings().hostId(), path);
    }

    // ---- unlink / remove / delete ----------------------------------------------------------------

    @Test
    void unlinkRemovesTheVethPairFromHostAndNamespace() {
        Network net = nk.newNetwork("bridge", "lc-unlink", subnet("10.220.0.0/24"));
        Interface c1 = net.link("c1").get(0);
        Interface c2 = net.link("c2").get(0);
        String path = support.namespacePath("unlink");
        Namespace ns = nk.newNetworkNamespace(path);
        Interface placed = ns.addInterface(c2);
        assertNotNull(IpOracle.link(host, hostVeth(c1)));
        assertNotNull(IpOracle.link(host, c1.srcName()));
        assertNotNull(IpOracle.link(nsName(path), "eth0"));

        net.unlink("c1");
        assertNull(IpOracle.link(host, hostVeth(c1)), "host end gone");
        assertNull(IpOracle.link(host, c1.srcName()), "container end (still in the host) gone");

        net.unlink("c2");
        assertNull(IpOracle.link(host, hostVeth(c2)), "host end gone");
        assertNull(IpOracle.link(nsName(path), placed.dstName()), "container end gone from the namespace");
        assertEquals(List.of("lo"), links(nsName(path)));
        assertTrue(eventually(3000, () -> ns.interfaces().isEmpty()), () -> "still listed: " + ns.interfaces());
        assertEquals(List.of(), net.info().endpoints());
        refused(ErrorCode.NO_SUCH_ENDPOINT, () -> net.unlink("c2"), "c2");
        ns.delete();
    }

    @Test
    void removeInterfaceSendsItBackToTheHostAndItCanBeAddedAgain() {
        Network net = nk.newNetwork("bridge", "lc-remove", subnet("10.221.0.0/24"));
        Interface iface = net.link("c1").get(0);
        String pathA = support.namespacePath("rm-a");
        String pathB = support.namespacePath("rm-b");
        Namespace a = nk.newNetworkNamespace(pathA);
        Namespace b = nk.newNetworkNamespace(pathB);
        assertEquals("eth0", a.addInterface(iface).dstName());
        assertNull(IpOracle.link(host, iface.srcName()));

        a.removeInterface("eth0");
        JsonNode back = IpOracle.link(host, iface.srcName());
        assertNotNull(back, "back in the host as its srcName");
        assertFalse(IpOracle.flags(back).contains("UP"), "and down: " + IpOracle.flags(back));
        assertEquals(iface.macAddress(), back.path("address").asText());
        assertEquals(List.of("lo"), links(nsName(pathA)));
        assertEquals(List.of(), a.interfaces());
        assertNotNull(IpOracle.link(host, hostVeth(iface)), "the endpoint stays linked");
        assertTrue(eventually(3000, () -> endpointNamespace(net, "c1") == null), "network saw the unclaim");

        Interface again = b.addInterface(iface);
        assertEquals("eth0", again.dstName());
        assertEquals(List.of(again), b.interfaces());
        assertNull(IpOracle.link(host, iface.srcName()));
        assertTrue(IpOracle.addressesOf(nsName(pathB), "eth0").contains("10.221.0.2/24"));
        assertTrue(IpOracle.ping(nsName(pathB), "10.221.0.1"), "B reaches the gateway");
        assertEquals(entityId(pathB), endpointNamespace(net, "c1"));
        a.delete();
        b.delete();
    }

    @Test
    void namespaceDeleteReturnsInterfacesThenRemovesTheMount() {
        Network net = nk.newNetwork("bridge", "lc-nsdel", subnet("10.222.0.0/24"));
        Interface c1 = net.link("c1").get(0);
        Interface c2 = net.link("c2").get(0);
        String path = support.namespacePath("nsdel");
        Namespace ns = nk.newNetworkNamespace(path);
        ns.addInterface(c1);
        ns.addInterface(c2);
        assertTrue(IpOracle.namespaces().contains(nsName(path)));

        ns.delete();
        for (Interface i : List.of(c1, c2)) {
            JsonNode back = IpOracle.link(host, i.srcName());
            assertNotNull(back, i.srcName() + " back in the host");
            assertFalse(IpOracle.flags(back).contains("UP"));
            assertNotNull(IpOracle.link(host, hostVeth(i)));
        }
        assertFalse(IpOracle.namespaces().contains(nsName(path)), "mount gone");
        assertFalse(Files.exists(Path.of(path)));
        refused(ErrorCode.NO_SUCH_NAMESPACE, ns::interfaces, path);
        assertTrue(eventually(3000, () -> net.info().endpoints().stream().allMatch(e -> e.namespace() == null)));

        String path2 = support.namespacePath("nsdel2");
        Namespace ns2 = nk.newNetworkNamespace(path2);
        assertEquals("eth0", ns2.addInterface(c2).dstName());
        ns2.delete();
    }

    @Test
    void networkDeleteWithForceRemovesBridgeAndVeths() {
        Network net = nk.newNetwork("bridge", "lc-netdel", subnet("10.223.0.0/24"));
        String bridge = net.info().driverOptions().get("bridge.name");
        Interface c1 = net.link("c1").get(0);
        Interface c2 = net.link("c2").get(0);
        String path = support.namespacePath("netdel");
        Namespace ns = nk.newNetworkNamespace(path);
        ns.addInterface(c2);
        assertNotNull(IpOracle.link(host, bridge));

        net.delete(true);
        assertNull(IpOracle.link(host, bridge), "bridge gone");
        for (String l : List.of(hostVeth(c1), c1.srcName(), hostVeth(c2))) {
            assertNull(IpOracle.link(host, l), l + " gone");
        }
        assertEquals(List.of("lo"), links(nsName(path)), "the namespace's end went with its pair");
        assertTrue(eventually(3000, () -> ns.interfaces().isEmpty()));
        refused(ErrorCode.NO_SUCH_NETWORK, () -> nk.network("lc-netdel"), "lc-netdel");
        List<Object> events = support.networkEvents("lc-netdel");
        assertInstanceOf(NetworkEvent.NetworkDeleted.class, events.get(events.size() - 1));
        ns.delete();
    }

    // ---- kinds of network ------------------------------------------------------------------------

    @Test
    void internalNetworkHasNoGatewayAndNoDefaultRoute() {
        Network net = nk.newNetwork("bridge", "lc-internal",
                NetworkOptions.builder().subnet("10.224.0.0/24").subnetIPv6("fd24:1::/64").internal(true).build());
        assertTrue(net.info().internal());
        Interface i = net.link("c1").get(0);
        assertNull(i.gateway());
        assertNull(i.gatewayIPv6());
        assertEquals("10.224.0.2/24", i.address());
        String path = support.namespacePath("internal");
        Namespace ns = nk.newNetworkNamespace(path);
        Interface placed = ns.addInterface(i);
        assertNull(placed.gateway());
        assertTrue(IpOracle.addressesOf(nsName(path), "eth0").contains("10.224.0.2/24"));
        assertEquals(List.of(), defaultRoutes(nsName(path), false), "no IPv4 default route");
        assertEquals(List.of(), defaultRoutes(nsName(path), true), "no IPv6 default route");
        ns.delete();
    }

    @Test
    void nullDriverGivesNoInterfaces() {
        List<String> before = links(host);
        Network net = nk.newNetwork("null", "lc-null", NetworkOptions.defaults());
        assertEquals("null", net.type());
        assertEquals(List.of(), net.link("c1"));
        assertEquals(List.of(), net.link("c1"));
        NetworkInfo info = net.info();
        assertNull(info.subnet());
        assertEquals(List.of("c1"), info.endpoints().stream().map(EndpointInfo::name).toList());
        assertEquals(before, links(host), "no kernel object for a null network");
        Network none = nk.newNetwork("none", "lc-none", null);
        assertEquals("null", none.type(), "'none' is an alias");
        net.unlink("c1");
        net.delete(false);
        none.delete(false);
    }

    @Test
    void ipamDoesNotReuseAReleasedAddressUntilItWraps() {
        Network net = nk.newNetwork("bridge", "lc-ipam", subnet("10.225.0.0/24"));
        assertEquals("10.225.0.2/24", net.link("c1").get(0).address());
        assertEquals("10.225.0.3/24", net.link("c2").get(0).address());
        net.unlink("c1");
        assertEquals("10.225.0.4/24", net.link("c3").get(0).address(), ".2 is not reused before a wrap");

        // a /29: .1 gateway, .2-.6 for containers, .7 broadcast; after .6 the cursor wraps to the free .3
        Network small = nk.newNetwork("bridge", "lc-wrap", subnet("10.225.1.0/29"));
        List<String> got = new ArrayList<>();
        for (String e : List.of("a", "b", "c", "d", "e")) {
            got.add(small.link(e).get(0).address());
        }
        assertEquals(List.of("10.225.1.2/29", "10.225.1.3/29", "10.225.1.4/29", "10.225.1.5/29", "10.225.1.6/29"),
                got);
        small.unlink("b");
        assertEquals("10.225.1.3/29", small.link("f").get(0).address(), "reused after the wrap");
        net.delete(true);
        small.delete(true);
    }

    @Test
    void defaultSubnetsAreCarvedFromTheDefaultPools() {
        boolean hostRouteIn17 = false;
        for (JsonNode r : IpOracle.routes(host, false)) {
            hostRouteIn17 |= r.path("dst").asText().startsWith("172.17.");
        }
        assertFalse(hostRouteIn17, "the throwaway host has no route in 172.17.0.0/16");

        Network d1 = nk.newNetwork("bridge", "lc-default1", NetworkOptions.defaults());
        Network d2 = nk.newNetwork("bridge", "lc-default2", NetworkOptions.builder().build());
        assertEquals("172.17.0.0/16", d1.info().subnet());
        assertEquals("172.17.0.1", d1.info().gateway());
        assertEquals("172.18.0.0/16", d2.info().subnet(), "the next free /16 of the pools");
        Interface i = d1.link("c1").get(0);
        assertEquals("172.17.0.2/16", i.address());
        assertEquals("172.17.0.1", i.gateway());
        assertTrue(IpOracle.addressesOf(host, d1.info().driverOptions().get("bridge.name")).contains("172.17.0.1/16"));
        d1.delete(true);
        d2.delete(true);
    }

    @Test
    void explicitIPv6SubnetWorksAndPings() {
        Network net = nk.newNetwork("bridge", "lc-v6",
                NetworkOptions.builder().subnet("10.226.0.0/24").subnetIPv6("fd26::/64").build());
        assertEquals("fd26::/64", net.info().subnetIPv6());
        Interface c1 = net.link("c1").get(0);
        Interface c2 = net.link("c2").get(0);
        assertEquals("fd26::2/64", c1.addressIPv6());
        assertEquals("fd26::3/64", c2.addressIPv6());
        assertEquals("fd26::1", c1.gatewayIPv6());
        String pathA = support.namespacePath("v6a");
        String pathB = support.namespacePath("v6b");
        Namespace a = nk.newNetworkNamespace(pathA);
        Namespace b = nk.newNetworkNamespace(pathB);
        a.addInterface(c1);
        b.addInterface(c2);
        assertTrue(IpOracle.addressesOf(nsName(pathA), "eth0").contains("fd26::2/64"));
        assertEquals(List.of("fd26::1 dev eth0"), defaultRoutes(nsName(pathA), true));
        // a fresh IPv6 address is tentative until duplicate address detection is done (about a second)
        assertTrue(IpOracle.pingEventually(nsName(pathA), "fd26::3", 8000), "A pings B over IPv6");
        assertTrue(IpOracle.pingEventually(nsName(pathB), "fd26::1", 8000), "B pings the IPv6 gateway");
        a.delete();
        b.delete();
        net.delete(true);
    }

    // ---- idempotence -----------------------------------------------------------------------------

    @Test
    void linkingALinkedNameReturnsEqualInterfaces() {
        Network net = nk.newNetwork("bridge", "lc-relink", subnet("10.227.0.0/24"));
        String bridge = net.info().driverOptions().get("bridge.name");
        List<Interface> first = net.link("c1");
        List<Interface> second = net.link("c1");
        assertEquals(first, second);
        long ports = 0;
        for (JsonNode l : IpOracle.links(host)) {
            ports += bridge.equals(l.path("master").asText()) ? 1 : 0;
        }
        assertEquals(1, ports, "one veth");
        assertEquals(2, support.networkEvents("lc-relink").size(), "NetworkCreated, one EndpointAllocated");
        net.delete(true);
    }

    @Test
    void retriedCommandsWithTheSameRequestIdSucceed() {
        var node = support.agent().node();
        String name = "lc-retry";
        NetworkOptions options = subnet("10.228.0.0/24");
        Audit create = Audit.now("req-create-1", "test");
        NetworkInfo first = support.<NetworkCommand, NetworkInfo>ask(node.network(name),
                r -> new NetworkCommand.Create("bridge", options, create, r));
        NetworkInfo again = support.<NetworkCommand, NetworkInfo>ask(node.network(name),
                r -> new NetworkCommand.Create("bridge", options, create, r));
        assertEquals(first, again, "a retried create answers the network");
        refused(ErrorCode.NETWORK_EXISTS, () -> support.<NetworkCommand, NetworkInfo>ask(node.network(name),
                r -> new NetworkCommand.Create("bridge", options, Audit.now("req-create-2", "test"), r)), name);
        assertEquals(1, support.networkEvents(name).size(), "created once");
        assertEquals(1, support.directoryEvents().stream().filter(e -> e instanceof NetworkDirectory.Reserved r
                && r.reservation().name().equals(name)).count(), "reserved once");

        Interfaces linked = support.<NetworkCommand, Interfaces>ask(node.network(name),
                r -> new NetworkCommand.Link("ep", Audit.now("req-link-1", "test"), r));
        String srcName = linked.interfaces().get(0).srcName();
        assertNotNull(IpOracle.link(host, srcName));

        Audit unlink = Audit.now("req-1", "test");
        assertEquals(Done.getInstance(), support.<NetworkCommand, Done>ask(node.network(name),
                r -> new NetworkCommand.Unlink("ep", unlink, r)));
        assertEquals(Done.getInstance(), support.<NetworkCommand, Done>ask(node.network(name),
                r -> new NetworkCommand.Unlink("ep", unlink, r)), "a retried unlink is acknowledged");
        refused(ErrorCode.NO_SUCH_ENDPOINT, () -> support.<NetworkCommand, Done>ask(node.network(name),
                r -> new NetworkCommand.Unlink("ep", Audit.now("req-2", "test"), r)), "ep");
        assertNull(IpOracle.link(host, srcName));

        Audit delete = Audit.now("req-delete-1", "test");
        support.<NetworkCommand, Done>ask(node.network(name), r -> new NetworkCommand.Delete(false, delete, r));
        assertEquals(Done.getInstance(), support.<NetworkCommand, Done>ask(node.network(name),
                r -> new NetworkCommand.Delete(false, delete, r)), "a retried delete is acknowledged");
        refused(ErrorCode.NO_SUCH_NETWORK, () -> support.<NetworkCommand, Done>ask(node.network(name),
                r -> new NetworkCommand.Delete(false, Audit.now("req-delete-2", "test"), r)), name);

        List<Object> events = support.networkEvents(name);
        assertEquals(List.of(NetworkEvent.NetworkCreated.class, NetworkEvent.EndpointAllocated.class,
                        NetworkEvent.EndpointReleased.class, NetworkEvent.NetworkDeleted.class),
                events.stream().map(Object::getClass).toList(), "each change journaled once");

        // the same for a namespace
        String path = support.namespacePath("retry");
        var ns = node.namespace(entityId(path));
        Audit nsCreate = Audit.now("req-ns-create", "test");
        NamespaceInfo made = support.<NamespaceCommand, NamespaceInfo>ask(ns, r -> new NamespaceCommand.Create(nsCreate, r));
        assertEquals(made, support.<NamespaceCommand, NamespaceInfo>ask(ns, r -> new NamespaceCommand.Create(nsCreate, r)));
        Audit nsDelete = Audit.now("req-ns-delete", "test");
        support.<NamespaceCommand, Done>ask(ns, r -> new NamespaceCommand.Delete(nsDelete, r));
        assertEquals(Done.getInstance(), support.<NamespaceCommand, Done>ask(ns,
                r -> new NamespaceCommand.Delete(nsDelete, r)));
        refused(ErrorCode.NO_SUCH_NAMESPACE, () -> support.<NamespaceCommand, Done>ask(ns,
                r -> new NamespaceCommand.Delete(Audit.now("req-ns-delete-2", "test"), r)), path);
        assertEquals(2, support.namespaceEvents(path).size(), "NamespaceCreated, NamespaceDeleted");
        assertFalse(IpOracle.namespaces().contains(nsName(path)));
    }
}
