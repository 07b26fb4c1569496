package dev.netkeeper.cluster;

import dev.netkeeper.identity.ClientCredentials;
import dev.netkeeper.identity.Credentials;
import dev.netkeeper.identity.MutualTls;
import dev.netkeeper.identity.NodeCredentials;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThreeHostCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.ThrowawayNamespace;
import java.util.concurrent.CompletableFuture;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Three agents, one cluster, one PostgreSQL journal; each agent's host is a throwaway namespace. A
 * network used on all three hosts, namespaces of one host driven through another agent, the audit log
 * read from every node, and the SIGKILL of an agent: its networks move to the survivors, its host's
 * namespaces are refused fast meanwhile, and when it comes back its kernel is converged again.
 */
class ThreeHostClusterTest {
    private static final String BRIDGE = "nkmulti0";
    private static final ClientSettings CLIENT = ClientSettings.defaults().withTimeout(Duration.ofSeconds(4))
            .withAttempts(3).withPrincipal("cluster-test");

    private ThreeHostCluster cluster;
    private final List<String> paths = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = ThreeHostCluster.start();
        System.out.printf("cluster of three agents formed in %d ms%n", cluster.formedInMillis());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            cluster.close();
        } finally {
            ThrowawayNamespace.removeLeftovers(paths);
        }
    }

    @Test
    void oneNetworkOnThreeHostsDrivenFromAnyAgentSurvivesTheLossOfOne() throws Exception {
        try (NetkeeperClient alpha = NetkeeperClient.connect(cluster.agent("alpha").address(), client());
             NetkeeperClient beta = NetkeeperClient.connect(cluster.agent("beta").address(), client())) {
            assertEquals(List.of("alpha up", "beta up", "gamma up"), hostStatus(beta), "every agent sees every host");
            intrudersAreKeptOut(beta);
            rotatedCredentialsCountWithoutARestart(beta);
            Network multi = alpha.newNetwork("bridge", "multi", NetworkOptions.builder().subnet("10.97.0.0/24")
                    .driverOption("bridge.name", BRIDGE).build());

            // one network, an endpoint on each host: distinct addresses, a bridge and a veth on each host
            Map<String, Interface> byHost = new java.util.LinkedHashMap<>();
            for (String host : ThreeHostCluster.HOSTS) {
                byHost.put(host, multi.link("c-" + host, host).get(0));
            }
            assertEquals(3, byHost.values().stream().map(Interface::address).distinct().count(),
                    "addresses are unique across hosts: " + byHost);
            assertEquals(List.of(byHost.get("beta")), multi.link("c-beta", "beta"), "linked again: the same");
            assertEquals(List.of(byHost.get("beta")), multi.link("c-beta"),
                    "linked again through alpha's agent without a host: the same, not a second endpoint");
            NetkeeperException elsewhere = assertThrows(NetkeeperException.class, () -> multi.link("c-beta", "gamma"));
            assertEquals(ErrorCode.WRONG_HOST, elsewhere.code(), elsewhere.getMessage());
            for (String host : ThreeHostCluster.HOSTS) {
                String ns = cluster.hostNamespace(host).name();
                assertNotNull(IpOracle.link(ns, BRIDGE), "bridge on " + host);
                assertNotNull(IpOracle.link(ns, byHost.get(host).srcName()), "container end of c-" + host
                        + " waits in " + host + "'s kernel, not elsewhere");
            }

            // namespaces of beta and gamma, placed by commands sent to alpha
            String pathBeta = path("beta");
            Namespace onBeta = alpha.newNetworkNamespace("beta", pathBeta);
            Interface placed = onBeta.addInterface(byHost.get("beta"));
            String nsBeta = Path.of(pathBeta).getFileName().toString();
            assertTrue(IpOracle.addressesOf(nsBeta, placed.dstName()).contains(byHost.get("beta").address()));
            assertTrue(IpOracle.pingEventually(nsBeta, "10.97.0.1", 5_000), "beta's container pings its gateway");
            String pathGamma = path("gamma");
            Namespace onGamma = beta.newNetworkNamespace("gamma", pathGamma);
            onGamma.addInterface(byHost.get("gamma"));
            NetkeeperException wrong = assertThrows(NetkeeperException.class,
                    () -> onBeta.addInterface(byHost.get("alpha")));
            assertEquals(ErrorCode.WRONG_HOST, wrong.code(), wrong.getMessage());

            // one step across hosts: sent to alpha, the interface born in a namespace of gamma's
            String pathOne = path("gammaone");
            Namespace oneOnGamma = alpha.newNetworkNamespace("gamma", pathOne);
            Interface born = multi.link("c-one", "gamma", LinkOptions.into(pathOne)).get(0);
            String nsOne = Path.of(pathOne).getFileName().toString();
            assertEquals("eth0", born.dstName());
            assertTrue(IpOracle.addressesOf(nsOne, "eth0").contains(born.address()), "addressed in gamma's namespace");
            assertTrue(IpOracle.pingEventually(nsOne, "10.97.0.1", 5_000), "born on gamma, it pings gamma's gateway");
            assertEquals(List.of(born), oneOnGamma.interfaces());
            oneOnGamma.delete();
            assertTrue(eventually(() -> multi.info().endpoints().stream().noneMatch(e -> e.name().equals("c-one"))
                    ? Boolean.TRUE : null, 5_000), "deleting the namespace released the endpoint born in it");

            // the operator's form: `netkeeper --agent ALPHA ns add-interface beta:PATH multi c-cli`
            String pathCli = path("betacli");
            String alphaAddress = cluster.agent("alpha").address();
            assertEquals(0, cli("--agent", alphaAddress, "--tls", cluster.clientCredentials("cluster-test").toString(), "ns", "create", "beta:" + pathCli));
            assertEquals(0, cli("--agent", alphaAddress, "--tls", cluster.clientCredentials("cluster-test").toString(), "ns", "add-interface", "beta:" + pathCli, "multi", "c-cli"));
            String nsCli = Path.of(pathCli).getFileName().toString();
            Interface cliIface = multi.link("c-cli").get(0);
            assertTrue(IpOracle.addressesOf(nsCli, "eth0").contains(cliIface.address()),
                    "linked on beta and moved into beta's namespace by a command sent to alpha");
            assertNotNull(IpOracle.link(cluster.hostNamespace("beta").name(), "nkv" + cliIface.srcName().substring(3)));

            // the audit log reads the same from every node
            awaitSameAudit(ThreeHostCluster.HOSTS);

            // find a network whose entity runs on gamma (sharding spreads them), then SIGKILL gamma
            List<Network> networks = new ArrayList<>(List.of(multi));
            for (int i = 0; networks.stream().noneMatch(n -> n.runsOn().equals("gamma")) && i < 12; i++) {
                Network n = alpha.newNetwork("bridge", "spread" + i, NetworkOptions.builder()
                        .subnet("10.98." + i + ".0/24").build());
                n.link("s" + i, "alpha");
                n.link("g" + i, "gamma");
                networks.add(n);
            }
            Network moving = networks.stream().filter(n -> n.runsOn().equals("gamma")).findFirst()
                    .orElseThrow(() -> new AssertionError("no network runs on gamma"));
            NetworkInfo movingBefore = moving.info();
            NetworkInfo multiBefore = multi.info();

            long killedAt = System.nanoTime();
            cluster.agent("gamma").kill();

            // gamma's namespaces: a command in flight is refused with HOST_UNAVAILABLE as soon as the
            // cluster sees gamma unreachable (no waiting for the caller's timeout), later ones at once
            NetkeeperException away;
            try (NetkeeperClient patient = NetkeeperClient.connect(cluster.agent("alpha").address(),
                    client().withTimeout(Duration.ofSeconds(60)).withAttempts(1))) {
                away = assertThrows(NetkeeperException.class, () -> patient.namespace("gamma", pathGamma));
            }
            System.out.printf("gamma's namespace refused %d ms after the SIGKILL%n",
                    (System.nanoTime() - killedAt) / 1_000_000);
            assertEquals(ErrorCode.HOST_UNAVAILABLE, away.code(), away.getMessage());
            assertTrue(away.getMessage().contains("host gamma is unavailable"), away.getMessage());
            long asked = System.nanoTime();
            NetkeeperException again = assertThrows(NetkeeperException.class, () -> alpha.namespace("gamma", pathGamma));
            assertEquals(ErrorCode.HOST_UNAVAILABLE, again.code());
            assertTrue((System.nanoTime() - asked) / 1_000_000 < CLIENT.timeout().toMillis(),
                    "refused without waiting for a timeout");
            assertFalse(hostStatus(alpha).contains("gamma up"), "gamma is not up: " + hostStatus(alpha));
            Set<String> listed = new HashSet<>();
            alpha.namespaces().forEach(n -> listed.add(n.host() + ":" + n.path()));
            assertEquals(Set.of("beta:" + pathBeta, "beta:" + pathCli), listed, "the namespaces that can be used now");

            // the network that ran on gamma answers again from a survivor, recovered from PostgreSQL
            NetworkInfo movingAfter = eventually(() -> {
                try {
                    return moving.info();
                } catch (NetkeeperException e) {
                    return null;
                }
            }, 60_000);
            long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("failover: network %s answered again %d ms after gamma's SIGKILL, from %s%n",
                    moving.name(), failoverMillis, moving.runsOn());
            assertNotEquals("gamma", moving.runsOn());
            assertEquals(movingBefore, movingAfter, "nothing lost");
            eventually(() -> {
                try {
                    return multi.info();
                } catch (NetkeeperException e) {
                    return null;
                }
            }, 60_000);
            NetkeeperException noLink = assertThrows(NetkeeperException.class, () -> multi.link("late", "gamma"));
            assertEquals(ErrorCode.HOST_UNAVAILABLE, noLink.code());
            NetkeeperException noDelete = assertThrows(NetkeeperException.class, () -> multi.delete(true));
            assertEquals(ErrorCode.HOST_UNAVAILABLE, noDelete.code(), "gamma's bridge could not be removed");
            assertEquals(multiBefore, multi.info(), "nothing lost, nothing half-linked on gamma, not deleted");
            NetkeeperException movedDelete = assertThrows(NetkeeperException.class, () -> moving.delete(true));
            assertEquals(ErrorCode.HOST_UNAVAILABLE, movedDelete.code(),
                    "the moved network's new node knows gamma is gone: " + movedDelete.getMessage());
            Interface fresh = moving.link("after-failover", "alpha").get(0);
            Set<String> taken = new HashSet<>();
            movingAfter.endpoints().forEach(e -> taken.add(e.interfaces().get(0).address()));
            assertFalse(taken.contains(fresh.address()), "no address handed out twice: " + fresh.address());

            // gamma's kernel drifts while it is down; back, it rejoins and converges
            String gammaNs = cluster.hostNamespace("gamma").name();
            IpOracle.run("ip", "-n", gammaNs, "link", "del", BRIDGE);
            cluster.restart("gamma");
            JsonNode bridge = IpOracle.awaitLink(gammaNs, BRIDGE, l -> true, 30_000);
            assertNotNull(bridge, "gamma's bridge is back:\n" + cluster.logs());
            JsonNode port = IpOracle.awaitLink(gammaNs, "nkv" + byHost.get("gamma").srcName().substring(3),
                    l -> BRIDGE.equals(l.path("master").asText()), 30_000);
            assertNotNull(port);
            assertEquals(BRIDGE, port.path("master").asText(), "gamma's veth is on the bridge again");
            Namespace gammaBack = eventually(() -> {
                try {
                    return alpha.namespace("gamma", pathGamma);
                } catch (NetkeeperException e) {
                    return null;
                }
            }, 30_000);
            assertEquals(1, gammaBack.interfaces().size(), "gamma's namespace recovered with its interface");
            assertEquals(List.of("alpha up", "beta up", "gamma up"), hostStatus(alpha), "gamma is back");
            awaitSameAudit(ThreeHostCluster.HOSTS);

            // deleting the network removes its bridge on every host
            onBeta.delete();
            gammaBack.delete();
            multi.delete(true);
            for (String host : ThreeHostCluster.HOSTS) {
                assertNull(IpOracle.link(cluster.hostNamespace(host).name(), BRIDGE), "bridge gone from " + host);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
        }
    }

    /**
     * Members are who their certificates say: a node whose credentials another CA signed never joins; a node
     * certified (by the cluster's CA) as host delta that claims the role of host alpha is downed, and alpha's
     * namespaces stay on alpha.
     */
    private void intrudersAreKeptOut(NetkeeperClient client) throws Exception {
        Path ownCa = Files.createTempDirectory("nk-intruder-ca-");
        Path claimant = Files.createTempDirectory("nk-intruder-role-");
        cluster.issue("delta", claimant.resolve("tls"));
        try (ThrowawayNamespace hostA = ThrowawayNamespace.create("intra");
             ThrowawayNamespace hostB = ThrowawayNamespace.create("intrb")) {
            Map<String, String> stranger = new java.util.HashMap<>(cluster.journalEnv());
            stranger.putAll(Map.of("NETKEEPER_HOST_ID", "alpha", "NETKEEPER_SEED_NODES", cluster.seeds(),
                    "NETKEEPER_STABLE_AFTER", "3s"));
            Map<String, String> roleThief = new java.util.HashMap<>(cluster.journalEnv());
            roleThief.putAll(Map.of("NETKEEPER_HOST_ID", "delta", "NETKEEPER_ROLES", "host-alpha",
                    "NETKEEPER_SEED_NODES", cluster.seeds()));
            try (AgentChild other = new AgentChild(hostA.path(), ownCa, AgentChild.freePort(), stranger);
                 AgentChild thief = new AgentChild(hostB.path(), claimant, AgentChild.freePort(), roleThief)) {
                CompletableFuture<Throwable> refused = CompletableFuture.supplyAsync(() -> {
                    try {
                        other.start();
                        return null;
                    } catch (Exception e) {
                        return e;
                    }
                });
                try {
                    thief.start();
                } catch (IllegalStateException downedBeforeUp) {
                    // downed while joining: as good as downed once up
                }
                assertTrue(thief.exitsWithin(30_000), "the node that claims host alpha's role is downed and stops:\n"
                        + thief.output() + "\n--- alpha:\n" + cluster.agent("alpha").output().lines()
                        .filter(l -> l.contains("claims") || l.contains("proved") || l.contains("delta")).toList());
                assertTrue(thief.output().contains("its certificate is host delta's") || cluster.agent("alpha").output()
                        .contains("its certificate is host delta's") || cluster.agent("beta").output()
                        .contains("its certificate is host delta's") || cluster.agent("gamma").output()
                        .contains("its certificate is host delta's"), "a member named why it downed the thief");
                assertNotNull(refused.get(60, java.util.concurrent.TimeUnit.SECONDS),
                        "a node of another CA never becomes a member:\n" + other.output());
            }
        } finally {
            AgentChild.deleteTree(ownCa);
            AgentChild.deleteTree(claimant);
        }
        assertEquals(List.of("alpha up", "beta up", "gamma up"), eventually(() -> {
            List<String> s = hostStatus(client);
            return s.equals(List.of("alpha up", "beta up", "gamma up")) ? s : null;
        }, 20_000), "the three hosts, and no other");
    }

    /**
     * Rotation: host credentials issued again into beta's TLS directory (each file renamed into place) are what
     * beta presents to the next member and the next client that connect, with no restart; the cluster stays up.
     */
    private void rotatedCredentialsCountWithoutARestart(NetkeeperClient viaBeta) throws Exception {
        Path betaTls = cluster.tlsDir("beta");
        BigInteger before = serial(betaTls.resolve(NodeCredentials.CERT));
        cluster.issue("beta", betaTls);
        BigInteger after = serial(betaTls.resolve(NodeCredentials.CERT));
        assertNotEquals(before, after, "new credentials");
        X509Certificate nodeCa = Credentials.readCertificate(cluster.caDir().resolve(NodeCredentials.CA));
        Path probe = Files.createTempDirectory("nk-rotation-probe-");
        try {
            cluster.issue("probe", probe); // a member's credentials from the cluster's node CA
            assertEquals(after, presentedSerial(cluster.agent("beta").clusterAddress(),
                    Credentials.read(probe.resolve(NodeCredentials.KEY), probe.resolve(NodeCredentials.CERT)), nodeCa),
                    "beta's members' port presents the new certificate");
            Path client = cluster.clientCredentials("cluster-test");
            assertEquals(after, presentedSerial(cluster.agent("beta").address(),
                    Credentials.read(client.resolve(ClientCredentials.KEY), client.resolve(ClientCredentials.CERT)), nodeCa),
                    "beta's client door presents the new certificate");
        } finally {
            AgentChild.deleteTree(probe);
        }
        try (NetkeeperClient fresh = NetkeeperClient.connect(cluster.agent("beta").address(), client())) {
            assertEquals("beta", fresh.host(), "a new client's session at beta, over the new credentials");
        }
        assertEquals(List.of("alpha up", "beta up", "gamma up"), hostStatus(viaBeta), "the cluster stayed up");
    }

    private static BigInteger serial(Path certificate) {
        return Credentials.readCertificate(certificate).getSerialNumber();
    }

    /** The serial of the certificate the TLS server at "host:port" presents to a caller with {@code own}. */
    private static BigInteger presentedSerial(String hostPort, Credentials own, X509Certificate trusted) throws Exception {
        int colon = hostPort.lastIndexOf(':');
        try (SSLSocket s = (SSLSocket) MutualTls.context(own, trusted).getSocketFactory().createSocket(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static List<String> hostStatus(NetkeeperClient c) {
        return c.hosts().stream().map(h -> h.host() + " " + h.status()).toList();
    }

    /** The tests' remote client settings, with client credentials from the cluster's client CA. */
    private ClientSettings client() {
        return CLIENT.withCredentials(cluster.clientCredentials("cluster-test"));
    }

    /** Runs the CLI in this JVM; its output goes to this test's output. */
    private static int cli(String... words) {
        return dev.netkeeper.cli.Main.run(List.of(words), System.out, System.err);
    }

    /** Every node's audit log holds the same records, in the same order. */
    private void awaitSameAudit(List<String> hosts) throws Exception {
        List<List<String>> logs = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            logs.clear();
            for (String h : hosts) {
                try (NetkeeperClient c = NetkeeperClient.connect(cluster.agent(h).address(), client())) {
                    logs.add(readAll(c));
                }
            }
            if (logs.stream().distinct().count() == 1 || System.currentTimeMillis() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(logs.get(0).size() > 5, "the log has the changes: " + logs.get(0));
        for (int i = 1; i < logs.size(); i++) {
            assertEquals(logs.get(0), logs.get(i), "audit read from " + hosts.get(i) + " = from " + hosts.get(0));
        }
    }

    private static List<String> readAll(NetkeeperClient c) {
        List<String> out = new ArrayList<>();
        AuditQuery q = AuditQuery.all();
        while (true) {
            AuditPage page = c.audit(q);
            if (page.records().isEmpty()) {
                return out;
            }
            for (AuditRecord r : page.records()) {
                out.add(r.entityType() + "|" + r.entityId() + "#" + r.sequenceNr() + " " + r.event());
            }
            q = q.withAfterOffset(page.lastOffset());
        }
    }

    private static <T> T eventually(Supplier<T> attempt, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            T value = attempt.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + timeoutMillis + " ms");
    }

    private String path(String role) {
        String p = TestAgent.namespacePath(role);
        paths.add(p);
        return p;
    }
}
