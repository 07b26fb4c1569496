package dev.netkeeper.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crashes at moments nobody chose. Four clients run a random workload through the agent's door (namespace
 * create and delete, link, unlink, add and remove interface), each on its own namespaces and endpoints and
 * each logging what the agent acknowledged; the agent, a child process, is SIGKILLed at a random moment,
 * restarted on the same journal and host, and within 30 s of the restart:
 * <ul>
 *   <li>nothing acknowledged is lost or changed (an operation cut by the kill may have happened or not: its
 *       items are taken as the agent lists them, and from then on must hold like the rest);</li>
 *   <li>no address or MAC is held twice, by the agent's lists or in the kernel;</li>
 *   <li>each namespace holds exactly the interfaces the agent lists, configured, and the network lists each
 *       placement the namespace does;</li>
 *   <li>no orphan veth, no container end where it should not be, no mount the agent does not list;</li>
 *   <li>placed endpoints ping their gateway.</li>
 * </ul>
 * Seeded: {@code -Dnetkeeper.crash.seed=N} replays a run's workload (the moment of each kill is drawn from
 * the seed as well, the machine's timing not); {@code -Dnetkeeper.crash.rounds=N} (default 3) runs longer.
 */
class RandomCrashTest {
    private static final int CLIENTS = 4;
    private static final int PATHS_PER_CLIENT = 3;
    private static final int ENDPOINTS_PER_CLIENT = 6;
    private static final String NETWORK = "rc";
    private static final String GATEWAY = "10.96.0.1";
    private static final Duration CONSISTENT_WITHIN = Duration.ofSeconds(30);

    private ThrowawayNamespace host;
    private Path data;
    private AgentChild agent;
    private final List<ClientModel> models = new ArrayList<>();
    private final List<NetkeeperClient> clients = new ArrayList<>();

    /** What one client was told: its namespaces and its endpoints, and the one operation a kill left open. */
    private static final class ClientModel {
        final List<String> paths = new ArrayList<>();
        final List<String> endpointNames = new ArrayList<>();
        final Set<String> namespaces = new HashSet<>();
        /** endpoint → its interface as last acknowledged (dstName set while it is placed), and where it is. */
        final Map<String, Placed> endpoints = new LinkedHashMap<>();
        /** Endpoints whose host port ({@link #portOf}) is published, as last acknowledged. */
        final Set<String> publishing = new HashSet<>();
        Op open;
        int acknowledged;
        /** Typed refusals, by code: each must have left nothing behind (the checks see to that). */
        final Map<ErrorCode, Integer> refused = new java.util.TreeMap<>();
    }

    /** {@code born}: linked into {@code path} in one step (deleting the namespace releases the endpoint). */
    private record Placed(Interface iface, String path, boolean born) {
        Placed(Interface iface, String path) {
            this(iface, path, false);
        }
    }

    private record Op(String kind, String path, String endpoint, String dstName) {
        @Override
        public String toString() {
            return kind + (path == null ? "" : " " + path) + (endpoint == null ? "" : " " + endpoint)
                    + (dstName == null ? "" : " " + dstName);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        host = ThrowawayNamespace.create("rcrash");
        data = Files.createTempDirectory("nk-rcrash-");
        for (int c = 0; c < CLIENTS; c++) {
            ClientModel m = new ClientModel();
            for (int i = 0; i < PATHS_PER_CLIENT; i++) {
                m.paths.add(TestAgent.namespacePath("rc" + c + i));
            }
            for (int i = 0; i < ENDPOINTS_PER_CLIENT; i++) {
                m.endpointNames.add("e" + c + "-" + i);
            }
            models.add(m);
        }
        agent = new AgentChild(host.path(), data, AgentChild.freePort()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (NetkeeperClient c : clients) {
                c.close();
            }
            if (agent != null) {
                agent.close();
            }
            models.forEach(m -> ThrowawayNamespace.removeLeftovers(m.paths));
        } finally {
            host.close();
            AgentChild.deleteTree(data);
        }
    }

