package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.Network;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.netkeeper.agent.AgentTestSupport.links;
import static dev.netkeeper.agent.AgentTestSupport.nsName;
import static dev.netkeeper.agent.AgentTestSupport.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent shares its host with links it did not make (Docker's, libvirt's, a hand-made bridge), made
 * here with {@code ip} inside the test's throwaway host namespace, and touches none of them: a name they
 * hold is refused (NAME_IN_USE) before anything is journaled, a rollback or converge never deletes them,
 * and names the kernel would expand ('%') are refused before any syscall. What it makes carries its mark.
 */
class OwnershipTest {
    static AgentTestSupport support;
    static NetkeeperClient nk;
    static String host;

    @BeforeAll
    static void start() {
        support = AgentTestSupport.start("own");
        nk = support.agent().client();
        host = support.host();
    }

    @AfterAll
    static void stop() {
        support.stop();
    }

    static NetworkOptions bridgeNamed(String subnet, String bridge) {
        return NetworkOptions.builder().subnet(subnet).driverOption("bridge.name", bridge).build();
    }


    /** The fields a foreign link must keep: index, kind, MTU, MAC, alias, addresses, master. */
    static String fingerprint(String link) {
        JsonNode l = IpOracle.link(host, link);
        assertNotNull(l, link + " is gone");
        return l.path("ifindex") + " " + l.path("linkinfo").path("info_kind") + " mtu " + l.path("mtu") + " "
                + l.path("address") + " alias " + l.path("ifalias") + " master " + l.path("master") + " "
                + IpOracle.addressesOf(host, link);
    }

    @Test
    void aBridgeNameHeldByAForeignVethIsRefusedAndTheVethKept() {
        IpOracle.ipIn(host, "link", "add", "own-veth", "type", "veth", "peer", "name", "own-peer");
        String veth = fingerprint("own-veth");
        String peer = fingerprint("own-peer");
        refused(ErrorCode.NAME_IN_USE, () -> nk.newNetwork("bridge", "ownveth", bridgeNamed("10.71.0.0/24", "own-veth")),
                "own-veth", "a veth", "does not adopt");
        assertEquals(veth, fingerprint("own-veth"), "the foreign veth is untouched");
        assertEquals(peer, fingerprint("own-peer"), "and so is its peer");
        assertEquals(List.of(), support.networkEvents("ownveth"), "nothing journaled for the refused network");
        support.assertDirectoryNeverSaw("ownveth");
    }

    @Test
    void aBridgeMadeByHandIsNeitherAdoptedNorDeleted() {
        IpOracle.ipIn(host, "link", "add", "own-br", "type", "bridge");
        String before = fingerprint("own-br");
        refused(ErrorCode.NAME_IN_USE, () -> nk.newNetwork("bridge", "ownbr", bridgeNamed("10.72.0.0/24", "own-br")),
                "own-br", "a bridge");
        assertEquals(before, fingerprint("own-br"), "no address, MTU or mark added");
        assertEquals(List.of(), support.networkEvents("ownbr"));
    }

    @Test
    void twoNetworksCannotShareABridge() {
        Network first = nk.newNetwork("bridge", "ownfirst", bridgeNamed("10.73.0.0/24", "own-shared"));
        Interface c1 = first.link("c1").get(0);
        String bridge = fingerprint("own-shared");
        refused(ErrorCode.NAME_IN_USE, () -> nk.newNetwork("bridge", "ownsecond", bridgeNamed("10.74.0.0/24", "own-shared")),
                "own-shared", "marked 'netkeeper bridge ownfirst'");
        assertEquals(bridge, fingerprint("own-shared"), "the first network's bridge is as it was");
        assertEquals(List.of(), support.networkEvents("ownsecond"));
        assertEquals(List.of(c1), first.link("c1"), "the first network still works");
        first.delete(true);
        assertFalse(links(host).contains("own-shared"), "its own bridge goes with it");
    }

    @Test
    void whatTheAgentMakesCarriesItsMark() {
        Network net = nk.newNetwork("bridge", "ownmark", bridgeNamed("10.75.0.0/24", "own-mark"));
        Interface c1 = net.link("c1").get(0);
        String hostEnd = "nkv" + c1.srcName().substring(3);
        assertEquals("netkeeper bridge ownmark", IpOracle.link(host, "own-mark").path("ifalias").asText());
        assertEquals("netkeeper veth ownmark/c1", IpOracle.link(host, hostEnd).path("ifalias").asText());
        assertEquals("netkeeper ceth ownmark/c1 " + c1.srcName(), IpOracle.link(host, c1.srcName()).path("ifalias").asText());
        assertTrue(c1.srcName().matches("nkc[0-9a-f]{12}"), c1.srcName());

        // the mark goes along into the container's namespace
        String path = support.namespacePath("ownmark");
        Namespace ns = nk.newNetworkNamespace(path);
        Interface eth0 = ns.addInterface(c1);
        assertEquals("netkeeper ceth ownmark/c1 " + c1.srcName(), IpOracle.link(nsName(path), eth0.dstName()).path("ifalias").asText());
        ns.delete();
        net.delete(true);
    }

