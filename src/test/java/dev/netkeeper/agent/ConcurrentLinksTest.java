package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.testing.IpOracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Many links at once on one network: every one gets its own address, MAC and veth; one name, one veth. */
class ConcurrentLinksTest {
    static AgentTestSupport support;
    static NetkeeperClient nk;
    static String host;

    @BeforeAll
    static void start() {
        support = AgentTestSupport.start("conc");
        nk = support.agent().client();
        host = support.host();
    }

    @AfterAll
    static void stop() {
        support.stop();
    }

    private static List<String> portsOf(String bridge) {
        List<String> ports = new ArrayList<>();
        for (JsonNode l : IpOracle.links(host)) {
            if (bridge.equals(l.path("master").asText())) {
                ports.add(l.path("ifname").asText());
            }
        }
        return ports;
    }

    @Test
    void twoHundredConcurrentLinksGetDistinctAddressesMacsAndVeths() throws Exception {
        int n = 200;
        Network net = nk.newNetwork("bridge", "conc", NetworkOptions.builder().subnet("10.230.0.0/16").build());
        String bridge = net.info().driverOptions().get("bridge.name");

        List<CompletableFuture<List<Interface>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(net.linkAsync(String.format("c%03d", i)).toCompletableFuture());
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Set<String> addresses = new HashSet<>();
        Set<String> macs = new HashSet<>();
        Set<String> srcNames = new HashSet<>();
        for (CompletableFuture<List<Interface>> call : calls) {
            List<Interface> ifaces = call.get();
            assertEquals(1, ifaces.size());
            Interface i = ifaces.get(0);
            assertTrue(i.address().startsWith("10.230.") && i.address().endsWith("/16"), i.address());
            addresses.add(i.address());
            macs.add(i.macAddress());
            srcNames.add(i.srcName());
        }
        assertEquals(n, addresses.size(), "distinct IPv4 addresses");
        assertEquals(n, macs.size(), "distinct MACs");
        assertEquals(n, srcNames.size(), "distinct srcNames");
        assertFalse(addresses.contains("10.230.0.1/16"), "never the gateway");

        List<String> ports = portsOf(bridge);
        assertEquals(n, ports.size(), "veths on the bridge");
        Set<String> expectedPorts = new HashSet<>();
        srcNames.forEach(s -> expectedPorts.add("nkv" + s.substring(3)));
        assertEquals(expectedPorts, new HashSet<>(ports), "each host end belongs to one srcName");
        Set<String> hostLinks = new HashSet<>(IpOracle.linkNames(host));
        assertTrue(hostLinks.containsAll(srcNames), "every container end waits in the host");
        assertEquals(n, net.info().endpoints().size());
        assertEquals(n + 1, support.networkEvents("conc").size(), "NetworkCreated + one EndpointAllocated each");

        net.delete(true);
        assertNull(IpOracle.link(host, bridge));
        assertEquals(List.of(), IpOracle.linkNames(host).stream().filter(l -> l.startsWith("nkv")
                || l.startsWith("nkc")).toList(), "force delete removed every pair");
    }

    @Test
    void fiftyConcurrentLinksOfOneNameMakeOneVeth() throws Exception {
        Network net = nk.newNetwork("bridge", "conc-same", NetworkOptions.builder().subnet("10.231.0.0/24").build());
        String bridge = net.info().driverOptions().get("bridge.name");
        List<CompletableFuture<List<Interface>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(net.linkAsync("same").toCompletableFuture());
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        List<Interface> first = calls.get(0).get();
        assertEquals(1, first.size());
        for (CompletableFuture<List<Interface>> call : calls) {
            assertEquals(first, call.get());
        }
        assertEquals(List.of("nkv" + first.get(0).srcName().substring(3)), portsOf(bridge), "one veth");
        List<Object> events = support.networkEvents("conc-same");
        assertEquals(List.of(NetworkEvent.NetworkCreated.class, NetworkEvent.EndpointAllocated.class),
                events.stream().map(Object::getClass).toList(), "allocated once");
        net.delete(true);
    }
}
