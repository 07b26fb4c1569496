package dev.netkeeper.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.network.driver.OverlayDriver;
import dev.netkeeper.testing.DnsProbe;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.PartitionDrill;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import dev.netkeeper.testing.UnderlayCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.Type;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three agents, each in its own host namespace on a real underlay (192.0.2.0/24, PostgreSQL on it in a namespace of
 * its own), one overlay network across them: containers on every host reach each other over VXLAN (IPv4, IPv6, by
 * name), each host's device knows exactly the other hosts' endpoints, the loss of one agent leaves the others' traffic
 * alone, and it converges when it comes back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverlayAcrossHostsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static UnderlayCluster cluster;
    static final List<String> paths = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = UnderlayCluster.start();
        System.out.printf("three agents on the underlay formed in %d ms%n", cluster.formedInMillis());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            ThrowawayNamespace.removeLeftovers(paths);
        }
    }

    /** A container on {@code host}: a namespace made by its agent, the endpoint born in it; its interface as JSON. */
    static JsonNode container(String network, String endpoint, String host) throws Exception {
        String path = TestAgent.namespacePath("ov-" + endpoint);
        paths.add(path);
        cluster.cliOutput(host, "ns", "create", host + ":" + path);
        return json(cluster.cliOutput(host, "--json", "link", network, endpoint, "--host", host, "--ns", path)).get(0);
    }

    static String ns(String path) {
        return Path.of(path).getFileName().toString();
    }

    static String bare(String cidr) {
        return dev.netkeeper.network.Ipam.host(cidr);
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** The VXLAN device's static FDB entries on {@code host}: MAC → the underlay address it is sent to. */
    static Map<String, String> fdb(String host, String device) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode e : IpOracle.json("bridge", "-n", cluster.hostNamespace(host).name(), "-j", "fdb", "show", "dev",
                device)) {
            if (e.has("dst") && e.path("state").asText().equals("permanent")) {
                out.put(e.path("mac").asText(), e.path("dst").asText());
            }
        }
        return out;
    }

    /** The VXLAN device's permanent neighbour entries on {@code host}: address → MAC. */
    static Map<String, String> neighbours(String host, String device) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode n : IpOracle.json("ip", "-n", cluster.hostNamespace(host).name(), "-j", "neigh", "show", "dev",
                device)) {
            if (n.path("state").toString().contains("PERMANENT")) {
                out.put(n.path("dst").asText(), n.path("lladdr").asText());
            }
        }
        return out;
    }

    static <T> T eventually(Supplier<T> attempt, long millis) throws InterruptedException {
        return PartitionDrill.eventually(attempt, millis);
    }

    @Test
    @Order(1)
    void containersOnThreeHostsReachEachOtherOverTheOverlay() throws Exception {
        try {
            JsonNode created = json(cluster.cliOutput("alpha", "--json", "network", "create", "ov", "--driver", "overlay",
                    "--subnet", "10.91.0.0/24", "--ipv6-subnet", "fd91::/64"));
            assertEquals(1450, created.path("mtu").asInt(), "the underlay's 1500 less VXLAN's 50");
            String device = OverlayDriver.vxlanName("ov");
            Map<String, JsonNode> iface = new LinkedHashMap<>();
            Map<String, String> nsOf = new HashMap<>();
            for (String h : UnderlayCluster.HOSTS) {
                iface.put(h, container("ov", "c-" + h, h));
                nsOf.put(h, ns(paths.get(paths.size() - 1)));
            }
            // every container pings every other, IPv4 and IPv6, across hosts
            long t0 = System.nanoTime();
            for (String from : UnderlayCluster.HOSTS) {
                for (String to : UnderlayCluster.HOSTS) {
                    if (!from.equals(to)) {
                        String v4 = bare(iface.get(to).path("address").asText());
                        String v6 = bare(iface.get(to).path("addressIPv6").asText());
                        assertTrue(IpOracle.pingEventually(nsOf.get(from), v4, 10_000), from + " → " + to + " " + v4);
                        assertTrue(IpOracle.pingEventually(nsOf.get(from), v6, 10_000), from + " → " + to + " " + v6);
                    }
                }
            }
            System.out.printf("all six pairs pinged (IPv4 and IPv6) within %d ms of the last link%n",
                    (System.nanoTime() - t0) / 1_000_000);
            // and by name: alpha's resolver (on alpha's gateway) answers gamma's container's address
            String gateway = created.path("gateway").asText();
            var answer = DnsProbe.udp(Path.of("/var/run/netns", nsOf.get("alpha")), gateway, "c-gamma", Type.A, 2_000);
            assertTrue(answer.isPresent(), "the resolver answered");
            assertEquals(List.of(bare(iface.get("gamma").path("address").asText())), DnsProbe.answers(answer.get()));
            assertEquals(0, IpOracle.run("ip", "netns", "exec", nsOf.get("alpha"), "ping", "-c", "1", "-W", "2",
                    bare(iface.get("gamma").path("address").asText())).exitCode());

            // each host's device knows exactly the other hosts' endpoints
            for (String h : UnderlayCluster.HOSTS) {
                Map<String, String> wanted = new HashMap<>();
                Map<String, String> wantedNeighbours = new HashMap<>();
                for (String other : UnderlayCluster.HOSTS) {
                    if (!other.equals(h)) {
                        String mac = iface.get(other).path("macAddress").asText();
                        wanted.put(mac, cluster.underlayAddress(other));
                        wantedNeighbours.put(bare(iface.get(other).path("address").asText()), mac);
                        wantedNeighbours.put(bare(iface.get(other).path("addressIPv6").asText()), mac);
                    }
                }
                assertEquals(wanted, fdb(h, device), h + "'s FDB");
                assertEquals(wantedNeighbours, neighbours(h, device), h + "'s neighbours");
            }
            // the gateway is the same address and MAC on every host's bridge, and never an entry of a device
            String bridge = created.path("driverOptions").path("bridge.name").asText();
            Set<String> gatewayMacs = new HashSet<>();
            for (String h : UnderlayCluster.HOSTS) {
                String hostNs = cluster.hostNamespace(h).name();
                gatewayMacs.add(IpOracle.link(hostNs, bridge).path("address").asText());
                assertTrue(IpOracle.addressesOf(hostNs, bridge).contains(gateway + "/24"), h + " holds the gateway");
            }
            assertEquals(1, gatewayMacs.size(), "one gateway MAC: " + gatewayMacs);
            for (String h : UnderlayCluster.HOSTS) {
                assertFalse(fdb(h, device).containsKey(gatewayMacs.iterator().next()), "the gateway is local everywhere");
            }

            // two overlay networks stay isolated across hosts as on one: ov2's container on alpha reaches neither
            // ov's container on alpha nor the one on gamma
            cluster.cliOutput("alpha", "network", "create", "ov2", "--driver", "overlay", "--subnet", "10.94.0.0/24");
            container("ov2", "d-alpha", "alpha");
            String other = ns(paths.get(paths.size() - 1));
            assertFalse(IpOracle.ping(other, bare(iface.get("alpha").path("address").asText())), "ov2 → ov on alpha");
            assertFalse(IpOracle.ping(other, bare(iface.get("gamma").path("address").asText())), "ov2 → ov on gamma");

            // an endpoint removed on beta disappears from alpha's and gamma's tables
            String betaMac = iface.get("beta").path("macAddress").asText();
            cluster.cliOutput("gamma", "unlink", "ov", "c-beta");
            for (String h : List.of("alpha", "gamma")) {
                assertNotNull(eventually(() -> fdb(h, device).containsKey(betaMac)
                        || neighbours(h, device).containsValue(betaMac) ? null : Boolean.TRUE, 5_000),
                        "beta's endpoint gone from " + h + "'s device");
            }
            JsonNode beta2 = container("ov", "c-beta2", "beta");
            String betaNs = ns(paths.get(paths.size() - 1));

            // SIGKILL beta's agent: alpha ↔ gamma traffic does not notice
            String gammaV4 = bare(iface.get("gamma").path("address").asText());
            CompletableFuture<IpOracle.Result> pinging = CompletableFuture.supplyAsync(() -> IpOracle.run(
                    "ip", "netns", "exec", nsOf.get("alpha"), "ping", "-c", "25", "-i", "0.2", "-W", "1", gammaV4));
            Thread.sleep(500);
            cluster.kill("beta");
            IpOracle.Result during = pinging.get();
            assertTrue(during.stdout().contains(" 0% packet loss"), "alpha → gamma while beta's agent died:\n" + during);
            // and beta's own kernel state keeps working without its agent: beta's container still reaches alpha's
            assertTrue(IpOracle.pingEventually(betaNs, bare(iface.get("alpha").path("address").asText()), 5_000));

            // beta's kernel drifts while it is down (its device deleted); back, it converges
            IpOracle.ipIn(cluster.hostNamespace("beta").name(), "link", "del", device);
            cluster.restart("beta");
            Map<String, String> betaWants = Map.of(iface.get("alpha").path("macAddress").asText(),
                    cluster.underlayAddress("alpha"), iface.get("gamma").path("macAddress").asText(),
                    cluster.underlayAddress("gamma"));
            assertNotNull(eventually(() -> {
                try {
                    return fdb("beta", device).equals(betaWants) ? Boolean.TRUE : null;
                } catch (IllegalStateException noDeviceYet) {
                    return null;
                }
            }, 30_000), "beta's device made again and told the other hosts' endpoints:\n" + cluster.logs());
            assertTrue(IpOracle.pingEventually(betaNs, gammaV4, 10_000), "beta → gamma after the restart");
            assertTrue(IpOracle.pingEventually(nsOf.get("alpha"), bare(beta2.path("address").asText()), 10_000),
                    "alpha → beta's new container");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
        }
    }

    @Test
    @Order(2)
    void partitionsNeitherHandAnAddressOutTwiceNorLoseAnAcknowledgedLink() throws Exception {
        try {
            cluster.cliOutput("alpha", "network", "create", "part", "--driver", "overlay", "--subnet", "10.92.0.0/21");
            String home = PartitionDrill.locate(cluster, "part");
            String bystander = UnderlayCluster.HOSTS.stream().filter(h -> !h.equals(home)).reduce((a, b) -> b).orElseThrow();
            PartitionDrill.Round first = PartitionDrill.run(cluster, "part", bystander, 1, 12_000);
            String entityNow = PartitionDrill.locate(cluster, "part");
            PartitionDrill.Round second = PartitionDrill.run(cluster, "part", entityNow, 2, 12_000);
            System.out.printf("round 1, %s cut (the entity on %s): %s%n", bystander, home, first.summary());
            System.out.printf("round 2, %s cut (the entity's node): %s%n", entityNow, second.summary());

            List<PartitionDrill.Outcome> all = new ArrayList<>(first.outcomes());
            all.addAll(second.outcomes());
            for (PartitionDrill.Outcome o : all) {
                // a typed refusal by an agent, or (ERROR) no agent at all: the minority's, downed, whose socket is gone
                assertTrue(o.acknowledged() || o.refusal().equals("ERROR") || java.util.Arrays.stream(
                        dev.netkeeper.api.ErrorCode.values()).anyMatch(c -> c.name().equals(o.refusal())),
                        "typed, or no agent: " + o);
                assertTrue(o.millis() <= 35_000, "answered within the agent's bound (3 ask-timeouts): " + o);
            }
            // from the journal, afterwards: every acknowledged link is there with its address, and converged
            JsonNode info = eventually(() -> {
                try {
                    return json(cluster.cliOutput("alpha", "--json", "network", "inspect", "part"));
                } catch (Exception e) {
                    return null;
                }
            }, 30_000);
            assertNotNull(info);
            Map<String, JsonNode> endpoints = new HashMap<>();
            info.path("endpoints").forEach(e -> endpoints.put(e.path("name").asText(), e));
            long lost = all.stream().filter(PartitionDrill.Outcome::acknowledged).filter(o -> !endpoints.containsKey(o.endpoint())
                    || !endpoints.get(o.endpoint()).path("interfaces").get(0).path("address").asText().equals(o.address()))
                    .count();
            assertEquals(0, lost, "acknowledged links lost");
            for (String h : UnderlayCluster.HOSTS) {
                List<String> wanted = all.stream().filter(PartitionDrill.Outcome::acknowledged)
                        .filter(o -> o.host().equals(h))
                        .map(o -> endpoints.get(o.endpoint()).path("hostInterface").asText()).toList();
                assertNotNull(eventually(() -> new HashSet<>(IpOracle.linkNames(cluster.hostNamespace(h).name()))
                        .containsAll(wanted) ? Boolean.TRUE : null, 30_000),
                        h + " converged its " + wanted.size() + " acknowledged endpoints");
            }
            // and across the whole history no address was handed out while another endpoint held it
            assertTrue(PartitionDrill.allocations(cluster, "part") >= first.acknowledged() + second.acknowledged());
            assertEquals(List.of(), PartitionDrill.addressesHandedOutTwice(cluster, "part"));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
        }
    }
}
