package dev.netkeeper.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Three real agents whose JVMs run inside their own throwaway host namespaces, joined by a real underlay:
 * an "underlay" namespace holds a Linux bridge ({@value #BRIDGE}); each host namespace has "ul0"
 * (192.0.2.11/24, .12, .13) on a veth pair whose other end ("ul-alpha", "ul-beta", "ul-gamma") is a port of
 * that bridge. PostgreSQL (the shared journal) runs in a fourth namespace at {@value #POSTGRES_ADDRESS},
 * on port "ul-pg". No default routes and nothing connected to the machine's own namespace.
 *
 * <p>Each agent's JVM is started through {@code nsenter --net=<host namespace>}, so its Artery (the cluster)
 * binds its underlay address; the tests drive it through its local API (a unix socket, which works across
 * network namespaces): {@link #cli}. {@link #cut} partitions a host (its frames are dropped silently on the
 * bridge, both ways); {@link #heal} undoes it.
 */
public final class UnderlayCluster implements AutoCloseable {
    public static final List<String> HOSTS = List.of("alpha", "beta", "gamma");
    /** The Artery port of every agent (each is alone in its namespace). */
    public static final int PORT = 25520;
    public static final String BRIDGE = "ulbr0";
    /** The host end of each veth pair, inside the host namespace. */
    public static final String HOST_LINK = "ul0";
    public static final String POSTGRES_ADDRESS = "192.0.2.100";
    public static final int POSTGRES_PORT = 5432;
    public static final String POSTGRES_URL = "jdbc:postgresql://" + POSTGRES_ADDRESS + ":" + POSTGRES_PORT + "/postgres";
    private static final String CUT_TABLE = "nkcut";

    private ThrowawayNamespace underlay;
    private ThrowawayNamespace pgNamespace;
    private final List<ThrowawayNamespace> hostNamespaces = new ArrayList<>();
    private final List<AgentChild> agents = new ArrayList<>();
    private final Set<String> cut = new LinkedHashSet<>();
    private Path workDir;
    private Path caDir;
    private Path pgDir;
    private Path pgBin;
    private boolean pgStarted;
    private String seeds;
    private long formedInMillis;

    private UnderlayCluster() {}

    /** Makes the underlay, starts PostgreSQL on it and the three agents at once; waits until each is up. */
    public static UnderlayCluster start() throws Exception {
        UnderlayCluster c = new UnderlayCluster();
        try {
            c.boot();
            return c;
        } catch (Exception | Error e) {
            try {
                c.close();
            } catch (Exception | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void boot() throws Exception {
        workDir = Files.createTempDirectory("nk-ul-");
        underlay = ThrowawayNamespace.create("ul");
        ip(underlay, "link", "set", "lo", "up");
        ip(underlay, "link", "add", BRIDGE, "type", "bridge");
        ip(underlay, "link", "set", BRIDGE, "up");
        for (int i = 0; i < HOSTS.size(); i++) {
            ThrowawayNamespace ns = ThrowawayNamespace.create(HOSTS.get(i));
            hostNamespaces.add(ns);
            attach(ns, "ul-" + HOSTS.get(i), underlayAddress(HOSTS.get(i)));
        }
        pgNamespace = ThrowawayNamespace.create("pg");
        attach(pgNamespace, "ul-pg", POSTGRES_ADDRESS);
        startPostgres();

        seeds = String.join(",", HOSTS.stream().map(h -> underlayAddress(h) + ":" + PORT).toList());
        // one node CA for the three, each host's credentials issued from it as an operator does
        caDir = workDir.resolve("node-ca");
        Files.createDirectories(caDir);
        for (String h : HOSTS) {
            issue(h, dataDir(h).resolve("tls"));
        }
        for (int i = 0; i < HOSTS.size(); i++) {
            String h = HOSTS.get(i);
            Map<String, String> env = new HashMap<>();
            env.put("NETKEEPER_HOST_ID", h);
            env.put("NETKEEPER_BIND_HOST", underlayAddress(h));
            env.put("NETKEEPER_SEED_NODES", seeds);
            env.put("NETKEEPER_UNDERLAY_ADDRESS", underlayAddress(h));
            env.put("NETKEEPER_JOURNAL", "postgres");
            env.put("NETKEEPER_POSTGRES_URL", POSTGRES_URL);
            env.put("NETKEEPER_POSTGRES_USER", "postgres");
            env.put("NETKEEPER_STABLE_AFTER", System.getProperty("netkeeper.test.stable-after", "3s"));
            // the client door on the host namespace's own loopback (these tests use the local API's socket)
            env.put("NETKEEPER_API_HOST", "127.0.0.1");
            Path ns = hostNamespaces.get(i).path();
            agents.add(new AgentChild(ns, dataDir(h), PORT, env).launchedWith(List.of("nsenter", "--net=" + ns)));
        }
        long t0 = System.nanoTime();
        try {
            AgentChild.startTogether(agents);
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("the agents did not all come up: " + e.getCause().getMessage()
                    + "\n" + logs(), e.getCause());
        }
        formedInMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** A veth pair: {@code bridgePort} on the underlay's bridge, "ul0" in {@code ns} with {@code address}/24. */
    private void attach(ThrowawayNamespace ns, String bridgePort, String address) {
        ip(ns, "link", "set", "lo", "up");
        ip(underlay, "link", "add", bridgePort, "mtu", "1500", "type", "veth", "peer", "name", HOST_LINK,
                "mtu", "1500", "netns", ns.name());
        ip(underlay, "link", "set", bridgePort, "master", BRIDGE);
        ip(underlay, "link", "set", bridgePort, "up");
        ip(ns, "addr", "add", address + "/24", "dev", HOST_LINK);
        ip(ns, "link", "set", HOST_LINK, "up");
    }

    private static void ip(ThrowawayNamespace ns, String... args) {
        IpOracle.ipIn(ns.name(), args);
    }

    private void startPostgres() throws IOException {
        pgBin = postgresBin();
        pgDir = Files.createTempDirectory("nk-ulpg-");
        run(30, "chown", "postgres:postgres", pgDir.toString());
        asPostgres(60, pgBin.resolve("initdb") + " -D " + pgDir.resolve("data") + " -U postgres --auth=trust -E UTF8");
        Files.writeString(pgDir.resolve("data").resolve("pg_hba.conf"),
                "\n# the underlay (UnderlayCluster)\nhost all all 192.0.2.0/24 trust\n",
                java.nio.file.StandardOpenOption.APPEND);
        pgStarted = true; // from here on close() tries to stop it
        run(60, "nsenter", "--net=" + pgNamespace.path(), "su", "-s", "/bin/sh", "postgres", "-c",
                pgBin.resolve("pg_ctl") + " -D " + pgDir.resolve("data") + " -l " + pgDir.resolve("log") + " -w -o '-p "
                        + POSTGRES_PORT + " -k " + pgDir + " -c listen_addresses=" + POSTGRES_ADDRESS + "' start");
    }

    /** Where initdb and pg_ctl are: on the PATH, else the newest /usr/lib/postgresql/N/bin. */
    private static Path postgresBin() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                return Path.of(dir);
            }
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Path found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())))
                        .orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        throw new IllegalStateException("no PostgreSQL (initdb, pg_ctl) on this machine: run bin/setup");
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void asPostgres(long timeoutSeconds, String command) {
        run(timeoutSeconds, "su", "-s", "/bin/sh", "postgres", "-c", command);
    }

    private static IpOracle.Result run(long timeoutSeconds, String... command) {
        IpOracle.Result r = IpOracle.run(timeoutSeconds, Map.of(), List.of(command));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r);
        }
        return r;
    }

    /** {@code netkeeper certs host HOST --ca <this cluster's CA> --out DIR}, in this JVM. */
    public void issue(String host, Path out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = dev.netkeeper.cli.Main.run(List.of("certs", "host", host, "--ca", caDir.toString(), "--out",
                out.toString()), new PrintStream(java.io.OutputStream.nullOutputStream()), new PrintStream(err));
        if (code != 0) {
            throw new IllegalStateException("certs host " + host + " failed: " + err);
        }
    }

    private int index(String host) {
        int i = HOSTS.indexOf(host);
        if (i < 0) {
            throw new IllegalArgumentException("no host " + host + " (hosts: " + HOSTS + ")");
        }
        return i;
    }

    private Path dataDir(String host) {
        index(host);
        return workDir.resolve(host);
    }

    /** {@code host}'s address on the underlay (its "ul0", and its agent's Artery hostname): 192.0.2.11, .12, .13. */
    public String underlayAddress(String host) {
        return "192.0.2.1" + (index(host) + 1);
    }

    /** The name of {@code host}'s port on the underlay bridge (in {@link #underlay()}): "ul-alpha"... */
    public String bridgePort(String host) {
        index(host);
        return "ul-" + host;
    }

    /** The seed nodes ("host:port,..."), as a fourth agent would be given them. */
    public String seeds() {
        return seeds;
    }

    /** The throwaway namespace that plays {@code host}'s own network stack (its agent's JVM runs in it). */
    public ThrowawayNamespace hostNamespace(String host) {
        return hostNamespaces.get(index(host));
    }

    /** The namespace of the underlay bridge. */
    public ThrowawayNamespace underlay() {
        return underlay;
    }

    /** The namespace PostgreSQL runs in ({@value #POSTGRES_ADDRESS}). */
    public ThrowawayNamespace postgresNamespace() {
        return pgNamespace;
    }

    /** The names of every namespace this cluster made (underlay, hosts, PostgreSQL's). */
    public List<String> namespaceNames() {
        List<String> names = new ArrayList<>();
        if (underlay != null) {
            names.add(underlay.name());
        }
        hostNamespaces.forEach(n -> names.add(n.name()));
        if (pgNamespace != null) {
            names.add(pgNamespace.name());
        }
        return names;
    }

    /** {@code host}'s agent's local API (a unix socket; reachable from this JVM whatever the namespace). */
    public Path socket(String host) {
        return dataDir(host).resolve("run").resolve("netkeeper.sock");
    }

    /** {@code host}'s TLS directory (its netkeeper.tls.dir). */
    public Path tlsDir(String host) {
        return dataDir(host).resolve("tls");
    }

    /** The node CA's directory (its key included). */
    public Path caDir() {
        return caDir;
    }

    public AgentChild agent(String host) {
        return agents.get(index(host));
    }

    /** Whether {@code host}'s agent process is still running. */
    public boolean alive(String host) throws InterruptedException {
        return !agent(host).exitsWithin(0);
    }

    /** From launching the three JVMs to the last one up. */
    public long formedInMillis() {
        return formedInMillis;
    }

    /** Starts {@code host}'s agent again (same data, port and settings) after a kill or its own exit. */
    public AgentChild restart(String host) throws Exception {
        int i = index(host);
        AgentChild again = agents.get(i).again();
        agents.set(i, again); // its output is what logs() shows from now on, also when it fails to start
        try {
            return again.start();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("agent " + host + " did not come up again:\n" + again.output(), e);
        }
    }

    /** SIGKILL to {@code host}'s agent; waits until it is gone. */
    public void kill(String host) throws InterruptedException {
        agent(host).kill();
    }

    /** {@code netkeeper --socket <host's socket> WORDS...} in this JVM: its exit code (output to this JVM's out/err). */
    public int cli(String host, String... words) {
        return dev.netkeeper.cli.Main.run(withSocket(host, words), System.out, System.err);
    }

    /** {@code netkeeper --socket <host's socket> WORDS...} in this JVM: its stdout; throws with stderr unless exit 0. */
    public String cliOutput(String host, String... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = dev.netkeeper.cli.Main.run(withSocket(host, words), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("netkeeper " + String.join(" ", words) + " at " + host + " exited " + code
                    + ": " + err.toString(StandardCharsets.UTF_8).strip());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<String> withSocket(String host, String... words) {
        List<String> all = new ArrayList<>(List.of("--socket", socket(host).toString()));
        all.addAll(List.of(words));
        return all;
    }

    /**
     * Partitions {@code host} from the others and from PostgreSQL: its bridge port's frames are dropped on the
     * underlay bridge, both ways, silently (nftables, bridge family, in the underlay namespace).
     */
    public synchronized void cut(String host) {
        index(host);
        cut.add(host);
        applyCuts();
    }

    /** Undoes {@link #cut} for {@code host}. */
    public synchronized void heal(String host) {
        index(host);
        cut.remove(host);
        applyCuts();
    }

    /** The hosts cut now. */
    public synchronized Set<String> cutHosts() {
        return Set.copyOf(cut);
    }

    /** Replaces the cut table whole, in one nft transaction (no table at all when nothing is cut). */
    private void applyCuts() {
        StringBuilder rules = new StringBuilder();
        // "table X" then "delete table X": removes it whether it existed or not
        rules.append("table bridge ").append(CUT_TABLE).append('\n');
        rules.append("delete table bridge ").append(CUT_TABLE).append('\n');
        if (!cut.isEmpty()) {
            rules.append("table bridge ").append(CUT_TABLE).append(" {\n  chain partition {\n")
                    .append("    type filter hook forward priority 0; policy accept;\n");
            for (String h : cut) {
                rules.append("    iifname \"").append(bridgePort(h)).append("\" drop\n");
                rules.append("    oifname \"").append(bridgePort(h)).append("\" drop\n");
            }
            rules.append("  }\n}\n");
        }
        try {
            Path file = workDir.resolve("cut.nft");
            Files.writeString(file, rules.toString());
            run(30, "nsenter", "--net=" + underlay.path(), "nft", "-f", file.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every agent's output. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < agents.size(); i++) {
            out.append("---- agent ").append(HOSTS.get(i)).append('\n').append(agents.get(i).output()).append('\n');
        }
        return out.toString();
    }

    /** PostgreSQL's log (empty before it started). */
    public String postgresLog() {
        try {
            Path log = pgDir == null ? null : pgDir.resolve("log");
            return log != null && Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read the PostgreSQL log: " + e + ")";
        }
    }

    /** Agents (at once), PostgreSQL, namespaces, directories; whatever part of it start() made. */
    @Override
    public void close() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (AgentChild a : agents) {
            stopping.add(CompletableFuture.runAsync(() -> {
                try {
                    a.close();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Void> f : stopping) {
            try {
                f.join();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (pgStarted) {
            attempt(failures, () -> asPostgres(60, pgBin.resolve("pg_ctl") + " -D " + pgDir.resolve("data")
                    + " -m fast -w stop"));
        }
        for (ThrowawayNamespace ns : hostNamespaces) {
            attempt(failures, ns::close);
        }
        if (pgNamespace != null) {
            attempt(failures, pgNamespace::close);
        }
        if (underlay != null) {
            attempt(failures, underlay::close);
        }
        if (pgDir != null) {
            attempt(failures, () -> AgentChild.deleteTree(pgDir));
        }
        if (workDir != null) {
            attempt(failures, () -> AgentChild.deleteTree(workDir));
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing the underlay cluster: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<Throwable> failures, Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            failures.add(e);
        }
    }
}
