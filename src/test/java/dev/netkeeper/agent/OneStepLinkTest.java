package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A Link that names its namespace: the container end born there under its final name, addressed, up and routed
 * (one step), the namespace listing it; unlink deletes the pair where it is; deleting the namespace releases it.
 */
class OneStepLinkTest {
    static TestAgent agent;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("onestep");
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void aLinkIntoANamespaceLeavesTheInterfaceConfiguredThere() {
        NetkeeperClient nk = agent.client();
        Network net = nk.newNetwork("bridge", "one1", NetworkOptions.builder()
                .subnet("10.89.0.0/24").subnetIPv6("fd89::/64").build());
        Namespace a = nk.newNetworkNamespace(TestAgent.namespacePath("oa"));
        Namespace b = nk.newNetworkNamespace(TestAgent.namespacePath("ob"));
        String nsA = Path.of(a.path()).getFileName().toString();
        String nsB = Path.of(b.path()).getFileName().toString();
        String host = agent.host().name();

        Interface ia = net.link("ca", LinkOptions.into(a.path())).get(0);
        Interface ib = net.link("cb", LinkOptions.into(b.path()).named("web0")).get(0);
        assertEquals("eth0", ia.dstName(), "the lowest free index of the default prefix");
        assertEquals("web0", ib.dstName(), "a name ending in a digit is taken as is");
        assertEquals(List.of(ia), a.interfaces(), "the namespace lists it, as addInterface would");
        assertEquals(List.of(ia), net.link("ca", LinkOptions.into(a.path())), "a retried link answers the same interface");

        assertNull(IpOracle.link(host, ia.srcName()), "the container end was never in the host");
        JsonNode eth0 = IpOracle.link(nsA, "eth0");
        assertEquals(ia.macAddress(), eth0.path("address").asText());
        assertTrue(IpOracle.flags(eth0).contains("UP"));
        assertTrue(IpOracle.addressesOf(nsA, "eth0").contains("10.89.0.2/24"));
        assertTrue(IpOracle.routes(nsA, false).toString().contains("10.89.0.1"), "default route via the gateway");
        assertTrue(IpOracle.pingEventually(nsA, "10.89.0.3", 5000), "A pings B");
        assertTrue(IpOracle.ping(nsB, "10.89.0.1"), "B pings the gateway");
        assertTrue(IpOracle.pingEventually(nsA, "fd89::3", 5000), "A pings B over IPv6");

        // unlink: the pair is deleted where it is, and the namespace forgets it
        net.unlink("cb");
        assertNull(IpOracle.link(nsB, "web0"), "deleted in the namespace, not moved back");
        assertNull(IpOracle.link(host, ib.srcName()));
        assertEquals(List.of(), awaitInterfaces(b, 0));

        // deleting the namespace releases its endpoints: the host end goes, the address is free again
        a.delete();
        assertTrue(awaitNoEndpoints(net), "the namespace's endpoint was released with it");
        assertNull(IpOracle.link(host, "nkv" + ia.srcName().substring(3)), "no host end left");
        b.delete();
        net.delete(true);
    }

    @Test
    void refusalsLeaveNothingBehind() {
        NetkeeperClient nk = agent.client();
        Network net = nk.newNetwork("bridge", "one2", NetworkOptions.builder().subnet("10.90.0.0/24").build());
        Namespace a = nk.newNetworkNamespace(TestAgent.namespacePath("oc"));
        net.link("c1", LinkOptions.into(a.path()).named("eth5"));

        NetkeeperException dup = assertThrows(NetkeeperException.class,
                () -> net.link("c2", LinkOptions.into(a.path()).named("eth5")));
        assertEquals(ErrorCode.DUPLICATE_DST_NAME, dup.code());
        NetkeeperException noNs = assertThrows(NetkeeperException.class,
                () -> net.link("c3", LinkOptions.into(TestAgent.namespacePath("nothere"))));
        assertEquals(ErrorCode.NO_SUCH_NAMESPACE, noNs.code());
        NetkeeperException noNet = assertThrows(NetkeeperException.class,
                () -> nk.network("none-such").link("c4", LinkOptions.into(a.path())));
        assertEquals(ErrorCode.NO_SUCH_NETWORK, noNet.code());
        net.link("c5");
        NetkeeperException moved = assertThrows(NetkeeperException.class,
                () -> net.link("c5", LinkOptions.into(a.path())));
        assertEquals(ErrorCode.INTERFACE_IN_USE, moved.code(), "linked before, its interface in the host");

        assertEquals(List.of("c1", "c5"), net.info().endpoints().stream().map(e -> e.name()).sorted().toList(),
                "nothing allocated for the refused links");
        assertEquals(1, a.interfaces().size());
        a.delete();
        net.delete(true);
    }

    private static boolean awaitNoEndpoints(Network net) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!net.info().endpoints().isEmpty() && System.currentTimeMillis() < deadline) {
            sleep();
        }
        return net.info().endpoints().isEmpty();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Interface> awaitInterfaces(Namespace ns, int count) {
        long deadline = System.currentTimeMillis() + 5000;
        List<Interface> now = ns.interfaces();
        while (now.size() != count && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = ns.interfaces();
        }
        return now;
    }
}