    @Test
    void afterAKillAtAnyMomentTheKernelTheListsAndTheAcknowledgementsAgree() throws Exception {
        long seed = Long.getLong("netkeeper.crash.seed", new Random().nextLong());
        int rounds = Integer.getInteger("netkeeper.crash.rounds", 3);
        Random random = new Random(seed);
        String replay = "seed " + seed + " (replay the workload with -Dnetkeeper.crash.seed=" + seed + ")";
        System.out.println("RandomCrashTest: " + replay + ", " + rounds + " round(s)");

        ClientSettings settings = ClientSettings.defaults().withTimeout(Duration.ofSeconds(4)).withAttempts(1)
                .withPrincipal("random-crash").withCredentials(agent.clientCredentials("random-crash"));
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(NetkeeperClient.connect(agent.address(), settings));
        }
        clients.get(0).newNetwork("bridge", NETWORK, NetworkOptions.builder().subnet("10.96.0.0/16").build());

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int round = 1; round <= rounds; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Random own = new Random(random.nextLong());
                    ClientModel m = models.get(c);
                    NetkeeperClient client = clients.get(c);
                    running.add(pool.submit(() -> work(client, m, own, stop)));
                }
                Thread.sleep(300 + random.nextInt(2200));
                agent.kill();
                stop.set(true);
                for (Future<?> f : running) {
                    f.get();
                }
                agent = agent.again().start();
                clients.forEach(RandomCrashTest::awaitReachable);