    @Test
    void convergeLeavesForeignPortsOfItsBridgeAlone() {
        Network net = nk.newNetwork("bridge", "ownports", bridgeNamed("10.76.0.0/24", "own-ports"));
        Interface c1 = net.link("c1").get(0);
        // Docker names its host ends veth + 7 hex: one such, foreign, is put on our bridge by hand
        IpOracle.ipIn(host, "link", "add", "veth0ddba11", "type", "veth", "peer", "name", "own-dpeer");
        IpOracle.ipIn(host, "link", "set", "veth0ddba11", "master", "own-ports");
        String foreign = fingerprint("veth0ddba11");

        support.agent().restart(); // every network converges its bridge's ports
        NetkeeperClient after = support.agent().client();
        assertEquals(List.of(c1), after.network("ownports").link("c1"));
        assertTrue(AgentTestSupport.eventually(10_000, () -> IpOracle.link(host, "nkv" + c1.srcName().substring(3)) != null));
        assertEquals(foreign, fingerprint("veth0ddba11"), "the foreign port is still on the bridge, untouched");

        after.network("ownports").delete(true);
        assertNotNull(IpOracle.link(host, "veth0ddba11"), "deleting the network leaves the foreign veth alone");
        nk = after;
    }

    @Test
    void anExplicitSubnetMustNotCollideWithTheHost() {
        // the host has 10.250.0.1/16 on a link of its own (so a route to 10.250.0.0/16 too)
        IpOracle.ipIn(host, "link", "add", "own-uplink", "type", "bridge");
        IpOracle.ipIn(host, "addr", "add", "10.250.0.1/16", "dev", "own-uplink");
        IpOracle.ipIn(host, "link", "set", "own-uplink", "up");
        String uplink = fingerprint("own-uplink");

        refused(ErrorCode.SUBNET_OVERLAP, () -> nk.newNetwork("bridge", "ownhostaddr",
                NetworkOptions.builder().subnet("10.250.0.0/16").build()), "holds 10.250.0.1, an address of the host");
        refused(ErrorCode.SUBNET_OVERLAP, () -> nk.newNetwork("bridge", "ownhostaddr",
                NetworkOptions.builder().subnet("10.250.0.0/16").hostRouteOverlap(true).build()), "10.250.0.1");
        refused(ErrorCode.SUBNET_OVERLAP, () -> nk.newNetwork("bridge", "ownhostroute",
                NetworkOptions.builder().subnet("10.250.7.0/24").build()), "overlaps the host's route to 10.250.0.0/16",
                "hostRouteOverlap");
        assertEquals(List.of(), support.networkEvents("ownhostaddr"));
        assertEquals(List.of(), support.networkEvents("ownhostroute"));
        support.assertDirectoryNeverSaw("ownhostaddr");

        // the operator says the route does not matter: accepted, and the host's link is as it was
        Network accepted = nk.newNetwork("bridge", "ownhostroute",
                NetworkOptions.builder().subnet("10.250.7.0/24").hostRouteOverlap(true).build());
        assertEquals("10.250.7.0/24", accepted.info().subnet());
        assertEquals(uplink, fingerprint("own-uplink"));
        accepted.delete(true);
    }

    @Test
    void aNamespaceSomeoneElseMountedIsNotTakenOver() throws Exception {
        // another owner's namespace under the agent's root, with a link of its own inside
        try (ThrowawayNamespace foreign = ThrowawayNamespace.create("ownforeign")) {
            IpOracle.ipIn(foreign.name(), "link", "add", "own-inside", "type", "bridge");
            String path = foreign.path().toString();
            refused(ErrorCode.NAMESPACE_EXISTS, () -> nk.newNetworkNamespace(path), "already mounted at " + path);
            assertEquals(List.of("lo", "own-inside"), links(foreign.name()), "the namespace and its link are intact");
            assertTrue(NetNamespace.isMounted(foreign.path()));
            assertEquals(List.of(), support.namespaceEvents(path), "nothing journaled");
            refused(ErrorCode.NO_SUCH_NAMESPACE, () -> nk.namespace(path), path);
        }
        // nor is a plain file at a path
        String file = support.namespacePath("ownfile");
        Files.writeString(Path.of(file), "not a namespace");
        refused(ErrorCode.NAMESPACE_EXISTS, () -> nk.newNetworkNamespace(file), "is at " + file);
        assertEquals("not a namespace", Files.readString(Path.of(file)));
        Files.delete(Path.of(file));
    }

