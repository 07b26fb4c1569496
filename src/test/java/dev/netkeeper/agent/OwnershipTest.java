package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.Network;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.testing.IpOracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.netkeeper.agent.AgentTestSupport.links;
import static dev.netkeeper.agent.AgentTestSupport.nsName;
import static dev.netkeeper.agent.AgentTestSupport.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        assertEquals("netkeeper ceth ownmark/c1", IpOracle.link(host, c1.srcName()).path("ifalias").asText());
        assertTrue(c1.srcName().matches("nkc[0-9a-f]{12}"), c1.srcName());

        // the mark goes along into the container's namespace
        String path = support.namespacePath("ownmark");
        Namespace ns = nk.newNetworkNamespace(path);
        Interface eth0 = ns.addInterface(c1);
        assertEquals("netkeeper ceth ownmark/c1", IpOracle.link(nsName(path), eth0.dstName()).path("ifalias").asText());
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
