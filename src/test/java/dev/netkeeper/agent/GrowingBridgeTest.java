package dev.netkeeper.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One bridge network of 2,100 endpoints on one host: its first bridge takes 1,000, then the network grows by two
 * more bridges joined to the first by veth trunks (the Linux bridge takes 1,023 ports). Endpoints on different
 * bridges reach each other and the gateway as on one segment; unlinking the endpoints of a grown bridge removes
 * it and its trunk.
 */
class GrowingBridgeTest {
    private static final int ENDPOINTS = 2_100;
    private static final String BRIDGE = "br-grow";

    @Test
    void twoThousandOneHundredEndpointsOnThreeBridgesAreOneSegment() throws Exception {
        try (TestAgent agent = TestAgent.start("grow")) {
            String hostNs = agent.host().name();
            Network net = agent.client().newNetwork("bridge", "grow", NetworkOptions.builder().subnet("10.64.0.0/20")
                    .driverOption("bridge.name", BRIDGE).build());
            Map<String, Interface> linked = linkAll(net);
            assertEquals(ENDPOINTS, linked.size());

            // which bridge holds each endpoint's port, by the kernel's word
            Map<String, String> bridgeOf = new HashMap<>();
            Map<String, Integer> portsOf = new TreeMap<>();
            Map<Integer, String> nameByIndex = new HashMap<>();
            JsonNode links = IpOracle.links(hostNs);
            links.forEach(l -> nameByIndex.put(l.path("ifindex").asInt(), l.path("ifname").asText()));
            for (JsonNode l : links) {
                String master = l.path("master").asText("");
                if (!master.isEmpty()) {
                    portsOf.merge(master, 1, Integer::sum);
                    bridgeOf.put(l.path("ifname").asText(), master);
                }
            }
            List<String> grown = portsOf.keySet().stream().filter(b -> b.startsWith("nkb")).toList();
            assertEquals(2, grown.size(), "two bridges grown beside " + BRIDGE + ": " + portsOf);
            assertEquals(1000 + 2, portsOf.get(BRIDGE), "1,000 endpoints and 2 trunks on the first: " + portsOf);
            List<Integer> grownPorts = grown.stream().map(portsOf::get).sorted().toList();
            assertEquals(List.of(100 + 1, 1000 + 1), grownPorts, "1,000 and 100 endpoints, a trunk each: " + portsOf);

            Map<String, List<String>> byBridge = new TreeMap<>();
            linked.forEach((endpoint, iface) -> byBridge.computeIfAbsent(bridgeOf.get("nkv" + iface.srcName().substring(3)),
                    k -> new ArrayList<>()).add(endpoint));
            String small = grown.stream().filter(b -> portsOf.get(b) == 101).findFirst().orElseThrow();
            String big = grown.stream().filter(b -> portsOf.get(b) == 1001).findFirst().orElseThrow();
            List<String> first = byBridge.get(BRIDGE);
            List<String> second = byBridge.get(big);
            List<String> third = byBridge.get(small);

            // 50 pairs across bridge boundaries: first-second, first-third, second-third
            List<String[]> pairs = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                pairs.add(new String[] {first.get(i), second.get(i)});
                pairs.add(new String[] {first.get(100 + i), third.get(i)});
            }
            for (int i = 0; i < 16; i++) {
                pairs.add(new String[] {second.get(100 + i), third.get(50 + i)});
            }
            assertEquals(50, pairs.size());
            Map<String, String> nsOf = new HashMap<>();
            for (String[] pair : pairs) {
                for (String endpoint : pair) {
                    String path = TestAgent.namespacePath("grw");
                    Namespace ns = agent.client().newNetworkNamespace(path);
                    ns.addInterface(linked.get(endpoint));
                    nsOf.put(endpoint, Path.of(path).getFileName().toString());
                }
            }
            for (String[] pair : pairs) {
                String from = nsOf.get(pair[0]);
                String to = address(linked.get(pair[1]));
                assertTrue(IpOracle.pingEventually(from, to, 5_000), pair[0] + " on " + bridgeOf(linked, bridgeOf, pair[0])
                        + " pings " + pair[1] + " (" + to + ") on " + bridgeOf(linked, bridgeOf, pair[1]));
                assertTrue(IpOracle.ping(nsOf.get(pair[1]), "10.64.0.1"), pair[1] + " pings the gateway");
            }

            // the endpoints of the smallest bridge unlinked (some from inside their namespaces): it goes, and its trunk
            for (String endpoint : third) {
                net.unlink(endpoint);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (IpOracle.link(hostNs, small) != null && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            List<String> left = IpOracle.linkNames(hostNs);
            assertTrue(!left.contains(small), "the emptied bridge is gone");
            assertEquals(1, left.stream().filter(n -> n.startsWith("nkb")).count(), left.stream().filter(n -> n.startsWith("nk")
                    && !n.startsWith("nkv") && !n.startsWith("nkc")).toList().toString());
            assertEquals(1, left.stream().filter(n -> n.startsWith("nkt")).count(), "one trunk left");
            assertEquals(1, left.stream().filter(n -> n.startsWith("nku")).count(), "one trunk left");
        }
    }

    /** Every endpoint linked, 16 in flight. */
    private static Map<String, Interface> linkAll(Network net) throws Exception {
        Semaphore inFlight = new Semaphore(16);
        Map<String, Interface> out = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            String name = "e" + i;
            inFlight.acquire();
            all.add(net.linkAsync(name).toCompletableFuture().whenComplete((ifaces, err) -> {
                inFlight.release();
                if (err == null) {
                    out.put(name, ifaces.get(0));
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
        return out;
    }

    private static String address(Interface iface) {
        return iface.address().substring(0, iface.address().indexOf('/'));
    }

    private static String bridgeOf(Map<String, Interface> linked, Map<String, String> bridgeOf, String endpoint) {
        return bridgeOf.get("nkv" + linked.get(endpoint).srcName().substring(3));
    }
}
