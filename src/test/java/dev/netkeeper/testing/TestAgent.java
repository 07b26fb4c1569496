package dev.netkeeper.testing;

import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.cluster.AgentSettings;
import dev.netkeeper.cluster.NetkeeperNode;
import dev.netkeeper.front.ApiFront;
import dev.netkeeper.netlink.NetNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An agent inside the test's JVM whose "host" is a throwaway namespace, with its journal in a temporary
 * directory. close() stops the agent, deletes the namespaces it was asked to make (paths starting with
 * nktest-), the host namespace and the data directory.
 */
public final class TestAgent implements AutoCloseable {
    private final ThrowawayNamespace host;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private Map<String, Object> extraSettings;
    /** Paths handed out by {@link #namespacePath} in this JVM: the only ones close() may remove. */
    private static final java.util.Set<Path> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private NetkeeperNode node;
    private NetkeeperClient client;
    private ApiFront door;
    private dev.netkeeper.http.LocalApi localApi;

    private TestAgent(ThrowawayNamespace host, Path dataDir, boolean ownsDataDir, Map<String, Object> extraSettings) {
        this.host = host;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.extraSettings = extraSettings;
    }

    public static TestAgent start(String role) {
        return start(role, Map.of());
    }

    /** An agent with more settings on top of {@link #settings} (e.g. a PostgreSQL journal). */
    public static TestAgent start(String role, Map<String, Object> extraSettings) {
        try {
            TestAgent agent = new TestAgent(ThrowawayNamespace.create(role), Files.createTempDirectory("nk-agent-"), true,
                    extraSettings);
            try {
                agent.boot();
            } catch (RuntimeException e) {
                agent.close(); // the host namespace and data directory must not outlive a failed start
                throw e;
            }
            return agent;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An agent whose data directory is {@code dataDir} (the test's: it is left there when the agent closes). */
    public static TestAgent startIn(String role, Path dataDir) {
        TestAgent agent = new TestAgent(ThrowawayNamespace.create(role), dataDir, false, Map.of());
        try {
            agent.boot();
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /** Settings for an agent whose host is {@code hostNamespace} and journal is in {@code dataDir}. */
    public static Map<String, Object> settings(Path hostNamespace, Path dataDir) {
        Map<String, Object> s = new HashMap<>();
        s.put("netkeeper.host-id", "test-host");
        s.put("netkeeper.data-dir", dataDir.toString());
        s.put("netkeeper.host-namespace", hostNamespace.toString());
        // the test namespaces, and where container runtimes (Podman) mount theirs
        s.put("netkeeper.namespace-roots", List.of(ThrowawayNamespace.ROOT.toString(), "/run/netns"));
        s.put("netkeeper.ask-timeout", "10s");
        s.put("netkeeper.docker.socket", ""); // in-process agents serve no Docker plugin (DockerTest runs its own agent)
        // the namespaces' resolv.conf files stay in the test's directory unless a test asks for /etc/netns
        s.put("netkeeper.dns.netns-etc-dir", dataDir.resolve("netns-etc").toString());
        s.put("pekko.remote.artery.canonical.port", 0);
        s.put("pekko.loglevel", "WARNING");
        return s;
    }

    private void boot() {
        Map<String, Object> all = new HashMap<>(settings(host.path(), dataDir));
        all.putAll(extraSettings);
        node = NetkeeperNode.start(AgentSettings.load(all, Optional.empty()));
        client = NetkeeperClient.local(node, Duration.ofSeconds(20));
    }

    /** Stops the agent and starts it again on the same data directory and host, with {@code extra} settings instead. */
    public void restartWith(Map<String, Object> extra) {
        closeDoor();
        node.close();
        extraSettings = Map.copyOf(extra);
        boot();
    }

    /** Stops the agent, runs {@code whileDown} (its sockets gone), and starts it again with its local API. */
    public void restart(Runnable whileDown) {
        closeDoor();
        node.close();
        whileDown.run();
        boot();
        socket();
    }

    /** Stops the agent (as a clean shutdown) and starts it again on the same journal and host. */
    public void restart() {
        closeDoor();
        node.close();
        boot();
    }

    /**
     * "host:port" of the agent's client door (opened on first use, on a free loopback port), where the
     * CLI and remote clients reach it, as they reach a real agent.
     */
    public synchronized String apiAddress() {
        if (door == null) {
            door = ApiFront.start(node, com.typesafe.config.ConfigFactory.parseMap(Map.of(
                    "netkeeper.api.hostname", "127.0.0.1", "netkeeper.api.port", 0, "pekko.loglevel", "WARNING",
                    "netkeeper.tls.dir", dataDir.resolve("tls").toString())));
        }
        return door.address();
    }

    /** A JVM client's credentials, issued from this agent's client CA ({@code netkeeper certs client NAME}). */
    public Path clientCredentials(String name) {
        return TestClients.issue(dataDir.resolve("tls"), name, dataDir.resolve("clients").resolve(name));
    }

    /** The agent's local API (started on first use), on a socket in its data directory. */
    public synchronized Path socket() {
        if (localApi == null) {
            localApi = dev.netkeeper.http.LocalApi.start(node, dataDir.resolve("run").resolve("netkeeper.sock"),
                    node.metrics()::scrape,
                    dev.netkeeper.cni.CniPlugin.serving(node, dataDir.resolve("cni-spool")));
        }
        return localApi.socket();
    }

    private synchronized void closeDoor() {
        if (door != null) {
            door.close();
            door = null;
        }
        if (localApi != null) {
            localApi.close();
            localApi = null;
        }
    }

    public NetkeeperClient client() {
        return client;
    }

    public NetkeeperNode node() {
        return node;
    }

    public ThrowawayNamespace host() {
        return host;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A fresh path for a namespace this test will ask the agent to make. */
    public static String namespacePath(String role) {
        Path path = ThrowawayNamespace.ROOT.resolve(ThrowawayNamespace.PREFIX + role + "-"
                + Long.toHexString(System.nanoTime() & 0xffffff));
        HANDED_OUT.add(path);
        return path.toString();
    }

    @Override
    public void close() {
        try {
            closeDoor();
            if (node != null) {
                node.close();
            }
        } finally {
            removeTestNamespaces();
            host.close();
            if (ownsDataDir) {
                deleteTree(dataDir);
            }
        }
    }

    /**
     * Namespaces this JVM's tests had the agent make (paths from {@link #namespacePath}) and left behind.
     * Never anything else: other test runs may be working under /var/run/netns at the same time.
     */
    private void removeTestNamespaces() {
        for (Path p : HANDED_OUT) {
            if (Files.exists(p) && !ThrowawayNamespace.isLive(p)) {
                NetNamespace.delete(p);
            }
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory: best effort
        }
    }
}