    /** One namespace, one entity: netkeeper's own namespace bind-mounted elsewhere is not used through that path. */
    @Test
    void netkeepersOwnNamespaceIsNotUsedThroughAnotherPath() throws Exception {
        String path = support.namespacePath("ownalias");
        Namespace ns = nk.newNetworkNamespace(path);
        Path alias = Path.of(support.namespacePath("ownalias2"));
        Files.createFile(alias);
        try {
            assertEquals(0, IpOracle.run("mount", "--bind", path, alias.toString()).exitCode());
            refused(ErrorCode.NAMESPACE_EXISTS, () -> nk.useNetworkNamespace(alias.toString()),
                    "netkeeper's own namespace " + path);
            assertTrue(NetNamespace.isMounted(Path.of(path)));
        } finally {
            NetNamespace.delete(alias);
            ns.delete();
        }
        assertFalse(Files.exists(Path.of(path)), "netkeeper's own is deleted by its own path");
    }

    @Test
    void aRuntimesNamespaceIsUsedButNeverUnmounted() {
        Network net = nk.newNetwork("bridge", "ownuse", NetworkOptions.builder().subnet("10.79.0.0/24").build());
        Interface c1 = net.link("c1").get(0);
        try (ThrowawayNamespace runtime = ThrowawayNamespace.create("ownrt")) { // a runtime made it
            IpOracle.ipIn(runtime.name(), "link", "add", "rt-own", "type", "bridge");
            String path = runtime.path().toString();
            Namespace ns = nk.useNetworkNamespace(path);
            assertTrue(ns.info().foreign());
            refused(ErrorCode.NAMESPACE_EXISTS, () -> nk.newNetworkNamespace(path), "exists already");
            Interface eth0 = ns.addInterface(c1);
            assertEquals("eth0", eth0.dstName());
            assertTrue(IpOracle.addressesOf(runtime.name(), "eth0").contains(c1.address()));

            ns.delete(); // forgets it: netkeeper's interface goes back to the host, the namespace stays
            assertTrue(NetNamespace.isMounted(runtime.path()), "still mounted");
            assertEquals(List.of("lo", "rt-own"), links(runtime.name()), "the runtime's own link is still there");
            assertNotNull(IpOracle.link(host, c1.srcName()), "the interface is back in the host");
        }
        // the agent's host namespace is never a container's, and nothing mounted is nothing to use
        String hostPath = support.agent().host().path().toString();
        refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.useNetworkNamespace(hostPath), "host namespace");
        String nothing = support.namespacePath("ownnothing");
        refused(ErrorCode.NO_SUCH_NAMESPACE, () -> nk.useNetworkNamespace(nothing), "no network namespace is mounted");
        net.delete(true);
    }

    @Test
    void aProcessesOwnNamespaceIsUsableWhileTheProcessLives() throws Exception {
        Network net = nk.newNetwork("bridge", "ownproc", NetworkOptions.builder().subnet("10.81.0.0/24").build());
        Interface c1 = net.link("c1").get(0);
        Interface c2 = net.link("c2").get(0);
        try (ThrowawayNamespace sandbox = ThrowawayNamespace.create("ownproc")) {
            Process inside = new ProcessBuilder("nsenter", "--net=" + sandbox.path(), "sleep", "60").start();
            try {
                String path = "/proc/" + inside.pid() + "/ns/net";
                assertTrue(AgentTestSupport.eventually(5_000, () -> NetNamespace.identityOf(Path.of(path))
                        .equals(NetNamespace.identityOf(sandbox.path()))), "the process is in the sandbox");
                refused(ErrorCode.PATH_NOT_ALLOWED, () -> nk.newNetworkNamespace(path), "outside the allowed");
                Namespace ns = nk.useNetworkNamespace(path);
                Interface eth0 = ns.addInterface(c1);
                assertTrue(IpOracle.addressesOf(sandbox.name(), eth0.dstName()).contains(c1.address()));

                inside.destroyForcibly().waitFor();
                refused(ErrorCode.NO_SUCH_NAMESPACE, () -> ns.addInterface(c2), "not the one registered");
                ns.delete();
                assertTrue(NetNamespace.isMounted(sandbox.path()), "nothing of the sandbox was unmounted");
            } finally {
                inside.destroyForcibly();
            }
        }
        net.delete(true);
    }

    @Test
    void aRuntimesNamespaceReplacedAtItsPathIsNotUsed() {
        Network net = nk.newNetwork("bridge", "ownswap", NetworkOptions.builder().subnet("10.80.0.0/24").build());
        Interface c1 = net.link("c1").get(0);
        ThrowawayNamespace first = ThrowawayNamespace.create("ownswap");
        String path = first.path().toString();
        Namespace ns = nk.useNetworkNamespace(path);
        first.close(); // the container ended; another one gets the same path
        NetNamespace.create(Path.of(path)).close();
        try {
            refused(ErrorCode.NO_SUCH_NAMESPACE, () -> ns.addInterface(c1), "not the one registered");
            assertEquals(List.of("lo"), links(Path.of(path).getFileName().toString()), "nothing moved into the newcomer");
        } finally {
            NetNamespace.delete(Path.of(path));
        }
        net.delete(true);
    }

    @Test
    void oneNamespaceWhateverItsSpelling() {
        String path = support.namespacePath("ownspell");
        nk.newNetworkNamespace(path);
        String doubled = path.replace("/netns/", "/netns//");
        String trailing = path + "/";
        assertEquals(path, nk.namespace(doubled).path(), "the same entity, by its normalized path");
        assertEquals(path, nk.namespace(trailing).path());
        refused(ErrorCode.NAMESPACE_EXISTS, () -> nk.newNetworkNamespace(doubled), "exists already");
        assertEquals(1, nk.namespaces().stream().filter(n -> n.path().equals(path)).count(), "listed once");
        nk.namespace(trailing).delete();
        refused(ErrorCode.NO_SUCH_NAMESPACE, () -> nk.namespace(path), path);
        assertFalse(NetNamespace.isMounted(Path.of(path)));
    }

    /**
     * A kernel step that fails after its journal write is retried, not only reported: a stranger holds the
     * interface's host name while it is removed from its namespace; the removal stands (journaled), the agent
     * keeps trying, and once the name is free the interface is back in the host, ready to be added again. The
     * stranger is never touched.
     */
    @Test
    void aRemovalTheKernelRefusesIsRetriedUntilItHolds() {
        Network net = nk.newNetwork("bridge", "ownretry", bridgeNamed("10.86.0.0/24", "own-retry"));
        Interface c1 = net.link("c1").get(0);
        String path = support.namespacePath("ownretry");
        Namespace ns = nk.newNetworkNamespace(path);
        Interface eth0 = ns.addInterface(c1);
        IpOracle.ipIn(host, "link", "add", c1.srcName(), "type", "bridge"); // the stranger
        String stranger = fingerprint(c1.srcName());

        NetkeeperException e = assertThrows(NetkeeperException.class, () -> ns.removeInterface(eth0.dstName()));
        assertEquals(ErrorCode.KERNEL, e.code(), e.toString());
        assertEquals(List.of(), ns.interfaces(), "the removal stands: journaled before the kernel step");
        assertEquals(stranger, fingerprint(c1.srcName()), "the stranger is untouched");
        JsonNode waiting = IpOracle.awaitLink(nsName(path), c1.srcName(), l -> true, 5_000);
        assertNotNull(waiting, "the interface waits in the namespace under its host name, eth0 free: "
                + IpOracle.linkNames(nsName(path)));

        IpOracle.ipIn(host, "link", "del", c1.srcName());
        JsonNode back = IpOracle.awaitLink(host, c1.srcName(),
                l -> l.path("address").asText().equals(c1.macAddress()), 15_000);
        assertNotNull(back, "back in the host once its name was free");
        assertEquals(List.of("lo"), IpOracle.linkNames(nsName(path)));
        assertEquals(eth0.address(), ns.addInterface(c1).address(), "and it can be added again");
        ns.delete();
        net.delete(true);
    }

    @Test
    void percentTemplatesAreRefusedBeforeAnySyscall() {
        List<String> before = links(host);
        refused(ErrorCode.INVALID_NAME, () -> nk.newNetwork("bridge", "ownpct", bridgeNamed("10.77.0.0/24", "sec%d")),
                "contains '%'");
        assertEquals(before, links(host), "no sec0 leaked");

        Network net = nk.newNetwork("bridge", "ownpct2", NetworkOptions.builder().subnet("10.78.0.0/24").build());
        Interface c1 = net.link("c1").get(0);
        String path = support.namespacePath("ownpct");
        Namespace ns = nk.newNetworkNamespace(path);
        refused(ErrorCode.INVALID_NAME, () -> ns.addInterface(c1.withDstName("e%d")), "contains '%'");
        assertEquals(List.of("lo"), links(nsName(path)), "no e00 leaked into the namespace");
        assertEquals(List.of(), ns.interfaces());
        ns.delete();
        net.delete(true);
    }
}
