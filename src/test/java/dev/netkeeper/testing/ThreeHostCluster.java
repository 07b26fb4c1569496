package dev.netkeeper.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three real agents ({@code netkeeper agent}, each its own JVM) forming one cluster on 127.0.0.1 ports,
 * sharing one PostgreSQL journal (a throwaway database); each agent's "host" is a throwaway network
 * namespace of its own, with host ids alpha, beta and gamma.
 */
public final class ThreeHostCluster implements AutoCloseable {
    public static final List<String> HOSTS = List.of("alpha", "beta", "gamma");

    private final ThrowawayDatabase database;
    private final List<ThrowawayNamespace> hosts = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final List<AgentChild> agents = new ArrayList<>();
    private long formedInMillis;
    private Path caDir;
    private String seeds;
    private Map<String, String> journalEnv;

    private ThreeHostCluster(ThrowawayDatabase database) {
        this.database = database;
    }

    /** Starts the three agents at once and waits until each is an Up member. */
    public static ThreeHostCluster start() throws Exception {
        ThreeHostCluster c = new ThreeHostCluster(ThrowawayDatabase.create());
        try {
            c.boot();
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void boot() throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (String h : HOSTS) {
            hosts.add(ThrowawayNamespace.create(h));
            dataDirs.add(Files.createTempDirectory("nk-" + h + "-"));
            ports.add(AgentChild.freePort());
        }
        seeds = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        // one node CA for the three, each host's credentials issued from it as an operator does
        caDir = Files.createTempDirectory("nk-node-ca-");
        for (int i = 0; i < HOSTS.size(); i++) {
            issue(HOSTS.get(i), dataDirs.get(i).resolve("tls"));
        }
        for (int i = 0; i < HOSTS.size(); i++) {
            Map<String, String> env = new HashMap<>();
            env.put("NETKEEPER_HOST_ID", HOSTS.get(i));
            env.put("NETKEEPER_SEED_NODES", seeds);
            env.put("NETKEEPER_JOURNAL", "postgres");
            env.put("NETKEEPER_POSTGRES_URL", database.url());
            env.put("NETKEEPER_POSTGRES_USER", database.user());
            journalEnv = Map.of("NETKEEPER_JOURNAL", "postgres", "NETKEEPER_POSTGRES_URL", database.url(),
                    "NETKEEPER_POSTGRES_USER", database.user());
            // shorter than the shipped 7 s, so that the failover test is quick; a bench can ask for another
            env.put("NETKEEPER_STABLE_AFTER", System.getProperty("netkeeper.test.stable-after", "3s"));
            agents.add(new AgentChild(hosts.get(i).path(), dataDirs.get(i), ports.get(i), env));
        }
        long t0 = System.nanoTime();
        AgentChild.startTogether(agents);
        formedInMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** {@code netkeeper certs host HOST --ca <this cluster's CA> --out DIR}, in this JVM. */
    public void issue(String host, Path out) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = dev.netkeeper.cli.Main.run(List.of("certs", "host", host, "--ca", caDir.toString(), "--out",
                out.toString()), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), new java.io.PrintStream(err));
        if (code != 0) {
            throw new IllegalStateException("certs host " + host + " failed: " + err);
        }
    }

    /** A JVM client's credentials, issued from this cluster's client CA ({@code netkeeper certs client NAME}). */
    public Path clientCredentials(String name) {
        return TestClients.issue(caDir, name, caDir.resolve("clients").resolve(name));
    }

    /** The seed nodes ("host:port,..."), as a fourth agent would be given them. */
    public String seeds() {
        return seeds;
    }

    /** The environment that points an agent at this cluster's journal. */
    public Map<String, String> journalEnv() {
        return journalEnv;
    }

    /** Host {@code host}'s TLS directory (its netkeeper.tls.dir). */
    public Path tlsDir(String host) {
        return dataDirs.get(HOSTS.indexOf(host)).resolve("tls");
    }

    /** The node CA's directory (its key included). */
    public Path caDir() {
        return caDir;
    }

    /** From launching the three JVMs to the last one Up. */
    public long formedInMillis() {
        return formedInMillis;
    }

    public AgentChild agent(String host) {
        return agents.get(HOSTS.indexOf(host));
    }

    /** The throwaway namespace that plays {@code host}'s own network stack. */
    public ThrowawayNamespace hostNamespace(String host) {
        return hosts.get(HOSTS.indexOf(host));
    }

    /** Starts {@code host}'s agent again after a kill (same port, data and settings). */
    public AgentChild restart(String host) throws Exception {
        int i = HOSTS.indexOf(host);
        AgentChild again = agents.get(i).again().start();
        agents.set(i, again);
        return again;
    }

    public String logs() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < agents.size(); i++) {
            out.append("---- agent ").append(HOSTS.get(i)).append('\n').append(agents.get(i).output()).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        for (AgentChild a : agents) {
            a.close();
        }
        for (ThrowawayNamespace h : hosts) {
            h.close();
        }
        for (Path d : dataDirs) {
            AgentChild.deleteTree(d);
        }
        if (caDir != null) {
            AgentChild.deleteTree(caDir);
        }
        database.close();
    }
}