                List<String> violations = awaitConsistent();
                int ops = models.stream().mapToInt(m -> m.acknowledged).sum();
                System.out.printf("RandomCrashTest round %d: %d acknowledged so far, refused %s, open at the kill: %s,"
                                + " violations %d%n", round, ops, refusals(),
                        models.stream().map(m -> String.valueOf(m.open)).toList(), violations.size());
                if (!violations.isEmpty()) {
                    fail("round " + round + ", " + replay + ": " + violations.size() + " violation(s)\n  "
                            + String.join("\n  ", violations) + "\nagent log:\n" + tail(agent.output()));
                }
                models.forEach(m -> m.open = null);
                for (String ns : placedNamespaces()) {
                    if (!IpOracle.pingEventually(nsName(ns), GATEWAY, 5000)) {
                        fail("round " + round + ", " + replay + ": " + ns + " does not ping the gateway");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- the workload --------------------------------------------------------------------------------

    /** Runs random valid operations until {@code stop}, or until one ends without a clear answer. */
    private static void work(NetkeeperClient client, ClientModel m, Random random, AtomicBoolean stop) {
        while (!stop.get() && m.open == null) {
            Op op = choose(m, random);
            try {
                apply(client, m, op);
                m.acknowledged++;
            } catch (NetkeeperException e) {
                if (cutShort(e.code())) {
                    m.open = op; // it may have happened or not: the agent's lists tell after the restart
                } else {
                    m.refused.merge(e.code(), 1, Integer::sum); // nothing of it may show (checked like the rest)
                }
            } catch (RuntimeException e) {
                m.open = op;
            }
        }
    }

    /** Until the client reaches the restarted agent (its first call finds the new gateway). */
    private static void awaitReachable(NetkeeperClient client) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                client.hosts();
                return;
            } catch (NetkeeperException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Answers that do not say whether the operation happened. */
    private static boolean cutShort(ErrorCode code) {
        return code == ErrorCode.TIMEOUT || code == ErrorCode.HOST_UNAVAILABLE || code == ErrorCode.JOURNAL
                || code == ErrorCode.INTERNAL || code == ErrorCode.KERNEL;
    }

    private static Op choose(ClientModel m, Random random) {
        List<Op> possible = new ArrayList<>();
        for (String p : m.paths) {
            possible.add(new Op(m.namespaces.contains(p) ? "ns-delete" : "ns-create", p, null, null));
        }
        for (String e : m.endpointNames) {
            Placed placed = m.endpoints.get(e);
            if (placed == null) {
                possible.add(new Op("link", null, e, null));
                for (String p : m.namespaces) {
                    possible.add(new Op("linkns", p, e, null));
                }
                continue;
            }
            possible.add(new Op("unlink", null, e, null));
            possible.add(new Op(m.publishing.contains(e) ? "unpublish" : "publish", null, e, null));
            if (placed.path() != null) {
                possible.add(new Op("remove", placed.path(), e, placed.iface().dstName()));
                possible.add(new Op("remove", placed.path(), e, placed.iface().dstName()));
            } else {
                for (String p : m.namespaces) {
                    possible.add(new Op("add", p, e, null));
                    possible.add(new Op("add", p, e, null));
                }
            }
        }
        return possible.get(random.nextInt(possible.size()));
    }

    /** A namespace deleted: the endpoints born in it are released with it; the interfaces added to it go back to the host. */
    private static void namespaceGone(ClientModel m, String path) {
        m.endpoints.entrySet().stream().filter(x -> path.equals(x.getValue().path()) && x.getValue().born())
                .forEach(x -> m.publishing.remove(x.getKey()));
        m.endpoints.values().removeIf(p -> path.equals(p.path()) && p.born());
        m.endpoints.replaceAll((e, p) -> path.equals(p.path()) ? new Placed(p.iface(), null) : p);
    }

    private static void apply(NetkeeperClient client, ClientModel m, Op op) {
        switch (op.kind()) {
            case "ns-create" -> {
                client.newNetworkNamespace(op.path());
                m.namespaces.add(op.path());
            }
            case "ns-delete" -> {
                client.namespace(op.path()).delete();
                m.namespaces.remove(op.path());
                namespaceGone(m, op.path());
            }
            case "link" -> m.endpoints.put(op.endpoint(), new Placed(client.network(NETWORK).link(op.endpoint()).get(0), null));
            case "linkns" -> m.endpoints.put(op.endpoint(), new Placed(client.network(NETWORK).link(op.endpoint(),
                    LinkOptions.into(op.path())).get(0), op.path(), true));
            case "unlink" -> {
                client.network(NETWORK).unlink(op.endpoint());
                m.endpoints.remove(op.endpoint());
                m.publishing.remove(op.endpoint());
            }
            case "publish" -> {
                client.network(NETWORK).publish(op.endpoint(), PortMapping.tcp(portOf(op.endpoint()), 80));
                m.publishing.add(op.endpoint());
            }
            case "unpublish" -> {
                client.network(NETWORK).unpublish(op.endpoint(), PortMapping.hostSide(portOf(op.endpoint()) + "/tcp"));
                m.publishing.remove(op.endpoint());
            }
            case "add" -> {
                // "eth": the namespace picks the lowest free ethN (a name of an earlier placement may be taken now)
                Interface added = client.namespace(op.path()).addInterface(
                        m.endpoints.get(op.endpoint()).iface().withDstName("eth"));
                m.endpoints.put(op.endpoint(), new Placed(added, op.path()));
            }
            case "remove" -> {
                client.namespace(op.path()).removeInterface(op.dstName());
                Placed p = m.endpoints.get(op.endpoint());
                m.endpoints.put(op.endpoint(), new Placed(p.iface(), null));
            }
            default -> throw new IllegalArgumentException(op.kind());
        }
    }

    // ---- the invariants ------------------------------------------------------------------------------

    /** Polls until every invariant holds or the time is up; the violations of the last look. */
    private List<String> awaitConsistent() throws InterruptedException {
        long deadline = System.nanoTime() + CONSISTENT_WITHIN.toNanos();
        List<String> violations;
        boolean resolved = false;
        while (true) {
            try {
                View view = View.read(clients.get(0));
                if (!resolved) {
                    models.forEach(m -> resolveOpen(m, view)); // once, from the first view the agent answers
                    resolved = true;
                }
                violations = check(view);
            } catch (NetkeeperException e) {
                violations = List.of("the agent does not answer: " + e.getMessage());
            }
            if (violations.isEmpty() || System.nanoTime() > deadline) {
                return violations;
            }
            Thread.sleep(500);
        }
    }

    /** What the agent lists: its endpoints of the network and the namespaces of this test. */
    private record View(Map<String, EndpointInfo> endpoints, Map<String, NamespaceInfo> namespaces) {
        static View read(NetkeeperClient client) {
            Map<String, EndpointInfo> endpoints = new HashMap<>();
            NetworkInfo info = client.networkInfo(NETWORK);
            info.endpoints().forEach(e -> endpoints.put(e.name(), e));
            Map<String, NamespaceInfo> namespaces = new HashMap<>();
            client.namespaces().forEach(n -> namespaces.put(n.path(), n));
            return new View(endpoints, namespaces);
        }
    }

    /** The operation a kill left open happened or not as the agent lists it now; its items are taken from the list. */
    private static void resolveOpen(ClientModel m, View view) {
        if (m.open == null) {
            return;
        }
        Op op = m.open;
        if (op.path() != null && op.kind().startsWith("ns-")) {
            if (view.namespaces().containsKey(op.path())) {
                m.namespaces.add(op.path());
            } else {
                m.namespaces.remove(op.path());
                namespaceGone(m, op.path());
            }
        }
        if (op.endpoint() != null) {
            EndpointInfo e = view.endpoints().get(op.endpoint());
            if (e == null || e.published().isEmpty()) {
                m.publishing.remove(op.endpoint());
            } else {
                m.publishing.add(op.endpoint());
            }
            if (e == null) {
                m.endpoints.remove(op.endpoint());
            } else {
                String path = e.namespace() == null ? null : e.namespace().substring(e.namespace().indexOf(':') + 1);
                Interface iface = e.interfaces().get(0);
                if (path != null) {
                    NamespaceInfo ns = view.namespaces().get(path);
                    iface = ns == null ? iface : ns.interfaces().stream()
                            .filter(i -> i.macAddress().equals(e.interfaces().get(0).macAddress())).findFirst().orElse(iface);
                }
                Placed before = m.endpoints.get(op.endpoint());
                boolean born = path != null && (op.kind().equals("linkns")
                        || before != null && before.born() && path.equals(before.path()));
                m.endpoints.put(op.endpoint(), new Placed(iface, path, born));
            }
        }
    }

    private List<String> check(View view) {
        List<String> v = new ArrayList<>();
        Set<String> ourPaths = new TreeSet<>();
        Set<String> ourEndpoints = new TreeSet<>();
        for (ClientModel m : models) {
            ourPaths.addAll(m.paths);
            ourEndpoints.addAll(m.endpointNames);
            checkAcknowledged(m, view, v);
        }
        checkLists(view, ourPaths, v);
        checkKernel(view, ourPaths, v);
        for (String e : view.endpoints().keySet()) {
            if (!ourEndpoints.contains(e)) {
                v.add("the agent lists endpoint " + e + ", which no client linked");
            }
        }
        return v;
    }

    /** Nothing acknowledged lost or changed; nothing refused shows. */
    private static void checkAcknowledged(ClientModel m, View view, List<String> v) {
        for (String p : m.paths) {
            if (m.namespaces.contains(p) != view.namespaces().containsKey(p)) {
                v.add("namespace " + p + ": acknowledged " + (m.namespaces.contains(p) ? "made" : "absent")
                        + ", the agent " + (view.namespaces().containsKey(p) ? "lists it" : "does not list it"));
            }
        }
        for (String e : m.endpointNames) {
            Placed want = m.endpoints.get(e);
            EndpointInfo got = view.endpoints().get(e);
            if ((want == null) != (got == null)) {
                v.add("endpoint " + e + ": acknowledged " + (want == null ? "absent" : "linked") + ", the agent "
                        + (got == null ? "does not list it" : "lists it"));
                continue;
            }
            if (want == null) {
                continue;
            }
            if (m.publishing.contains(e) == got.published().isEmpty()) {
                v.add("endpoint " + e + ": acknowledged " + (m.publishing.contains(e) ? "publishing" : "not publishing")
                        + " port " + portOf(e) + ", the network lists " + got.published());
            }
            Interface g = got.interfaces().get(0);
            if (!want.iface().address().equals(g.address()) || !want.iface().macAddress().equals(g.macAddress())) {
                v.add("endpoint " + e + " changed: acknowledged " + want.iface().address() + " " + want.iface().macAddress()
                        + ", listed " + g.address() + " " + g.macAddress());
            }
            String listedPath = got.namespace() == null ? null : got.namespace().substring(got.namespace().indexOf(':') + 1);
            if (!java.util.Objects.equals(want.path(), listedPath)) {
                v.add("endpoint " + e + ": acknowledged in " + want.path() + ", the network lists it in " + listedPath);
            }
            if (want.path() != null) {
                NamespaceInfo ns = view.namespaces().get(want.path());
                boolean there = ns != null && ns.interfaces().stream().anyMatch(i ->
                        i.macAddress().equals(want.iface().macAddress()) && i.dstName().equals(want.iface().dstName()));
                if (!there) {
                    v.add("endpoint " + e + ": acknowledged as " + want.iface().dstName() + " in " + want.path()
                            + ", the namespace does not list it so");
                }
            }
        }
    }

    /** The agent's own lists agree: no address or MAC twice, a placement listed by both sides. */
    private static void checkLists(View view, Set<String> ourPaths, List<String> v) {
        Map<String, String> addresses = new HashMap<>();
        Map<String, String> macs = new HashMap<>();
        for (EndpointInfo e : view.endpoints().values()) {
            Interface i = e.interfaces().get(0);
            String a = addresses.put(i.address(), e.name());
            String m = macs.put(i.macAddress(), e.name());
            if (a != null) {
                v.add("address " + i.address() + " is listed for " + a + " and " + e.name());
            }
            if (m != null) {
                v.add("MAC " + i.macAddress() + " is listed for " + m + " and " + e.name());
            }
        }
        for (NamespaceInfo ns : view.namespaces().values()) {
            if (!ourPaths.contains(ns.path())) {
                continue;
            }
            for (Interface i : ns.interfaces()) {
                String owner = macs.get(i.macAddress());
                EndpointInfo e = owner == null ? null : view.endpoints().get(owner);
                if (e == null || e.namespace() == null || !e.namespace().endsWith(":" + ns.path())) {
                    v.add("namespace " + ns.path() + " lists " + i.dstName() + " (" + i.macAddress()
                            + ") but the network does not place it there");
                }
            }
        }
    }

    /** The kernel matches the lists: the namespaces, their links and addresses, the bridge's ports. */
    private void checkKernel(View view, Set<String> ourPaths, List<String> v) {
        Map<String, String> macSeen = new HashMap<>();
        for (String p : ourPaths) {
            NamespaceInfo listed = view.namespaces().get(p);
            boolean mounted = Files.exists(Path.of(p)) && NetNamespace.isMounted(Path.of(p));
            if (listed == null) {
                if (Files.exists(Path.of(p))) {
                    v.add("a mount (or file) is at " + p + ", which the agent does not list");
                }
                continue;
            }
            if (!mounted) {
                v.add("namespace " + p + " is listed but not mounted");
                continue;
            }
            Map<String, Interface> want = new HashMap<>();
            listed.interfaces().forEach(i -> want.put(i.dstName(), i));
            Set<String> seen = new HashSet<>();
            for (JsonNode l : IpOracle.links(nsName(p))) {
                String name = l.path("ifname").asText();
                if (name.equals("lo")) {
                    continue;
                }
                String mac = l.path("address").asText();
                seen.add(name);
                String other = macSeen.put(mac, p + "/" + name);
                if (other != null) {
                    v.add("MAC " + mac + " is on " + other + " and on " + p + "/" + name);
                }
                Interface i = want.get(name);
                if (i == null) {
                    v.add(p + " holds " + name + " (" + mac + "), which it does not list");
                } else if (!i.macAddress().equals(mac)) {
                    v.add(p + "/" + name + " has MAC " + mac + ", listed " + i.macAddress());
                } else if (!IpOracle.addressesOf(nsName(p), name).contains(i.address())
                        || !IpOracle.flags(l).contains("UP")) {
                    v.add(p + "/" + name + " is not configured as listed (" + i.address() + ", up)");
                }
            }
            for (String name : want.keySet()) {
                if (!seen.contains(name)) {
                    v.add(p + " lists " + name + ", which is not in the namespace");
                }
            }
        }
        // the host: each endpoint's host end on the bridge; the container end there unless placed
        Set<String> hostEnds = new HashSet<>();
        Set<String> inHost = new HashSet<>();
        for (EndpointInfo e : view.endpoints().values()) {
            String src = e.interfaces().get(0).srcName();
            hostEnds.add("nkv" + src.substring(3));
            if (e.namespace() == null) {
                inHost.add(src);
            }
        }
        String bridge = clients.get(0).networkInfo(NETWORK).driverOptions().get("bridge.name");
        for (JsonNode l : IpOracle.links(host.name())) {
            String name = l.path("ifname").asText();
            if (name.startsWith("nkv")) {
                if (!hostEnds.remove(name)) {
                    v.add("orphan veth " + name + " in the host");
                } else if (!bridge.equals(l.path("master").asText())) {
                    v.add("host end " + name + " is not on the bridge " + bridge);
                }
            } else if (name.startsWith("nkc")) {
                if (!inHost.remove(name)) {
                    v.add("container end " + name + " is in the host, though placed or unknown");
                } else {
                    String other = macSeen.put(l.path("address").asText(), "host/" + name);
                    if (other != null) {
                        v.add("MAC " + l.path("address").asText() + " is on " + other + " and on host/" + name);
                    }
                }
            }
        }
        hostEnds.forEach(n -> v.add("host end " + n + " is missing"));
        // the host's firewall table: exactly the published ports the journal lists, to the endpoints' addresses
        Set<String> want = new TreeSet<>();
        view.endpoints().values().forEach(e -> e.published().forEach(p -> want.add("tcp . " + p.hostPort() + " : "
                + e.interfaces().get(0).address().replaceAll("/.*", "") + " . " + p.containerPort())));
        Set<String> got = new TreeSet<>();
        java.util.regex.Matcher el = java.util.regex.Pattern.compile("tcp \\. \\d+ : [0-9.]+ \\. \\d+").matcher(IpOracle.run(
                "ip", "netns", "exec", host.name(), "nft", "list map inet netkeeper dnat4").stdout());
        while (el.find()) {
            got.add(el.group());
        }
        if (!want.equals(got)) {
            v.add("the firewall table forwards " + got + ", the journal says " + want);
        }
        inHost.forEach(n -> v.add("container end " + n + " of an endpoint in no namespace is not in the host"));
    }

    /** The host port endpoint "eC-I" publishes: its own, so that clients never race for one. */
    static int portOf(String endpoint) {
        String[] ci = endpoint.substring(1).split("-");
        return 30_000 + Integer.parseInt(ci[0]) * 100 + Integer.parseInt(ci[1]);
    }

    private Map<ErrorCode, Integer> refusals() {
        Map<ErrorCode, Integer> all = new java.util.TreeMap<>();
        models.forEach(m -> m.refused.forEach((code, n) -> all.merge(code, n, Integer::sum)));
        return all;
    }

    private Set<String> placedNamespaces() {
        Set<String> out = new TreeSet<>();
        for (ClientModel m : models) {
            m.endpoints.values().stream().filter(p -> p.path() != null).forEach(p -> out.add(p.path()));
        }
        return out;
    }

    private static String nsName(String path) {
        return Path.of(path).getFileName().toString();
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
    }
}
