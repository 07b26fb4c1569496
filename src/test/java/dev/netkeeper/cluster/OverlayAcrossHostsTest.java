package dev.netkeeper.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.network.driver.OverlayDriver;
import dev.netkeeper.testing.DnsProbe;
import dev.netkeeper.testing.IpOracle;
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
        return cidr.substring(0, cidr.indexOf('/'));
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
        long deadline = System.currentTimeMillis() + millis;
        T last = null;
        while (System.currentTimeMillis() < deadline) {
            last = attempt.get();
            if (last != null) {
                return last;
            }
            Thread.sleep(100);
        }
        return null;
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

    // ---- partitions ---------------------------------------------------------------------------------------------

    /** How one client's Link calls ended. */
    record Outcome(String endpoint, String host, String address, String refusal, long millis) {
        boolean acknowledged() {
            return address != null;
        }
    }

    /** The CLI through {@code host}'s socket, as an operator or a runtime calls it; stdout, or the one-line error. */
    static Outcome link(String network, String endpoint, String host) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = dev.netkeeper.cli.Main.run(List.of("--socket", cluster.socket(host).toString(), "--json", "link",
                network, endpoint), new java.io.PrintStream(out), new java.io.PrintStream(err));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (code == 0) {
            try {
                return new Outcome(endpoint, host, json(out.toString()).get(0).path("address").asText(), null, millis);
            } catch (Exception e) {
                throw new IllegalStateException(out.toString(), e);
            }
        }
        // "netkeeper: CODE: message" for a typed refusal; "netkeeper: ERROR: ..." when no agent answered at all
        String line = err.toString().strip();
        String word = line.startsWith("netkeeper: ") ? line.substring(11).split(":", 2)[0] : "?";
        return new Outcome(endpoint, host, null, word, millis);
    }

    /** Which host's node runs the network's entity ({@code POST /v1/call network.locate} on alpha's socket). */
    static String locate(String network) throws Exception {
        String[] last = {""};
        String host = eventually(() -> {
            IpOracle.Result r = IpOracle.run("curl", "-sS", "--unix-socket", cluster.socket("alpha").toString(),
                    "-H", "Content-Type: application/json", "-d",
                    "{\"@request\":\"network.locate\",\"name\":\"" + network + "\"}", "http://netkeeper/v1/call");
            last[0] = r.toString();
            try {
                String h = json(r.stdout()).path("reply").path("host").asText();
                return h.isEmpty() ? null : h;
            } catch (Exception e) {
                return null;
            }
        }, 30_000);
        assertNotNull(host, "network " + network + " located: " + last[0]);
        return host;
    }

    /**
     * One round: a client per host links endpoints on its own host, one after another, while {@code cut} is cut off
     * the underlay for {@code cutMillis}; then the cut is healed, and the cut host's agent, downed by the majority's
     * split-brain resolver, is started again (as an operator's supervisor would) and rejoins.
     */
    static List<Outcome> partitionRound(String network, String cut, int round, long cutMillis) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<CompletableFuture<List<Outcome>>> clients = new ArrayList<>();
        for (String h : UnderlayCluster.HOSTS) {
            clients.add(CompletableFuture.supplyAsync(() -> {
                List<Outcome> mine = new ArrayList<>();
                for (int i = 0; going.get(); i++) {
                    mine.add(link(network, "r" + round + "-" + h + "-" + i, h));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                return mine;
            }));
        }
        Thread.sleep(2_000);
        long cutAt = System.nanoTime();
        cluster.cut(cut);
        Thread.sleep(cutMillis);
        cluster.heal(cut);
        Thread.sleep(2_000);
        going.set(false);
        List<Outcome> all = new ArrayList<>();
        for (CompletableFuture<List<Outcome>> c : clients) {
            all.addAll(c.get(120, java.util.concurrent.TimeUnit.SECONDS));
        }
        // the minority was downed (its agent stopped) unless it came back before the resolver decided
        if (!cluster.agent(cut).exitsWithin(20_000)) {
            System.out.printf("round %d: %s's agent was not downed within the cut; killed and restarted%n", round, cut);
        }
        cluster.kill(cut);
        cluster.restart(cut);
        assertNotNull(eventually(() -> {
            try {
                String hosts = cluster.cliOutput("alpha", "hosts");
                return UnderlayCluster.HOSTS.stream().allMatch(h -> hosts.lines()
                        .anyMatch(l -> l.startsWith(h + " ") && l.contains(" up"))) ? hosts : null;
            } catch (RuntimeException e) {
                return null;
            }
        }, 60_000), "all three up again after round " + round);
        System.out.printf("round %d (%s cut for %d ms): back together %d ms after the cut%n", round, cut, cutMillis,
                (System.nanoTime() - cutAt) / 1_000_000);
        return all;
    }

    @Test
    @Order(2)
    void partitionsNeitherHandAnAddressOutTwiceNorLoseAnAcknowledgedLink() throws Exception {
        try {
            cluster.cliOutput("alpha", "network", "create", "part", "--driver", "overlay", "--subnet", "10.92.0.0/21");
            String home = locate("part");
            String bystander = UnderlayCluster.HOSTS.stream().filter(h -> !h.equals(home)).reduce((a, b) -> b).orElseThrow();
            List<Outcome> first = partitionRound("part", bystander, 1, 12_000);
            String entityNow = locate("part");
            List<Outcome> second = partitionRound("part", entityNow, 2, 12_000);
            report("round 1, " + bystander + " cut (the entity on " + home + ")", first);
            report("round 2, " + entityNow + " cut (the entity's node)", second);

            List<Outcome> all = new ArrayList<>(first);
            all.addAll(second);
            for (Outcome o : all) {
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
            long lost = all.stream().filter(Outcome::acknowledged).filter(o -> !endpoints.containsKey(o.endpoint())
                    || !endpoints.get(o.endpoint()).path("interfaces").get(0).path("address").asText().equals(o.address()))
                    .count();
            assertEquals(0, lost, "acknowledged links lost");
            for (String h : UnderlayCluster.HOSTS) {
                Set<String> veths = new HashSet<>(IpOracle.linkNames(cluster.hostNamespace(h).name()));
                List<String> missing = new ArrayList<>();
                all.stream().filter(Outcome::acknowledged).filter(o -> o.host().equals(h)).forEach(o -> {
                    String veth = endpoints.get(o.endpoint()).path("hostInterface").asText();
                    if (!veths.contains(veth)) {
                        missing.add(o.endpoint() + " (" + veth + ")");
                    }
                });
                if (!missing.isEmpty()) {
                    assertNotNull(eventually(() -> {
                        Set<String> now = new HashSet<>(IpOracle.linkNames(cluster.hostNamespace(h).name()));
                        return all.stream().filter(Outcome::acknowledged).filter(o -> o.host().equals(h))
                                .allMatch(o -> now.contains(endpoints.get(o.endpoint()).path("hostInterface").asText()))
                                ? Boolean.TRUE : null;
                    }, 30_000), h + " converged its acknowledged endpoints: missing " + missing);
                }
            }
            // and across the whole history no address was handed out while another endpoint held it
            assertEquals(List.of(), addressesHandedOutTwice("part"));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
        }
    }

    static void report(String round, List<Outcome> outcomes) {
        Map<String, Long> refusals = new java.util.TreeMap<>();
        outcomes.stream().filter(o -> !o.acknowledged()).forEach(o -> refusals.merge(o.refusal(), 1L, Long::sum));
        System.out.printf("%s: %d links asked, %d acknowledged, refused %s, slowest answer %d ms%n", round,
                outcomes.size(), outcomes.stream().filter(Outcome::acknowledged).count(), refusals,
                outcomes.stream().mapToLong(Outcome::millis).max().orElse(0));
    }

    /** Replays the network's trail: an EndpointAllocated of an address that another endpoint still holds. */
    static List<String> addressesHandedOutTwice(String network) throws Exception {
        JsonNode records = json(cluster.cliOutput("alpha", "--json", "audit", "--network", network));
        Map<String, String> heldBy = new HashMap<>();
        Map<String, String> addressOf = new HashMap<>();
        List<String> twice = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode change = json(r.path("change").asText());
            switch (r.path("event").asText()) {
                case "EndpointAllocated" -> {
                    String name = change.path("endpoint").path("name").asText();
                    String address = change.path("endpoint").path("address").asText();
                    String holder = heldBy.get(address);
                    if (holder != null && !holder.equals(name)) {
                        twice.add(address + " to " + name + " while " + holder + " held it");
                    }
                    heldBy.put(address, name);
                    addressOf.put(name, address);
                }
                case "EndpointReleased" -> {
                    String address = addressOf.remove(change.path("endpoint").asText());
                    if (address != null) {
                        heldBy.remove(address);
                    }
                }
                default -> { }
            }
        }
        assertTrue(addressOf.size() > 10, "the trail has the links: " + addressOf.size());
        return twice;
    }
}
