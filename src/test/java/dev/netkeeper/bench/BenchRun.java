package dev.netkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.testing.IpOracle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark suite behind {@code bench/run}: every scenario of issue #5 in one run, each inside throwaway network
 * namespaces that it removes, and one Markdown report (table first, then where the time goes).
 *
 * <pre>BenchRun --n N --big 10000 --work DIR --out FILE [--jmh JMH_JSON] [--run-id ID] [--only floor,cni,agent,steps,big,size,cli,journal,grow]</pre>
 */
public final class BenchRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST_ID = "bench";
    /** The concurrency-1 and concurrency-16 endpoints each get a network: a Linux bridge takes at most 1023 ports. */
    private static final String NET1 = "benchnet1";
    private static final String NET16 = "benchnet16";
    /** Warm-up and traced endpoints. */
    private static final String WARM = "warmnet";
    /** Endpoints per network in the large scenario (BR_MAX_PORTS is 1024 with port 0 reserved). */
    static final int PER_BRIDGE = 1000;

    private final int n;
    private final int big;
    private final Path work;
    private final Path out;
    private final Path jmhJson;
    private final Table table = new Table();
    private final StringBuilder notes = new StringBuilder();
    private final StringBuilder profiles = new StringBuilder();
    private final Map<String, Double> v = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final long started = System.nanoTime();
    private final String loadAtStart = loadAverage();

    // kept between phases for the ratios and the breakdowns
    private KernelFloor.Result floor;
    private KernelFloor.OneStep oneStepFloor;
    private CniBench.Result cni;
    private KernelSteps steps;
    private double[] linkC1;
    private double[] addC1;
    private double[] nsC1;
    private double[] journal;
    private double[] hop;
    private double[] get;
    /** Journal writes of the probe while the concurrency-16 set-up ran. */
    private double[] journalLoaded;
    private JfrSummary setupProfile;
    private TraceSpans trace;
    private String memory;
    private String recoveryProfile;
    /** JMH scores by "Class.method" (the unit is the benchmark's: us/op here). */
    private final Map<String, Double> jmh = new LinkedHashMap<>();
    private JfrSummary bigProfile;

    /** Epoch seconds at which bench/run started (setup, build and JMH included), or 0. */
    private long scriptStarted;
    /** Phase keys to run (floor, cni, agent, steps, big); null: all. */
    private List<String> only;

    private BenchRun(int n, int big, Path work, Path out, Path jmhJson) {
        this.n = n;
        this.big = big;
        this.work = work;
        this.out = out;
        this.jmhJson = jmhJson;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Netns.runId(a.getOrDefault("run-id", Long.toHexString(System.nanoTime() & 0xffff)));
        BenchRun run = new BenchRun(Integer.parseInt(a.getOrDefault("n", "500")),
                Integer.parseInt(a.getOrDefault("big", "10000")),
                Path.of(a.getOrDefault("work", "target/bench")).toAbsolutePath(),
                Path.of(a.getOrDefault("out", "bench/results/latest.md")),
                a.containsKey("jmh") ? Path.of(a.get("jmh")) : null);
        run.scriptStarted = Long.parseLong(a.getOrDefault("started", "0"));
        run.only = a.containsKey("only") ? List.of(a.get("only").split(",")) : null;
        Thread hook = new Thread(Netns::cleanUp, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = run.runAll();
        System.exit(code);
    }

    private int runAll() throws Exception {
        Files.createDirectories(work);
        if (n > PER_BRIDGE) {
            throw new IllegalArgumentException("--n " + n + ": at most " + PER_BRIDGE + " (a Linux bridge takes 1023 ports, "
                    + "and each concurrency round puts N endpoints on one bridge network)");
        }
        List<Phase> phases = List.of(
                new Phase("floor", "kernel floor (ip -batch)", this::kernelFloor),
                new Phase("cni", "CNI bridge plugin", this::cniPlugin),
                new Phase("agent", "netkeeper set-up, recovery of " + (2 * n) + ", teardown", this::agent),
                new Phase("onestep", "one-step set-up and teardown through the local API's socket", this::oneStep),
                new Phase("steps", "kernel tasks without the agent", this::kernelSteps),
                new Phase("big", big + " endpoints: journaling, footprint, recovery", this::bigAgent),
                new Phase("size", "Link on a network of 100 vs " + big + " endpoints", this::linkAtSize),
                new Phase("cli", "the CLI as a whole process", this::cliProcess),
                new Phase("journal", "the embedded journal: H2 (earlier) vs SQLite (durable)", this::journalStores),
                new Phase("grow", "one network of 2,100 endpoints on one host: bridges that grow", this::growingBridge),
                new Phase("publish", "published ports: publish / unpublish at 0 and " + PUBLISHED + " ports, connection rate",
                        this::publishedPorts),
                new Phase("cnishim", "CNI: netkeeper's plugin vs bridge + host-local (+ portmap), podman run",
                        this::cniShim),
                new Phase("docker", "Docker: docker run --rm on a netkeeper network vs Docker's own bridge network",
                        this::dockerRuns),
                new Phase("dns", "name resolution: a network's resolver, local and forwarded names, Link to resolving",
                        this::nameResolution));
        try {
            for (Phase p : phases) {
                if (only != null && !only.contains(p.key)) {
                    continue;
                }
                long t = System.nanoTime();
                log("== " + p.name);
                try {
                    p.body.run();
                } catch (Exception | Error e) {
                    failures.add(p.name + ": " + e);
                    log("FAILED " + p.name + ": " + e);
                    e.printStackTrace();
                }
                log(String.format("== %s: %.1f s", p.name, (System.nanoTime() - t) / 1e9));
            }
        } finally {
            int left = Netns.cleanUp();
            if (left > 0) {
                log("removed " + left + " namespace(s) left by a failed phase");
            }
        }
        String md = report();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(md);
        return failures.isEmpty() ? 0 : 1;
    }

    private record Phase(String key, String name, Body body) {}

    /** docker run --rm per kind of network in the Docker phase. */
    private static final int DOCKER_RUNS = 20;

    private interface Body {
        void run() throws Exception;
    }

    private static void log(String s) {
        System.err.println("[bench] " + s);
    }

    // ---- scenario 3 --------------------------------------------------------------------------------------------

    private void kernelFloor() throws Exception {
        floor = KernelFloor.run(n, work);
        log(String.format("floor: netns add %.0f ms, host batch %.0f ms, %d in-namespace batches %.0f ms", floor.nsAddMs(),
                floor.hostMs(), n, floor.inNsMs()));
    }

    // ---- scenario 4 --------------------------------------------------------------------------------------------

    private void cniPlugin() throws Exception {
        if (!CniBench.available()) {
            throw new IllegalStateException("no CNI plugins in " + CniBench.PLUGINS
                    + " (bench/run installs Debian's containernetworking-plugins)");
        }
        cni = CniBench.run(n, 16, work);
        log(String.format("CNI: ADD seq p50 %.1f ms, c16 %.0f/s", Stats.of(cni.sequential().addMs()).p50(),
                n / (cni.concurrent().addWallMs() / 1000)));
    }

    // ---- scenarios 1, 2 and 5 (with namespaces) --------------------------------------------------------------------

    private void agent() throws Exception {
        Path host = Netns.createFresh("agent-host");
        Path data = Files.createDirectories(work.resolve("journal-agent"));
        CniBench.deleteTree(data);
        Files.createDirectories(data);
        String s1 = Netns.name("s1");
        String s16 = Netns.name("s16");
        try {
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of(), work.resolve("agent-1.log"))) {
                agent.call("network " + NET1 + " 10.210.0.0/21");
                agent.call("network " + NET16 + " 10.210.8.0/21");
                agent.call("network " + WARM + " 10.210.16.0/24");
                warmUp(agent, Netns.name("w1"));
                agent.call("jfr-start " + work.resolve("setup-c1.jfr"));
                JsonNode ns1 = agent.call("nscreate " + s1 + " 0 " + n + " 1");
                JsonNode ep1 = agent.call("endpoints " + NET1 + " " + s1 + " 0 " + n + " 1");
                agent.call("jfr-stop");
                agent.call("jfr-start " + work.resolve("setup-c16.jfr"));
                JsonNode ns16 = agent.call("nscreate " + s16 + " 0 " + n + " 16");
                agent.call("probe-bg-start");
                JsonNode ep16 = agent.call("endpoints " + NET16 + " " + s16 + " 0 " + n + " 16");
                journalLoaded = AgentProc.doubles(agent.call("probe-bg-stop").get("a"));
                agent.call("jfr-stop");
                isMountedProbe(Netns.ROOT.resolve(s16 + "-" + (n - 1)));
                nsC1 = AgentProc.doubles(ns1.get("a"));
                linkC1 = AgentProc.doubles(ep1.get("a"));
                addC1 = AgentProc.doubles(ep1.get("b"));
                setUpRows(ns1, ep1, ns16, ep16);
                JsonNode probe = agent.call("probe 200");
                journal = AgentProc.doubles(probe.get("a"));
                hop = AgentProc.doubles(probe.get("b"));
                get = AgentProc.doubles(agent.call("getprobe " + Netns.ROOT.resolve(s1 + "-0") + " 200").get("a"));
                agent.call("trace " + WARM + " " + Netns.name("t") + " 0 " + Math.min(n, 50));
                agent.kill(); // SIGKILL: the journal is all there is
            }
            trace = TraceSpans.parse(work.resolve("agent-1.log"));
            setupProfile = JfrSummary.read(work.resolve("setup-c1.jfr"));
            List<String> keys = new ArrayList<>();
            keys.add("network " + NET1);
            keys.add("network " + NET16);
            keys.add("network " + WARM);
            for (String prefix : List.of(s1, s16)) {
                for (int i = 0; i < n; i++) {
                    keys.add("namespace " + HOST_ID + ":" + Netns.ROOT.resolve(prefix + "-" + i));
                }
            }
            int endpoints = 2 * n;
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of(), work.resolve("agent-2-recovery.log"))) {
                recoveryRow("5", "recovery, " + endpoints + " endpoints with their namespaces, kernel state intact", agent,
                        keys, "rec.intact", 3000);
                agent.kill();
            }
            Path recJfr = work.resolve("recovery-namespaces.jfr");
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of("-XX:StartFlightRecording=filename="
                    + recJfr + ",settings=profile,dumponexit=true"), work.resolve("agent-2b-recovery-jfr.log"))) {
                long last = agent.awaitConverged(keys, Duration.ofMinutes(5));
                v.put("rec.intact.jfr", (last - agent.startNanos()) / 1e6);
            }
            if (Files.exists(recJfr)) {
                recoveryProfile = String.format("%n### JFR: recovery of %d endpoints with their namespaces, intact (a "
                        + "second start, with -XX:StartFlightRecording, %.2f s to converged)%n%n", endpoints,
                        v.get("rec.intact.jfr") / 1000) + JfrSummary.read(recJfr).markdown(10);
            }
            // "reboot": every namespace gone, the host namespace empty again (no bridge, no veths)
            long w = System.nanoTime();
            for (String prefix : List.of(s1, s16)) {
                for (int i = 0; i < n; i++) {
                    Netns.delete(Netns.ROOT.resolve(prefix + "-" + i));
                }
            }
            Netns.delete(host);
            host = Netns.createFresh("agent-host");
            double quiet = Netns.quiesce();
            log(String.format("wiped %d namespaces and the host in %.0f ms (kernel clean-up waited %.0f ms)", endpoints,
                    (System.nanoTime() - w) / 1e6, quiet));
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of(), work.resolve("agent-3-wiped.log"))) {
                recoveryRow("5", "recovery, " + endpoints + " endpoints with their namespaces, kernel state wiped "
                        + "(namespaces, bridge and veths re-created)", agent, keys, "rec.wiped", 5000);
                checkPlaced(s16 + "-" + (n - 1));
                warmUp(agent, Netns.name("w2"));
                agent.call("jfr-start " + work.resolve("teardown-c1.jfr"));
                JsonNode rm1 = agent.call("remove " + NET1 + " " + s1 + " 0 " + n + " 1");
                JsonNode del1 = agent.call("nsdelete " + s1 + " 0 " + n + " 1");
                agent.call("jfr-stop");
                JsonNode rm16 = agent.call("remove " + NET16 + " " + s16 + " 0 " + n + " 16");
                JsonNode del16 = agent.call("nsdelete " + s16 + " 0 " + n + " 16");
                teardownRows(rm1, del1, rm16, del16);
            }
        } finally {
            Netns.delete(host);
            CniBench.deleteTree(data);
        }
    }

    /**
     * The one-step path as a user drives it: this JVM is the client, over the local API's socket of an agent in
     * its own process (durable journal). Link with the namespace named (the interface born there, addressed, up,
     * routed; the namespaces made beforehand, not timed), at concurrency 1 and 16, each on its own network; then
     * Unlink (the pair deleted where it is, nothing moved back), c1 and c16. Beside it, the one-step kernel floor.
     */
    /** Host ports published before the second round of the publish phase. */
    static final int PUBLISHED = 10_000;

    /**
     * Publish and unpublish of one port (through the local API's socket, this JVM the client) with no port published
     * and with {@value #PUBLISHED} published on the same host (10 endpoints of 1,000 each); and the rate of TCP
     * connections to a published port from the host itself (the output hook's DNAT, one map lookup) at 10 and at
     * {@value #PUBLISHED} mappings, the per-packet claim.
     */
    private void publishedPorts() throws Exception {
        portmapBaseline();
        withFreshAgent("publish", agent -> {
            JsonNode doors = agent.call("doors");
            agent.call("network pub 10.219.0.0/22");
            String srv = Netns.name("ps");
            agent.call("nscreate " + srv + " 0 1 1");
            Path srvNs = Netns.ROOT.resolve(srv + "-0");
            try (dev.netkeeper.client.NetkeeperClient nk = dev.netkeeper.client.NetkeeperClient.overSocket(
                    Path.of(doors.get("socket").asText()), dev.netkeeper.client.ClientSettings.defaults());
                 java.net.ServerSocket listener = dev.netkeeper.testing.NsSockets.tellPeer(srvNs, 80)) {
                dev.netkeeper.client.Network net = nk.network("pub");
                net.link("srv", dev.netkeeper.api.LinkOptions.into(srvNs.toString()));
                for (int e = 0; e < 10; e++) {
                    net.link("bulk" + e);
                }
                net.link("probe");
                double[][] at0 = publishRounds(net, 40);
                net.publish("srv", dev.netkeeper.api.PortMapping.tcp(8080, 80));
                long bulk = System.nanoTime();
                for (int e = 0; e < 10; e++) {
                    net.publish("bulk" + e, bulkPorts(e));
                }
                double bulkS = (System.nanoTime() - bulk) / 1e9;
                // like with like: both rounds before any connection fills the conntrack table (unpublish walks it)
                double[][] atMany = publishRounds(net, 40);
                double rateMany = connectRate(Path.of(agent.hostNamespace()), "10.219.0.1", 8080);
                for (int e = 0; e < 10; e++) {
                    net.unpublish("bulk" + e, bulkPorts(e));
                }
                double rate1 = connectRate(Path.of(agent.hostNamespace()), "10.219.0.1", 8080);
                Stats p0 = Stats.of(at0[0]);
                Stats u0 = Stats.of(at0[1]);
                Stats pN = Stats.of(atMany[0]);
                Stats uN = Stats.of(atMany[1]);
                v.put("publish.p50.0", p0.p50());
                v.put("publish.p50.many", pN.p50());
                v.put("connect.rate.1", rate1);
                v.put("connect.rate.many", rateMany);
                String sec = "9";
                table.row(sec, "**publish** one port (claim on the host, journal, table element), through the socket, "
                        + "0 / " + PUBLISHED + " ports published", lat(p0) + " / " + lat(pN), "", "");
                table.row(sec, "**unpublish** one port (journal, element deleted, its conntrack flows deleted), 0 / "
                        + PUBLISHED + " published", lat(u0) + " / " + lat(uN), "", "");
                table.row(sec, "publishing " + PUBLISHED + " ports (10 publish calls of 1,000 mappings each)",
                        String.format("%.1f s", bulkS), "", "");
                double ratio = rateMany / rate1;
                table.row(sec, "TCP connections/s from the host to a published port, 1 / " + PUBLISHED
                        + " mappings (same rules; one map lookup per packet)", String.format("%.0f / %.0f (%.2f×)",
                        rate1, rateMany, ratio), "no slower with more ports (≥ 0.8×)", met(ratio >= 0.8));
            } finally {
                agent.call("nsdelete " + srv + " 0 1 1");
            }
        });
    }

    /** Containers per CNI round (each ADDed and DELed once sequentially, once 16 at a time, per plugin chain). */
    private static final int CNI_CONTAINERS = 100;

    /**
     * Scenario 10: netkeeper's CNI plugin (the shim, the socket, the agent) against the reference bridge + host-local
     * (+ portmap for one published port), the same containers, the same host namespace, each chain executed as a
     * runtime does; the shim's own start-to-exit cost; podman run --rm on a netkeeper, a bridge and no network.
     */
    private void cniShim() throws Exception {
        Path shim = dev.netkeeper.testing.CniShim.installed().resolve("netkeeper");
        withFreshAgent("cnishim", agent -> {
            String socket = agent.call("doors").get("socket").asText();
            String spool = Path.of(socket).resolveSibling("cni-spool").toString();
            Path host = Path.of(agent.hostNamespace());
            Path leases = work.resolve("cnishim-host-local");
            CniBench.deleteTree(leases);
            Files.createDirectories(leases);
            List<Path> containers = new ArrayList<>();
            try {
                // a runtime's every container has a new namespace (one netkeeper has seen before costs less: its entity
                // starts from a journal it has), so each round has its own: warm-up, sequential, concurrent, for the
                // plain chains and for the published-port chains; a netkeeper chain and its reference share them
                List<List<Path>> sets = new ArrayList<>();
                for (int set = 0; set < 5; set++) {
                    List<Path> one = new ArrayList<>();
                    for (int i = 0; i < (set == 0 ? 50 : CNI_CONTAINERS); i++) {
                        one.add(Netns.createFresh("c" + set + "-" + i));
                    }
                    sets.add(one);
                    containers.addAll(one);
                }
                String nkBase = "{\"cniVersion\":\"1.0.0\",\"type\":\"netkeeper\",\"socket\":\"" + socket
                        + "\",\"spool\":\"" + spool + "\",";
                java.util.function.IntFunction<String> nk = i -> nkBase + "\"name\":\"nkshim\",\"subnet\":\"10.245.0.0/16\"}";
                java.util.function.IntFunction<String> nkPort = i -> nkBase + "\"name\":\"nkshimp\",\"subnet\":\"10.246.0.0/16\","
                        + "\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":" + (31000 + i)
                        + ",\"containerPort\":80,\"protocol\":\"tcp\"}]}}";
                java.util.function.IntFunction<String> bridge = i -> "{\"cniVersion\":\"1.0.0\",\"name\":\"refbridge\","
                        + "\"type\":\"bridge\",\"bridge\":\"nkref0\",\"isGateway\":true,\"ipMasq\":false,\"ipam\":{"
                        + "\"type\":\"host-local\",\"subnet\":\"10.247.0.0/16\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}],"
                        + "\"dataDir\":\"" + leases + "\"}}";
                java.util.function.IntFunction<String> portmap = i -> "{\"cniVersion\":\"1.0.0\",\"name\":\"refbridge\","
                        + "\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"runtimeConfig\":{"
                        + "\"portMappings\":[{\"hostPort\":" + (32000 + i) + ",\"containerPort\":80,\"protocol\":\"tcp\"}]}}";
                Path plugins = CniBench.PLUGINS;
                List<CniPluginBench.Step> nkChain = List.of(new CniPluginBench.Step(shim, nk));
                List<CniPluginBench.Step> refChain = List.of(new CniPluginBench.Step(plugins.resolve("bridge"), bridge));
                CniPluginBench.run(host, sets.get(0), List.of(), nkChain, 1); // warm-up: JIT, the network made
                CniPluginBench.run(host, sets.get(0), List.of(), refChain, 1);
                CniPluginBench.Rows nkRows = CniPluginBench.run(host, sets.get(1), sets.get(2), nkChain, 16);
                CniPluginBench.Rows refRows = CniPluginBench.run(host, sets.get(1), sets.get(2), refChain, 16);
                CniPluginBench.Rows nkPortRows = CniPluginBench.run(host, sets.get(3), sets.get(4),
                        List.of(new CniPluginBench.Step(shim, nkPort)), 16);
                boolean portmapOk = PortmapBench.available();
                CniPluginBench.Rows refPortRows = portmapOk ? CniPluginBench.run(host, sets.get(3), sets.get(4), List.of(
                        new CniPluginBench.Step(plugins.resolve("bridge"), bridge),
                        new CniPluginBench.Step(plugins.resolve("portmap"), portmap)), 16) : null;
                table.row("10", "where a netkeeper CNI call's time goes: the agent's mean per public request (its metrics, "
                        + "all rounds)", agentRequestMeans(socket, List.of("network.get", "namespace.use", "link", "unlink",
                        "namespace.get", "namespace.delete")), "", "");
                double[] version = CniPluginBench.processStarts(List.of(shim.toString()), "{\"cniVersion\":\"1.0.0\"}",
                        Map.of("CNI_COMMAND", "VERSION"), 300);
                double[] trueStarts = CniPluginBench.processStarts(List.of("/bin/true"), "", Map.of(), 300);
                cniRows("netkeeper (shim → socket → agent, one-step link)", "bridge + host-local", nkRows, refRows, true);
                if (refPortRows != null) {
                    cniRows("netkeeper, one published port", "bridge + host-local + portmap", nkPortRows, refPortRows, false);
                }
                Stats sv = Stats.of(version);
                Stats st = Stats.of(trueStarts);
                v.put("cni.shim.version.p50", sv.p50());
                v.put("cni.true.p50", st.p50());
                table.row("10", "the shim's own cost: VERSION (exec, read stdin, answer, exit) vs /bin/true, 300 each, "
                                + "from this JVM", String.format("p50 %.2f ms vs %.2f ms: **%.2f ms** own", sv.p50(), st.p50(),
                                sv.p50() - st.p50()), "≤ 1 ms at the p50", met(sv.p50() - st.p50() <= 1.0));
                podmanRows(host, shim.getParent(), socket, spool, leases);
            } finally {
                Netns.deleteAll(containers);
                CniBench.deleteTree(leases);
            }
        });
    }

    /**
     * Scenario 11: a real dockerd in the bench's host namespace, {@code docker run --rm IMAGE true} on a network of
     * netkeeper's drivers (network and IPAM), on Docker's own bridge network and on none, the same dockerd, the same
     * image, {@value #DOCKER_RUNS} each after a warm-up, in rounds that alternate the three (like with like).
     */
    private void dockerRuns() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd"))) {
            table.row("11", "docker run --rm", "dockerd not installed (bin/setup installs docker.io)", "", "");
            return;
        }
        withFreshAgent("docker", agent -> {
            String socket = agent.call("doors").get("socket").asText();
            Path plugin = Path.of(agent.call("dockerplugin").get("plugin").asText());
            Path dir = Files.createTempDirectory("nkd-bench-"); // dockerd's overlay storage needs a plain filesystem
            String name = "nkbench" + Long.toHexString(System.nanoTime() & 0xffffffL);
            try (dev.netkeeper.testing.Dockerd docker = dev.netkeeper.testing.Dockerd.in(Path.of(agent.hostNamespace()),
                    dir)) {
                docker.registerPlugin(name, plugin);
                docker.start();
                docker.ok("network", "create", "-d", name, "--ipam-driver", name, "--subnet", "10.250.0.0/16", "nkdk");
                docker.ok("network", "create", "-d", "bridge", "--subnet", "10.251.0.0/16", "refdk");
                List<String> networks = List.of("nkdk", "refdk", "none");
                Map<String, double[]> runs = new java.util.HashMap<>();
                networks.forEach(n -> runs.put(n, new double[DOCKER_RUNS]));
                for (String n : networks) {
                    docker.ok("run", "--rm", "--network", n, dev.netkeeper.testing.Dockerd.IMAGE, "/bin/busybox", "true");
                }
                for (int i = 0; i < DOCKER_RUNS; i++) {
                    for (String n : networks) {
                        long t = System.nanoTime();
                        docker.ok("run", "--rm", "--network", n, dev.netkeeper.testing.Dockerd.IMAGE, "/bin/busybox", "true");
                        runs.get(n)[i] = (System.nanoTime() - t) / 1e6;
                    }
                }
                Stats nk = Stats.of(runs.get("nkdk"));
                Stats ref = Stats.of(runs.get("refdk"));
                Stats none = Stats.of(runs.get("none"));
                v.put("docker.nk.p50", nk.p50());
                v.put("docker.ref.p50", ref.p50());
                v.put("docker.none.p50", none.p50());
                double ours = nk.p50() - none.p50();
                double theirs = ref.p50() - none.p50();
                table.row("11", "docker run --rm busybox true (" + DOCKER_RUNS + " each, alternating): netkeeper network / "
                                + "Docker's bridge network / --network none",
                        String.format("p50 %.0f / %.0f / %.0f ms (p99 %.0f / %.0f / %.0f): networking costs +%.0f ms / "
                                + "+%.0f ms", nk.p50(), ref.p50(), none.p50(), nk.p99(), ref.p99(), none.p99(), ours, theirs),
                        "networking no dearer than Docker's bridge", met(ours <= theirs));
                table.row("11", "where a docker run's netkeeper time goes: the agent's mean per public request (its "
                        + "metrics, warm-up included)", agentRequestMeans(socket, List.of("pool.request-address", "link",
                        "network.get", "unlink", "pool.release-address")), "", "");
            }
        });
    }

    static final int DNS_QUERIES = 2000;
    static final int DNS_LINKS = 30;

    /**
     * Scenario 12: a network's resolver as a container uses it. A client namespace (born on the network by a one-step
     * Link) asks the gateway over UDP, one query at a time from one socket: a name of the network, a name forwarded
     * to an upstream in an "outside" namespace (each name new, so never cached; it answers NXDOMAIN at once), and one
     * forwarded name asked again (from the cache). Then the time from a Link's acknowledgement until its name
     * resolves (asked every 2 ms), which is the journal's read side: the live query's refresh interval.
     */
    private void nameResolution() throws Exception {
        withFreshAgent("dns", agent -> {
            Path outside = Netns.createFresh("dns-out");
            Path client = Path.of("/var/run/netns", Netns.name("dns-client"));
            String socket = agent.call("doors").get("socket").asText();
            Path hostNs = Path.of(agent.hostNamespace());
            try (dev.netkeeper.testing.TestUpstream upstream = upstreamFor(hostNs, outside);
                 dev.netkeeper.client.NetkeeperClient nk = dev.netkeeper.client.NetkeeperClient.overSocket(
                         Path.of(socket), dev.netkeeper.client.ClientSettings.defaults())) {
                Files.writeString(work.resolve("journal-dns").resolve("resolv.conf"),
                        "nameserver " + dev.netkeeper.testing.Uplink.OUTSIDE + "\n");
                dev.netkeeper.client.Network net = nk.newNetwork("bridge", "dnsbench",
                        dev.netkeeper.api.NetworkOptions.builder().subnet("10.253.0.0/24").build());
                nk.newNetworkNamespace(client.toString());
                net.link("client", dev.netkeeper.api.LinkOptions.into(client.toString()));
                net.link("server");
                try (dev.netkeeper.netlink.NetNamespace ns = dev.netkeeper.netlink.NetNamespace.open(client)) {
                    java.net.DatagramSocket udp = ns.call(java.net.DatagramSocket::new);
                    try (udp) {
                        udp.setSoTimeout(3000);
                        java.net.InetAddress gw = java.net.InetAddress.getByName("10.253.0.1");
                        awaitAnswer(udp, gw, "server");
                        Stats local = dnsRuns(udp, gw, i -> "server");
                        Stats forwarded = dnsRuns(udp, gw, i -> "q" + i + ".bench.example");
                        Stats cached = dnsRuns(udp, gw, i -> "cached.bench.example");
                        double[] toName = new double[DNS_LINKS];
                        for (int i = 0; i < DNS_LINKS; i++) {
                            net.link("late" + i);
                            long t = System.nanoTime();
                            awaitAnswer(udp, gw, "late" + i);
                            toName[i] = (System.nanoTime() - t) / 1e6;
                        }
                        Stats linkToName = Stats.of(toName);
                        v.put("dns.local.p50", local.p50());
                        v.put("dns.forwarded.p50", forwarded.p50());
                        v.put("dns.link.p50", linkToName.p50());
                        table.row("12", "DNS query from a container to its network's resolver (UDP, " + DNS_QUERIES
                                        + " one after another): a name of the network", lat(local),
                                "p99 ≤ 1 ms", met(local.p99() <= 1.0));
                        table.row("12", "... a name forwarded upstream (a new name each time; the upstream, in a namespace, "
                                + "answers at once) / the same forwarded name again (cached)",
                                lat(forwarded) + " / " + lat(cached), "forwarding adds ≤ 1 ms at p50",
                                met(forwarded.p50() - local.p50() <= 1.0));
                        table.row("12", "Link acknowledged → its name resolves (" + DNS_LINKS + " links, asked every 2 ms)",
                                lat(linkToName), "p99 ≤ 1 s", met(linkToName.p99() <= 1000));
                        table.row("12", "queries the upstream saw", Integer.toString(upstream.queries()), "", "");
                    }
                }
                nk.namespace(client.toString()).delete();
            } finally {
                Netns.delete(client);
                Netns.delete(outside);
            }
        });
    }

    private static dev.netkeeper.testing.TestUpstream upstreamFor(Path hostNs, Path outside) {
        dev.netkeeper.testing.Uplink.join(hostNs.getFileName().toString(), outside.getFileName().toString());
        return dev.netkeeper.testing.TestUpstream.start(outside, dev.netkeeper.testing.Uplink.OUTSIDE, Map.of());
    }

    private static Stats dnsRuns(java.net.DatagramSocket udp, java.net.InetAddress gw,
                                 java.util.function.IntFunction<String> name) throws Exception {
        double[] out = new double[DNS_QUERIES];
        for (int i = -200; i < DNS_QUERIES; i++) {
            long t = System.nanoTime();
            org.xbill.DNS.Message m = ask(udp, gw, name.apply(i + 200));
            if (m == null) {
                throw new IllegalStateException("no answer for " + name.apply(i + 200));
            }
            if (i >= 0) {
                out[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        return Stats.of(out);
    }

    private static void awaitAnswer(java.net.DatagramSocket udp, java.net.InetAddress gw, String name) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            org.xbill.DNS.Message m = ask(udp, gw, name);
            if (m != null && !m.getSection(org.xbill.DNS.Section.ANSWER).isEmpty()) {
                return;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(name + " did not resolve within 10 s");
    }

    /** One query and its answer (null when none came), skipping any late answer to an earlier one. */
    private static org.xbill.DNS.Message ask(java.net.DatagramSocket udp, java.net.InetAddress gw, String name)
            throws Exception {
        org.xbill.DNS.Message q = dev.netkeeper.testing.DnsProbe.query(name, org.xbill.DNS.Type.A);
        byte[] wire = q.toWire();
        udp.send(new java.net.DatagramPacket(wire, wire.length, gw, 53));
        java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
        try {
            while (true) {
                udp.receive(in);
                org.xbill.DNS.Message m = new org.xbill.DNS.Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                if (m.getHeader().getID() == q.getHeader().getID()) {
                    return m;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    /** "link 12.9 ms (200), ...": the mean of each request type's netkeeper_commands_seconds (ok outcomes), from /metrics. */
    private static String agentRequestMeans(String socket, List<String> requests) {
        String metrics = IpOracle.run("curl", "-s", "--unix-socket", socket, "http://netkeeper/metrics").stdout();
        List<String> parts = new ArrayList<>();
        for (String r : requests) {
            double sum = metric(metrics, "netkeeper_commands_seconds_sum{outcome=\"ok\",request=\"" + r + "\"}");
            double count = metric(metrics, "netkeeper_commands_seconds_count{outcome=\"ok\",request=\"" + r + "\"}");
            if (count > 0) {
                parts.add(String.format("%s %.1f ms (%.0f)", r, 1000 * sum / count, count));
            }
        }
        return String.join(", ", parts);
    }

    private static double metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return 0;
    }

    /** Rows for one pair of chains: ADD and DEL p50 / p99 sequential, and per-container wall time 16 at a time. */
    private void cniRows(String ours, String theirs, CniPluginBench.Rows nk, CniPluginBench.Rows ref, boolean verdicts) {
        Stats na = Stats.of(nk.addSeq());
        Stats nd = Stats.of(nk.delSeq());
        Stats ra = Stats.of(ref.addSeq());
        Stats rd = Stats.of(ref.delSeq());
        int n = nk.addSeq().length;
        double addRatio = ra.p50() / na.p50();
        double delRatio = rd.p50() / nd.p50();
        String key = verdicts ? "cni.plain" : "cni.port";
        v.put(key + ".add.p50.nk", na.p50());
        v.put(key + ".add.p50.ref", ra.p50());
        v.put(key + ".del.p50.nk", nd.p50());
        v.put(key + ".del.p50.ref", rd.p50());
        table.row("10", "CNI **ADD**, " + n + " sequential: " + ours + " / " + theirs, lat(na) + " / " + lat(ra)
                + String.format(" (%.1f×)", addRatio), verdicts ? "≥ 5× faster at the p50" : "", verdicts ? met(addRatio >= 5) : "");
        table.row("10", "CNI **DEL**, " + n + " sequential: " + ours + " / " + theirs, lat(nd) + " / " + lat(rd)
                + String.format(" (%.1f×)", delRatio), verdicts ? "≥ 5× faster at the p50" : "", verdicts ? met(delRatio >= 5) : "");
        table.row("10", "CNI ADD / DEL, " + n + " at 16 concurrent, ms per container: " + ours + " / " + theirs,
                String.format("%.2f / %.2f vs %.2f / %.2f", nk.addPerContainerConcurrent(), nk.delPerContainerConcurrent(),
                        ref.addPerContainerConcurrent(), ref.delPerContainerConcurrent()), "", "");
    }

    /** podman run --rm on a netkeeper network, on a reference bridge network and with --network none, same run. */
    private void podmanRows(Path host, Path shimDir, String socket, String spool, Path leases) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            table.row("10", "podman run --rm", "Podman not installed (bin/setup installs it)", "", "");
            return;
        }
        Path dir = Files.createTempDirectory("nk-bench-podman-"); // not under target/: overlay storage needs a plain filesystem
        String nk = "{\"cniVersion\":\"1.0.0\",\"name\":\"nkpod\",\"plugins\":[{\"type\":\"netkeeper\","
                + "\"subnet\":\"10.248.0.0/16\",\"socket\":\"" + socket + "\",\"spool\":\"" + spool + "\"}]}";
        String ref = "{\"cniVersion\":\"1.0.0\",\"name\":\"refpod\",\"plugins\":[{\"type\":\"bridge\","
                + "\"bridge\":\"nkref1\",\"isGateway\":true,\"ipMasq\":false,\"ipam\":{\"type\":\"host-local\","
                + "\"subnet\":\"10.249.0.0/16\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dataDir\":\"" + leases + "\"}}]}";
        try (dev.netkeeper.testing.Podman podman = dev.netkeeper.testing.Podman.in(host, dir,
                Map.of("nkpod.conflist", nk, "refpod.conflist", ref), List.of(shimDir, CniBench.PLUGINS))) {
            Stats none = Stats.of(CniPluginBench.podmanRuns(podman, "none", 15));
            Stats onNk = Stats.of(CniPluginBench.podmanRuns(podman, "nkpod", 15));
            Stats onRef = Stats.of(CniPluginBench.podmanRuns(podman, "refpod", 15));
            v.put("podman.none.p50", none.p50());
            v.put("podman.nk.p50", onNk.p50());
            v.put("podman.ref.p50", onRef.p50());
            table.row("10", "podman run --rm (15 each): netkeeper network / reference bridge network / --network none",
                    String.format("p50 %.0f / %.0f / %.0f ms: networking costs +%.0f ms / +%.0f ms", onNk.p50(), onRef.p50(),
                            none.p50(), onNk.p50() - none.p50(), onRef.p50() - none.p50()), "", "");
        }
    }

    /** Bulk endpoint {@code e}'s share of the {@value #PUBLISHED} ports: 20000 + e × 1000 onwards, to port 80. */
    private static dev.netkeeper.api.PortMapping[] bulkPorts(int e) {
        dev.netkeeper.api.PortMapping[] ports = new dev.netkeeper.api.PortMapping[PUBLISHED / 10];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = dev.netkeeper.api.PortMapping.tcp(20_000 + e * ports.length + i, 80);
        }
        return ports;
    }

    /** The CNI portmap plugin doing the same: its own throwaway host, one container's port at 0 and at N published. */
    private void portmapBaseline() throws Exception {
        if (!PortmapBench.available()) {
            table.row("9", "CNI portmap plugin (baseline)", "not installed (iptables, containernetworking-plugins)", "", "");
            return;
        }
        Path host = Netns.createFresh("portmap-host");
        try {
            PortmapBench.Result r = PortmapBench.run(host, PUBLISHED, 20);
            v.put("portmap.add.p50.0", r.addAt0().p50());
            v.put("portmap.add.p50.many", r.addAtMany().p50());
            table.row("9", "CNI portmap plugin ADD / DEL of one container's port (process start included), 0 published",
                    lat(r.addAt0()) + " / " + lat(r.delAt0()), "", "");
            table.row("9", "CNI portmap plugin ADD / DEL of one port, " + PUBLISHED + " published (" + r.rulesAtMany()
                    + " iptables nat rules)", lat(r.addAtMany()) + " / " + lat(r.delAtMany()), "", "");
            table.row("9", "CNI portmap plugin: " + PUBLISHED + " ports in 10 ADDs of 1,000", String.format("%.1f s",
                    r.bulkSeconds()), "", "");
        } finally {
            Netns.delete(host);
        }
    }

    /** {@code rounds} publish + unpublish of one fresh port of endpoint "probe"; their latencies (ms). */
    private static double[][] publishRounds(dev.netkeeper.client.Network net, int rounds) {
        double[] up = new double[rounds];
        double[] down = new double[rounds];
        for (int i = -5; i < rounds; i++) {
            dev.netkeeper.api.PortMapping m = dev.netkeeper.api.PortMapping.tcp(40_000 + i + 5, 80);
            long a = System.nanoTime();
            net.publish("probe", m);
            long b = System.nanoTime();
            net.unpublish("probe", m);
            long c = System.nanoTime();
            if (i >= 0) {
                up[i] = (b - a) / 1e6;
                down[i] = (c - b) / 1e6;
            }
        }
        return new double[][] {up, down};
    }

    /** TCP connections per second (each connect, one line read, close), one at a time, for 3 s, from {@code ns}. */
    private static double connectRate(Path ns, String address, int port) {
        for (int i = 0; i < 50; i++) {
            dev.netkeeper.testing.NsSockets.tcpLine(ns, address, port);
        }
        long end = System.nanoTime() + 3_000_000_000L;
        long start = System.nanoTime();
        int done = 0;
        while (System.nanoTime() < end) {
            if (dev.netkeeper.testing.NsSockets.tcpLine(ns, address, port) == null) {
                throw new IllegalStateException("no answer from the published port " + address + ":" + port);
            }
            done++;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private void oneStep() throws Exception {
        oneStepFloor = KernelFloor.oneStep(n, work);
        log(String.format("one-step floor: %.2f ms per endpoint, teardown %.2f ms (ip start %.1f ms taken out)",
                oneStepFloor.endpointMs(), oneStepFloor.teardownMs(), oneStepFloor.ipStartMs()));
        withFreshAgent("onestep", agent -> {
            JsonNode doors = agent.call("doors");
            agent.call("network os1 10.218.0.0/21");
            agent.call("network os16 10.218.8.0/21");
            String warm = Netns.name("ow");
            String p1 = Netns.name("o1");
            String p16 = Netns.name("o16");
            agent.call("nscreate " + warm + " 0 50 4");
            agent.call("nscreate " + p1 + " 0 " + n + " 4");
            agent.call("nscreate " + p16 + " 0 " + n + " 16");
            try (dev.netkeeper.client.NetkeeperClient nk = dev.netkeeper.client.NetkeeperClient.overSocket(
                    Path.of(doors.get("socket").asText()), dev.netkeeper.client.ClientSettings.defaults())) {
                dev.netkeeper.client.Network w = nk.network("os1");
                Parallel.each(50, 4, i -> w.link("w" + i, dev.netkeeper.api.LinkOptions.into(Netns.ROOT.resolve(warm + "-" + i)
                        .toString())));
                Parallel.each(50, 4, i -> w.unlink("w" + i));
                double[] up1 = new double[n];
                double[] up16 = new double[n];
                double[] down1 = new double[n];
                double[] down16 = new double[n];
                double wall1 = oneStepRound(nk.network("os1"), p1, 1, up1, down1);
                double wall16 = oneStepRound(nk.network("os16"), p16, 16, up16, down16);
                Stats s1 = Stats.of(up1);
                Stats s16 = Stats.of(up16);
                Stats t1 = Stats.of(down1);
                v.put("os.c1.p50", s1.p50());
                v.put("os.c1.p99", s1.p99());
                v.put("os.c1.mean", wall1 / n);
                v.put("os.c16.tput", n / (wall16 / 1000));
                v.put("os.td.c1.p50", t1.p50());
                String sec = "1";
                table.row(sec, "**one-step set-up**, c1, through the socket: Link into the namespace", lat(s1) + "; "
                        + rate(n / (wall1 / 1000), "endpoints/s"), "p50 ≤ 2 ms, p99 ≤ 10 ms",
                        met(s1.p50() <= 2 && s1.p99() <= 10));
                table.row(sec, "**one-step set-up**, c16, through the socket", rate(n / (wall16 / 1000), "endpoints/s")
                        + "; " + lat(s16), "≥ 800 endpoints/s", met(n / (wall16 / 1000) >= 800));
                table.row(sec, "one-step kernel floor (ip -batch: pair born in the namespace, address, up, route; "
                        + "process starts taken out)", String.format("%.2f ms per endpoint", oneStepFloor.endpointMs()), "", "");
                double ratio = (wall1 / n) / oneStepFloor.endpointMs();
                table.row(sec, "**netkeeper one-step / one-step kernel floor**, mean per endpoint, c1",
                        String.format("%.1f×", ratio), "≤ 2×", met(ratio <= 2));
                table.row("2", "**one-step teardown**: Unlink of an endpoint born in its namespace, c1 / c16", lat(t1)
                        + " / " + lat(Stats.of(down16)), "p50 ≤ 3 ms", met(t1.p50() <= 3));
                table.row("2", "one-step kernel floor teardown (ip -batch link del, process start taken out)",
                        String.format("%.2f ms per endpoint", oneStepFloor.teardownMs()), "", "");
            }
            agent.call("nsdelete " + warm + " 0 50 4");
            agent.call("nsdelete " + p1 + " 0 " + n + " 4");
            agent.call("nsdelete " + p16 + " 0 " + n + " 16");
        });
    }

    /** Links N endpoints into namespaces PREFIX-i at {@code conc}, then unlinks them; the wall time of the links. */
    private double oneStepRound(dev.netkeeper.client.Network net, String prefix, int conc, double[] up, double[] down)
            throws Exception {
        long start = System.nanoTime();
        Parallel.each(n, conc, i -> {
            long a = System.nanoTime();
            net.link(prefix + "-" + i, dev.netkeeper.api.LinkOptions.into(Netns.ROOT.resolve(prefix + "-" + i).toString()));
            up[i] = (System.nanoTime() - a) / 1e6;
        });
        double wall = (System.nanoTime() - start) / 1e6;
        checkPlaced(prefix + "-" + (n - 1));
        Parallel.each(n, conc, i -> {
            long a = System.nanoTime();
            net.unlink(prefix + "-" + i);
            down[i] = (System.nanoTime() - a) / 1e6;
        });
        return wall;
    }

    /**
     * What NetNamespace.isMounted (EnsureNamespace, ReturnInterface, every namespace's convergence) costs while this
     * run's 2N namespaces are mounted: it reads and splits all of /proc/self/mountinfo.
     */
    private void isMountedProbe(Path p) {
        double[] t = new double[200];
        for (int i = -50; i < t.length; i++) {
            long a = System.nanoTime();
            if (!dev.netkeeper.netlink.NetNamespace.isMounted(p)) {
                throw new IllegalStateException(p + " is not mounted");
            }
            if (i >= 0) {
                t[i] = (System.nanoTime() - a) / 1e6;
            }
        }
        v.put("ismounted.p50", Stats.of(t).p50());
        v.put("mountinfo.lines", (double) KernelSteps.mountinfoLines());
    }

    /** 30 endpoints set up and torn down, untimed: JIT, connection pool, sharding regions, namespace handles. */
    private void warmUp(AgentProc agent, String prefix) throws Exception {
        agent.call("nscreate " + prefix + " 0 30 4");
        agent.call("endpoints " + WARM + " " + prefix + " 0 30 4");
        agent.call("remove " + WARM + " " + prefix + " 0 30 4");
        agent.call("nsdelete " + prefix + " 0 30 4");
    }

    private void checkPlaced(String ns) {
        List<String> addrs = IpOracle.addressesOf(ns, "eth0");
        if (addrs.isEmpty()) {
            throw new IllegalStateException("after recovery " + ns + " has no addressed eth0");
        }
    }

    private void setUpRows(JsonNode ns1, JsonNode ep1, JsonNode ns16, JsonNode ep16) {
        double[] l1 = AgentProc.doubles(ep1.get("a"));
        double[] a1 = AgentProc.doubles(ep1.get("b"));
        double[] e1 = Stats.sum(l1, a1);
        double[] l16 = AgentProc.doubles(ep16.get("a"));
        double[] a16 = AgentProc.doubles(ep16.get("b"));
        double[] e16 = Stats.sum(l16, a16);
        Stats s1 = Stats.of(e1);
        Stats s16 = Stats.of(e16);
        double t1 = n / (ep1.get("wallMs").asDouble() / 1000);
        double t16 = n / (ep16.get("wallMs").asDouble() / 1000);
        v.put("ep.c1.p50", s1.p50());
        v.put("ep.c1.p99", s1.p99());
        v.put("ep.c1.mean", ep1.get("wallMs").asDouble() / n);
        v.put("ep.c16.mean", ep16.get("wallMs").asDouble() / n);
        v.put("ep.c1.tput", t1);
        v.put("ep.c16.tput", t16);
        v.put("ep.c16.p50", s16.p50());
        v.put("ns.c1.mean", ns1.get("wallMs").asDouble() / n);
        v.put("ns.c16.mean", ns16.get("wallMs").asDouble() / n);
        v.put("link.c1.p50", Stats.of(l1).p50());
        v.put("add.c1.p50", Stats.of(a1).p50());
        String sec = "1";
        table.row(sec, "endpoint set-up, concurrency 1: Link + AddInterface per endpoint", lat(s1) + "; "
                + rate(t1, "endpoints/s"), "p50 ≤ 2 ms, p99 ≤ 10 ms", met(s1.p50() <= 2 && s1.p99() <= 10));
        table.row(sec, "… of which Link / AddInterface (p50 / p99)", lat(Stats.of(l1)) + " / " + lat(Stats.of(a1)), "", "");
        table.row(sec, "endpoint set-up, concurrency 16: Link + AddInterface", rate(t16, "endpoints/s") + "; " + lat(s16),
                "≥ 500 endpoints/s", met(t16 >= 500));
        table.row(sec, "… of which Link / AddInterface (p50 / p99)", lat(Stats.of(l16)) + " / " + lat(Stats.of(a16)), "", "");
        Stats n1 = Stats.of(AgentProc.doubles(ns1.get("a")));
        Stats n16 = Stats.of(AgentProc.doubles(ns16.get("a")));
        table.row(sec, "namespace create through netkeeper (reported separately, not in the rows above), c1 / c16",
                lat(n1) + "; " + rate(n / (ns1.get("wallMs").asDouble() / 1000), "/s") + " / " + lat(n16) + "; "
                        + rate(n / (ns16.get("wallMs").asDouble() / 1000), "/s"), "", "");
        table.row(sec, "full endpoint incl. its namespace, mean per endpoint c1 / c16",
                String.format("%.2f / %.2f ms", v.get("ns.c1.mean") + v.get("ep.c1.mean"),
                        v.get("ns.c16.mean") + v.get("ep.c16.mean")), "", "");
    }

    private void teardownRows(JsonNode rm1, JsonNode del1, JsonNode rm16, JsonNode del16) {
        String sec = "2";
        double[] r1 = Stats.sum(AgentProc.doubles(rm1.get("a")), AgentProc.doubles(rm1.get("b")));
        double[] r16 = Stats.sum(AgentProc.doubles(rm16.get("a")), AgentProc.doubles(rm16.get("b")));
        double t1 = n / (rm1.get("wallMs").asDouble() / 1000);
        double t16 = n / (rm16.get("wallMs").asDouble() / 1000);
        v.put("td.c1.mean", rm1.get("wallMs").asDouble() / n);
        v.put("td.c16.mean", rm16.get("wallMs").asDouble() / n);
        v.put("nsdel.c1.mean", del1.get("wallMs").asDouble() / n);
        v.put("nsdel.c16.mean", del16.get("wallMs").asDouble() / n);
        table.row(sec, "teardown, concurrency 1: RemoveInterface + Unlink per endpoint", lat(Stats.of(r1)) + "; "
                + rate(t1, "endpoints/s"), "", "");
        table.row(sec, "… of which RemoveInterface / Unlink (p50 / p99)", lat(Stats.of(AgentProc.doubles(rm1.get("a"))))
                + " / " + lat(Stats.of(AgentProc.doubles(rm1.get("b")))), "", "");
        table.row(sec, "teardown, concurrency 16: RemoveInterface + Unlink", rate(t16, "endpoints/s") + "; "
                + lat(Stats.of(r16)), "", "");
        table.row(sec, "namespace delete through netkeeper (separate), c1 / c16",
                lat(Stats.of(AgentProc.doubles(del1.get("a")))) + "; " + rate(n / (del1.get("wallMs").asDouble() / 1000), "/s")
                        + " / " + rate(n / (del16.get("wallMs").asDouble() / 1000), "/s"), "", "");
    }

    /** Times one agent start to "all converged" (spawn = JVM start; up = the node is an Up cluster member). */
    private void recoveryRow(String sec, String what, AgentProc agent, List<String> keys, String key, double targetMs)
            throws Exception {
        long last = agent.awaitConverged(keys, Duration.ofMinutes(5));
        double total = (last - agent.startNanos()) / 1e6;
        v.put(key, total);
        v.put(key + ".up", agent.upMs());
        v.put(key + ".first", (agent.firstConverged(keys) - agent.startNanos()) / 1e6);
        table.row(sec, what, String.format("%.2f s from JVM start to all %d entities converged (JVM start → node up %.2f s)",
                total / 1000, keys.size(), agent.upMs() / 1000), String.format("≤ %.0f s", targetMs / 1000),
                met(total <= targetMs));
    }

    // ---- kernel tasks alone ---------------------------------------------------------------------------------------

    private void kernelSteps() {
        steps = KernelSteps.run(Math.min(n, 100));
    }

    // ---- scenarios 5 and 6 at 10,000 -----------------------------------------------------------------------------

    private void bigAgent() throws Exception {
        Path host = Netns.createFresh("big-host");
        Path data = work.resolve("journal-big");
        CniBench.deleteTree(data);
        Files.createDirectories(data);
        List<String> nets = new ArrayList<>();
        for (int i = 0; i * PER_BRIDGE < big; i++) {
            nets.add("big" + i);
        }
        List<String> keys = nets.stream().map(x -> "network " + x).toList();
        try {
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of("-XX:NativeMemoryTracking=summary"),
                    work.resolve("big-1.log"))) {
                for (int i = 0; i < nets.size(); i++) {
                    // /21s from 10.212.0.0 (2046 addresses each)
                    agent.call("network " + nets.get(i) + " 10." + (212 + i / 32) + "." + (i % 32) * 8 + ".0/21");
                }
                Footprint before = Footprint.of(agent.pid());
                agent.call("jfr-start " + work.resolve("linkmany.jfr"));
                JsonNode links = agent.call("linkmany " + String.join(",", nets) + " " + Netns.name("big") + " " + big + " 16",
                        Duration.ofMinutes(8));
                agent.call("jfr-stop");
                Footprint after = Footprint.of(agent.pid());
                double wall = links.get("wallMs").asDouble();
                Stats ls = Stats.of(AgentProc.doubles(links.get("a")));
                v.put("big.tput", big / (wall / 1000));
                table.row("5", "journaling " + big + " endpoints (Link only, no namespaces), 16 in flight, round robin over "
                                + nets.size() + " networks of ≤ " + PER_BRIDGE,
                        rate(big / (wall / 1000), "endpoints/s") + String.format(" (%.1f s); ", wall / 1000) + lat(ls),
                        "", "");
                footprintRows(before, after);
                String nmt = Netns.run("jcmd", Long.toString(agent.pid()), "VM.native_memory", "summary").stdout();
                Files.writeString(work.resolve("big-native-memory.txt"), nmt);
                Matcher m = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(nmt);
                if (m.find()) {
                    v.put("nmt.committed.mb", Long.parseLong(m.group(1)) / 1024.0);
                    table.row("6", "… JVM-tracked committed memory (Native Memory Tracking) at the same moment",
                            String.format("%.0f MB (of which heap %.0f MB); RSS then %.0f MB", v.get("nmt.committed.mb"),
                                    after.heapCommittedKb() / 1024.0, Footprint.rssKb(agent.pid()) / 1024.0), "", "");
                }
                memory = String.format("%n### Footprint: what the agent holds for %d endpoints%n%n", big)
                        + after.growth(before, 12, big);
                agent.kill();
            }
            bigProfile = JfrSummary.read(work.resolve("linkmany.jfr"));
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of(), work.resolve("big-2-recovery.log"))) {
                recoveryRow("5", "recovery, " + big + " endpoints (links only, " + nets.size() + " networks), kernel state intact", agent, keys,
                        "big.rec.intact", 5000);
                Footprint rec = Footprint.of(agent.pid());
                table.row("6", "footprint of the agent after recovering " + big + " endpoints (a fresh JVM): RSS, heap",
                        String.format("RSS %.0f MB, heap used %.1f MB of %.0f MB committed", rec.rssKb() / 1024.0,
                                rec.heapUsedKb() / 1024.0, rec.heapCommittedKb() / 1024.0), "", "");
                agent.kill();
            }
            Path jfr = work.resolve("recovery-big.jfr");
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of("-XX:StartFlightRecording=filename=" + jfr
                    + ",settings=profile,dumponexit=true"), work.resolve("big-3-recovery-jfr.log"))) {
                long last = agent.awaitConverged(keys, Duration.ofMinutes(5));
                v.put("big.rec.jfr", (last - agent.startNanos()) / 1e6);
            }
            if (Files.exists(jfr)) {
                profiles.append(String.format("%n### JFR: recovery of %d intact endpoints (a second start, with "
                        + "-XX:StartFlightRecording, %.2f s to converged)%n%n", big, v.get("big.rec.jfr") / 1000));
                profiles.append(JfrSummary.read(jfr).markdown(10));
            }
            long w = System.nanoTime();
            Netns.delete(host);
            host = Netns.createFresh("big-host");
            double quiet = Netns.quiesce();
            log(String.format("wiped the host namespace (%d veth pairs) in %.0f ms (kernel clean-up waited %.0f ms)", big,
                    (System.nanoTime() - w) / 1e6, quiet));
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of(), work.resolve("big-4-wiped.log"))) {
                recoveryRow("5", "recovery, " + big + " endpoints (links only), kernel state wiped (" + nets.size()
                        + " bridges and " + big + " veth pairs re-created)", agent, keys, "big.rec.wiped", 10000); // twice the intact target: every pair made
                agent.kill();
            }
        } finally {
            Netns.delete(host);
            CniBench.deleteTree(data);
        }
    }

    /**
     * Whether a Link costs more on a big network: one null-driver network (no kernel work, so what is measured is
     * the agent's own per-Link cost: state, allocation, journal), 200 sequential Links with ~100 endpoints on it,
     * then filled to ~big, then 200 more.
     */
    private void linkAtSize() throws Exception {
        withFreshAgent("size", agent -> {
            // the JIT warmed on a network of its own first, so that both rounds run the same compiled code
            agent.call("nullnetwork sizewarm");
            agent.call("linkmany sizewarm warm 2000 16");
            agent.call("nullnetwork size");
            agent.call("linkmany size first 100 16");
            Stats small = Stats.of(AgentProc.doubles(agent.call("linkmany size small 200 1").get("a")));
            agent.call("linkmany size fill " + Math.max(0, big - 300) + " 16", Duration.ofMinutes(8));
            Stats large = Stats.of(AgentProc.doubles(agent.call("linkmany size large 200 1").get("a")));
            v.put("size.small", small.p50());
            v.put("size.large", large.p50());
            table.row("5", "Link on one network (null driver), c1: 100 vs " + big + " endpoints already on it",
                    lat(small) + " / " + lat(large), "p50 within 1.5×", met(large.p50() <= 1.5 * small.p50()));
        });
    }

    /**
     * One bridge network filled to 2,100 endpoints on one host (bridges of 1,000: the first, then two more joined
     * by trunks): Link latency, sequential, in windows of 20 around the 1st, 1,000th, 1,100th and 2,100th endpoint
     * (the 1,001st makes the second bridge and its trunk), fills between at 16 in flight; then ping RTT from a
     * namespace on the first bridge to one on the same bridge and to one across the trunk. Addresses are handed out
     * in order (nothing released), so the n-th endpoint has the subnet's (n+1)-th address.
     */
    private void growingBridge() throws Exception {
        withFreshAgent("grow", agent -> {
            String ns = Netns.name("gra");
            String across = Netns.name("grb");
            // the JIT warmed on a network of its own first, so that every window runs the same compiled code
            agent.call("network growwarm 10.218.0.0/22");
            agent.call("linkmany growwarm w 400 16");
            agent.call("network grow 10.217.0.0/20");
            agent.call("nscreate " + ns + " 0 2 1");
            agent.call("endpoints grow " + ns + " 0 2 1"); // endpoints 1 and 2, on the first bridge
            Stats first = Stats.of(AgentProc.doubles(agent.call("linkmany grow a 20 1").get("a")));
            agent.call("linkmany grow fill1 958 16", Duration.ofMinutes(5));
            Stats thousand = Stats.of(AgentProc.doubles(agent.call("linkmany grow b 20 1").get("a")));
            double[] growing = AgentProc.doubles(agent.call("linkmany grow c 20 1").get("a"));
            Stats afterGrowth = Stats.of(growing);
            agent.call("nscreate " + across + " 0 1 1");
            agent.call("endpoints grow " + across + " 0 1 1"); // the 1,021st endpoint, on the second bridge
            agent.call("linkmany grow fill2 69 16", Duration.ofMinutes(5));
            Stats elevenHundred = Stats.of(AgentProc.doubles(agent.call("linkmany grow d 20 1").get("a")));
            agent.call("linkmany grow fill3 970 16", Duration.ofMinutes(5));
            Stats last = Stats.of(AgentProc.doubles(agent.call("linkmany grow e 20 1").get("a")));
            double same = pingRtt(ns + "-0", "10.217.0.3");
            double trunk = pingRtt(ns + "-0", "10.217.3.254");
            v.put("grow.link.2100", last.p50());
            table.row("9", "Link on one network (bridge, sequential), p50 of 20 around the 1st / 1,000th / 1,100th / "
                            + "2,100th endpoint (1,000 per bridge; fills at c16)",
                    String.format("%.2f / %.2f / %.2f / %.2f ms; the 1,001st (makes bridge 2 and its trunk) %.2f ms",
                            first.p50(), thousand.p50(), elevenHundred.p50(), last.p50(), growing[0]),
                    "2,100th within 1.5× of 1st", met(last.p50() <= 1.5 * first.p50()));
            table.row("9", "ping RTT (avg of 50) from an endpoint on the first bridge: same bridge / across the trunk",
                    String.format("%.3f / %.3f ms", same, trunk), "", "");
        });
    }

    /** The average round trip of 50 pings from namespace {@code ns} to {@code address}, in ms. */
    private static double pingRtt(String ns, String address) throws Exception {
        String out = Netns.run("ip", "netns", "exec", ns, "ping", "-q", "-c", "50", "-i", "0.01", "-W", "1", address).stdout();
        Matcher m = Pattern.compile("= [0-9.]+/([0-9.]+)/").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no RTT from " + ns + " to " + address + ": " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * The embedded stores side by side, on the same work: a Link on a null network is the journal write and the
     * actor hops around it (no kernel work), so its latency is persist → ack. c1: sequential on one network; c16:
     * 16 in flight over 16 networks (one entity persists its own events one after the other, so sharing a sync is
     * across entities). Syncs are counted by strace attached to the agent's threads for the window, bytes by the
     * process's write_bytes; each null Link journals one event.
     */
    private void journalStores() throws Exception {
        Map<String, double[]> rows = new java.util.LinkedHashMap<>();
        for (String kind : List.of("h2", "sqlite")) {
            Path host = Netns.createFresh("jr-" + kind);
            Path data = this.work.resolve("journal-store-" + kind);
            CniBench.deleteTree(data);
            Files.createDirectories(data);
            try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of("-Dnetkeeper.journal.kind=" + kind),
                    this.work.resolve("journal-" + kind + ".log"))) {
                List<String> nets = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    nets.add("jr" + i);
                    agent.call("nullnetwork jr" + i);
                }
                agent.call("linkmany " + String.join(",", nets) + " warm 800 16"); // the JIT, the pool, the files
                double[] c1 = journalWindow(agent, "jr0", "one", 300, 1);
                double[] c16 = journalWindow(agent, String.join(",", nets), "many", 1600, 16);
                rows.put(kind, new double[] {c1[0], c1[1], c16[0], c16[1], c1[2], c16[2], c1[3], c16[3]});
                agent.kill();
            } finally {
                Netns.delete(host);
                CniBench.deleteTree(data);
            }
        }
        double[] h2 = rows.get("h2");
        double[] sq = rows.get("sqlite");
        v.put("journal.sqlite.c16.p50", sq[2]);
        table.row("8", "journal write, persist → ack (null Link), c1 p50 / p99: H2 (earlier, never fsynced) vs SQLite (WAL, "
                + "synchronous=FULL)", String.format("%.2f / %.2f ms vs %.2f / %.2f ms", h2[0], h2[1], sq[0], sq[1]), "", "");
        table.row("8", "… c16 (16 networks, 16 in flight) p50 / p99", String.format("%.2f / %.2f ms vs %.2f / %.2f ms",
                h2[2], h2[3], sq[2], sq[3]), "", "");
        table.row("8", "… syncs per acknowledged event, c1 / c16", String.format("%.2f / %.2f vs %.2f / %.2f", h2[4], h2[5],
                sq[4], sq[5]), "SQLite: ≤ 1, < 1 at c16", met(sq[4] <= 1.05 && sq[5] < 1 && sq[4] > 0));
        table.row("8", "… bytes written per Link, c1 / c16", String.format("%.1f / %.1f KB vs %.1f / %.1f KB", h2[6] / 1024,
                h2[7] / 1024, sq[6] / 1024, sq[7] / 1024), "", "");
    }

    /**
     * p50, p99 (ms) and bytes written per Link of {@code n} Links, {@code conc} in flight, measured untraced; then syncs
     * per Link over another {@code n} with strace attached (ptrace slows every call, so no latency is taken there).
     */
    private double[] journalWindow(AgentProc agent, String nets, String prefix, int n, int conc) throws Exception {
        long bytes0 = writeBytes(agent.pid());
        JsonNode links = agent.call("linkmany " + nets + " " + prefix + " " + n + " " + conc, Duration.ofMinutes(5));
        long bytes = writeBytes(agent.pid()) - bytes0;
        Path summary = this.work.resolve("journal-strace-" + agent.pid() + "-" + prefix + ".txt");
        List<String> tids;
        try (var tasks = Files.list(Path.of("/proc/" + agent.pid() + "/task"))) {
            tids = tasks.map(t -> t.getFileName().toString()).toList();
        }
        Process strace = new ProcessBuilder("strace", "-f", "-c", "-e", "trace=fsync,fdatasync", "-o", summary.toString(),
                "-p", String.join(",", tids)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(1000); // attached to every thread
        agent.call("linkmany " + nets + " " + prefix + "-traced " + n + " " + conc, Duration.ofMinutes(5));
        Netns.run("kill", "-INT", Long.toString(strace.pid()));
        strace.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        long syncs = 0;
        for (String line : Files.readAllLines(summary)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && (f[f.length - 1].equals("fsync") || f[f.length - 1].equals("fdatasync"))) {
                syncs += Long.parseLong(f[3]);
            }
        }
        Stats st = Stats.of(AgentProc.doubles(links.get("a")));
        return new double[] {st.p50(), st.p99(), syncs / (double) n, bytes / (double) n};
    }

    private static long writeBytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).strip());
            }
        }
        throw new IllegalStateException("no write_bytes in /proc/" + pid + "/io");
    }

    private interface AgentWork {
        void run(AgentProc agent) throws Exception;
    }

    /** {@code work} against an agent of its own (a fresh host namespace and journal, both removed afterwards). */
    private void withFreshAgent(String role, AgentWork work) throws Exception {
        Path host = Netns.createFresh(role + "-host");
        Path data = this.work.resolve("journal-" + role);
        CniBench.deleteTree(data);
        Files.createDirectories(data);
        try (AgentProc agent = AgentProc.start(host, data, HOST_ID, List.of(), this.work.resolve(role + ".log"))) {
            work.run(agent);
            agent.kill();
        } finally {
            Netns.delete(host);
            CniBench.deleteTree(data);
        }
    }

    /**
     * {@code bin/netkeeper network ls} as a user runs it, the whole process (bash launcher, JVM start, call,
     * exit), against an agent with one network: over the local API's socket (the default) and over Artery
     * ({@code --agent}), each 15 times after one warm-up run (which builds the jar and the CDS archive if needed).
     */
    private void cliProcess() throws Exception {
        withFreshAgent("cli", agent -> {
            JsonNode doors = agent.call("doors");
            agent.call("network clinet 10.215.0.0/24");
            Stats socket = cliRuns(List.of("network", "ls", "--socket", doors.get("socket").asText()));
            Stats artery = cliRuns(List.of("network", "ls", "--agent", doors.get("agent").asText(), "--tls",
                    doors.get("tls").asText()));
            v.put("cli.socket", socket.p50());
            v.put("cli.artery", artery.p50());
            // the same Link the in-process rows measure, through the local API (this JVM as the socket's client)
            agent.call("network clisock 10.216.0.0/22");
            double[] links = new double[200];
            try (dev.netkeeper.client.NetkeeperClient nk = dev.netkeeper.client.NetkeeperClient.overSocket(
                    Path.of(doors.get("socket").asText()), dev.netkeeper.client.ClientSettings.defaults())) {
                dev.netkeeper.client.Network net = nk.network("clisock");
                for (int i = -20; i < links.length; i++) {
                    long a = System.nanoTime();
                    net.link("s" + (i + 20));
                    if (i >= 0) {
                        links[i] = (System.nanoTime() - a) / 1e6;
                    }
                }
            }
            Stats overSocket = Stats.of(links);
            v.put("link.socket", overSocket.p50());
            table.row("7", "Link (bridge, veth pair made) through the local API's socket, c1, after 20 warm-up",
                    lat(overSocket), "", "");
            table.row("7", "`bin/netkeeper network ls`, whole process, over the socket / over Artery (`--agent`)",
                    lat(socket) + " / " + lat(artery), "socket p50 ≤ 300 ms", met(socket.p50() <= 300));
        });
    }

    private static Stats cliRuns(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of("bin/netkeeper").toAbsolutePath().toString()));
        cmd.addAll(args);
        double[] t = new double[15];
        for (int i = -1; i < t.length; i++) {
            long a = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + ")");
            }
            if (i >= 0) {
                t[i] = (System.nanoTime() - a) / 1e6;
            }
        }
        return Stats.of(t);
    }

    private void footprintRows(Footprint before, Footprint after) {
        double rssPer = (after.rssKb() - before.rssKb()) * 1024.0 / big;
        double heapPer = (after.heapUsedKb() - before.heapUsedKb()) * 1024.0 / big;
        v.put("heap.per", heapPer);
        table.row("6", "footprint after " + big + " endpoints (same JVM): RSS, heap used after a full GC",
                String.format("RSS %.0f MB (%.0f MB before), heap used %.1f MB (%.1f MB before) of %.0f MB committed "
                                + "(%.0f MB before), metaspace %.0f MB",
                        after.rssKb() / 1024.0, before.rssKb() / 1024.0, after.heapUsedKb() / 1024.0,
                        before.heapUsedKb() / 1024.0, after.heapCommittedKb() / 1024.0, before.heapCommittedKb() / 1024.0,
                        after.metaspaceKb() / 1024.0), "", "");
        v.put("heap.committed.mb", after.heapCommittedKb() / 1024.0);
        v.put("heap.committed.before.mb", before.heapCommittedKb() / 1024.0);
        v.put("rss.per.kb", (after.rssKb() - before.rssKb()) / (double) big);
        v.put("heap.total.per.kb", after.heapUsedKb() / (double) big);
        table.row("6", "… per endpoint (growth over the idle agent with the network made / whole agent)",
                String.format("heap %.2f KB / %.2f KB; RSS %.2f KB / %.2f KB", heapPer / 1024,
                        after.heapUsedKb() / (double) big, rssPer / 1024, after.rssKb() / (double) big),
                "heap ≤ 4 KB per endpoint", met(heapPer <= 4096));
    }

    /**
     * Agent memory from outside: VmRSS from /proc, heap and metaspace from jcmd after a full GC (GC.run), and the
     * live-object class histogram (GC.class_histogram, bytes by class).
     */
    record Footprint(long rssKb, long heapUsedKb, long heapCommittedKb, long metaspaceKb, Map<String, Long> histogram) {
        private static final Pattern HEAP = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
        private static final Pattern COMMITTED = Pattern.compile("heap\\s+total (\\d+)K");
        private static final Pattern META = Pattern.compile("Metaspace\\s+used (\\d+)K");
        private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
        private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

        static Footprint of(long pid) throws Exception {
            Map<String, Long> histogram = new LinkedHashMap<>();
            for (String l : Netns.run("jcmd", Long.toString(pid), "GC.class_histogram").stdout().split("\n")) {
                Matcher m = ROW.matcher(l);
                if (m.find()) {
                    histogram.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
                }
            }
            Netns.run("jcmd", Long.toString(pid), "GC.run");
            String heap = Netns.run("jcmd", Long.toString(pid), "GC.heap_info").stdout();
            return new Footprint(settledRss(pid), find(HEAP, heap), find(COMMITTED, heap), find(META, heap), histogram);
        }

        static long rssKb(long pid) throws Exception {
            return find(RSS, Files.readString(Path.of("/proc/" + pid + "/status")));
        }

        /**
         * VmRSS once it has settled: G1 (JDK 17) gives memory back concurrently after a full GC, so RSS read right
         * after GC.run still counts what is about to be uncommitted. Polls until two reads 250 ms apart differ by
         * less than 1 MB (at most 6 s).
         */
        static long settledRss(long pid) throws Exception {
            long previous = rssKb(pid);
            for (int i = 0; i < 24; i++) {
                Thread.sleep(250);
                long now = rssKb(pid);
                if (Math.abs(now - previous) < 1024) {
                    return now;
                }
                previous = now;
            }
            return previous;
        }

        private static long find(Pattern p, String text) {
            Matcher m = p.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("cannot find " + p + " in:\n" + text);
            }
            return Long.parseLong(m.group(1));
        }

        /** The classes whose live bytes grew most from {@code before} to this one, as Markdown rows. */
        String growth(Footprint before, int top, int endpoints) {
            List<Map.Entry<String, Long>> d = new ArrayList<>();
            histogram.forEach((k, bytes) -> d.add(Map.entry(k, bytes - before.histogram.getOrDefault(k, 0L))));
            d.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            long h2 = 0;
            long nk = 0;
            long all = 0;
            for (Map.Entry<String, Long> e : d) {
                all += e.getValue();
                if (e.getKey().startsWith("org.h2.")) {
                    h2 += e.getValue();
                } else if (e.getKey().startsWith("dev.netkeeper.")) {
                    nk += e.getValue();
                }
            }
            StringBuilder b = new StringBuilder(String.format("Live heap growth by class (jcmd GC.class_histogram, after "
                            + "minus before): %.1f MB in all, %.0f bytes per endpoint; org.h2.* classes %.1f MB, "
                            + "dev.netkeeper.* records %.1f MB (their strings and maps are in java.* rows).%n%n"
                            + "| class | growth MB | bytes per endpoint |%n|---|---|---|%n", all / 1e6,
                    all / (double) endpoints, h2 / 1e6, nk / 1e6));
            for (Map.Entry<String, Long> e : d.subList(0, Math.min(top, d.size()))) {
                b.append(String.format("| `%s` | %.2f | %.0f |%n", e.getKey(), e.getValue() / 1e6,
                        e.getValue() / (double) endpoints));
            }
            return b.toString();
        }
    }

    // ---- the report ------------------------------------------------------------------------------------------------

    private static String lat(Stats s) {
        return String.format("p50 %.2f ms, p99 %.2f ms", s.p50(), s.p99());
    }

    private static String rate(double perSecond, String unit) {
        return String.format("%.0f %s", perSecond, unit);
    }

    /**
     * The verdict of a row, from its numbers; withheld when the machine was busy as the scenarios started (1-minute
     * load average above the number of cores: more work wanted the CPU than it has, so a miss would say nothing; the
     * bench's own build and JMH run just before count in it).
     */
    private String met(boolean ok) {
        if (machineBusy()) {
            return "withheld (load " + loadAtStart + ")";
        }
        return ok ? "met" : "**missed**";
    }

    /** A verdict in a sentence: "met", "missed", or withheld on a busy machine. */
    private String verdict(boolean ok) {
        return machineBusy() ? "verdict withheld (load " + loadAtStart + ")" : ok ? "met" : "missed";
    }

    private boolean machineBusy() {
        try {
            return Double.parseDouble(loadAtStart) > Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The 1-minute load average: other work on the machine during the run shows here. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (Exception ignored) {
            // not Linux?
        }
        String kernel = "?";
        try {
            kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (Exception ignored) {
            // idem
        }
        long memKb = 0;
        try {
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        } catch (Exception ignored) {
            // idem
        }
        return String.format("%d cores (%s), %.0f GB RAM, Linux %s, JDK %s (%s %s)",
                Runtime.getRuntime().availableProcessors(), cpu, memKb / 1024.0 / 1024.0, kernel,
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"));
    }

    private String report() throws Exception {
        ratios();
        jmhRows();
        StringBuilder b = new StringBuilder();
        b.append("# netkeeper benchmarks\n\n");
        b.append("Machine: ").append(machine()).append(". Load average (1 min) when the scenarios started: ")
                .append(loadAtStart).append(", when they ended: ").append(loadAverage())
                .append(" (other work on the machine skews the numbers; a quiet machine is below 1).  \n");
        long now = System.currentTimeMillis() / 1000;
        b.append(String.format(Locale.ROOT, "Run: `bench/run --n %d`, %s: %s scenarios %.0f s. "
                        + "N = %d endpoints per scenario; recovery at %d (with namespaces) and %d (links only) endpoints, "
                        + "footprint at %d.%n%n",
                n, ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(java.time.ZoneOffset.UTC)),
                scriptStarted > 0 ? String.format("%d s in all (apt check, build, JMH, scenarios);", now - scriptStarted) : "",
                (System.nanoTime() - started) / 1e9, n, 2 * n, big, big));
        if (!failures.isEmpty()) {
            b.append("**Phases that failed in this run:** ").append(String.join("; ", failures)).append("\n\n");
        }
        b.append(table.markdown());
        b.append("\nNotes on the table: netkeeper runs as its own JVM (BenchAgent: the real NetkeeperNode with the durable "
                + "embedded SQLite journal (WAL, synchronous=FULL) in a temp dir, host = a throwaway namespace) driven by the in-process client, "
                + "after 30 warm-up endpoints. Latencies are per endpoint as the client sees them; throughput is N / wall "
                + "time. Namespace creation and deletion are separate rows; the kernel floor and CNI rows compare "
                + "like with like (floor: with and without namespace creation; CNI ADD/DEL against Link + AddInterface / "
                + "RemoveInterface + Unlink, the container namespace being made beforehand in both). The kernel floor "
                + "includes iproute2's own start-ups (N + 2 processes, ");
        b.append(floor == null ? "?" : String.format("%.1f ms each", floor.ipStartMs()));
        b.append("). The c1 and c16 rounds each use their own bridge network, and the " + big + " endpoints are spread "
                + "over networks of " + PER_BRIDGE + ": a Linux bridge takes at most 1023 ports (BR_MAX_PORTS), and the "
                + "1024th Link on one network fails in the kernel (EXFULL, errno 54). The 2N-endpoint recovery reuses the "
                + "journal of scenario 1 (both rounds, plus the warm-up network); the " + big + "-endpoint journal holds "
                + "links only, no namespaces (namespaces at that count would take minutes to make on 2 cores). Recovery "
                + "times run from spawning the agent's JVM to the last \"converged\" line of every network and "
                + "namespace entity.\n");
        b.append(conclusions());
        b.append(findings());
        b.append(profiles);
        return b.toString();
    }

    private void ratios() {
        String sec = "3";
        if (floor != null) {
            table.row(sec, "kernel floor (ip -batch): Link + AddInterface equivalent per endpoint / namespace create",
                    String.format("%.2f ms / %.2f ms (host batch %.0f ms + %d namespace batches %.0f ms; netns add batch %.0f ms)",
                            floor.endpointMs(), floor.namespaceMs(), floor.hostMs(), n, floor.inNsMs(), floor.nsAddMs()),
                    "", "");
            table.row(sec, "kernel floor teardown per endpoint / namespace delete",
                    String.format("%.2f ms / %.2f ms", floor.teardownMs(), floor.nsDeleteMs()), "", "");
            if (v.containsKey("ep.c1.mean")) {
                double r1 = v.get("ep.c1.mean") / floor.endpointMs();
                double r16 = v.get("ep.c16.mean") / floor.endpointMs();
                table.row(sec, "**netkeeper / kernel floor**, endpoint set-up (mean per endpoint), c1 / c16",
                        String.format("%.1f× / %.1f×", r1, r16), "≤ 2.5× (both)", met(r1 <= 2.5 && r16 <= 2.5));
                double withNs = (v.get("ns.c1.mean") + v.get("ep.c1.mean")) / (floor.namespaceMs() + floor.endpointMs());
                table.row(sec, "**netkeeper / kernel floor**, with namespace creation, c1",
                        String.format("%.1f×", withNs), "", "");
            }
            if (v.containsKey("td.c1.mean")) {
                table.row(sec, "**netkeeper / kernel floor**, teardown (mean per endpoint), c1 / c16",
                        String.format("%.1f× / %.1f×", v.get("td.c1.mean") / floor.teardownMs(),
                                v.get("td.c16.mean") / floor.teardownMs()), "", "");
            }
        }
        if (cni != null) {
            sec = "4";
            Stats add = Stats.of(cni.sequential().addMs());
            Stats del = Stats.of(cni.sequential().delMs());
            double addT16 = n / (cni.concurrent().addWallMs() / 1000);
            double delT16 = n / (cni.concurrent().delWallMs() / 1000);
            table.row(sec, "CNI bridge + host-local ADD into a fresh namespace, sequential / 16 at a time",
                    lat(add) + "; " + rate(n / (cni.sequential().addWallMs() / 1000), "/s") + " / "
                            + rate(addT16, "/s") + "; " + lat(Stats.of(cni.concurrent().addMs())), "", "");
            table.row(sec, "CNI plugin start-up alone (nsenter + bridge answering CNI_COMMAND=VERSION)",
                    lat(Stats.of(cni.startMs())), "", "");
            table.row(sec, "CNI DEL, sequential / 16 at a time", lat(del) + "; " + rate(n / (cni.sequential().delWallMs() / 1000),
                    "/s") + " / " + rate(delT16, "/s"), "", "");
            if (v.containsKey("ep.c1.p50")) {
                double rp50 = add.p50() / v.get("ep.c1.p50");
                double rmean = (cni.sequential().addWallMs() / n) / v.get("ep.c1.mean");
                double r16 = (cni.concurrent().addWallMs() / n) / v.get("ep.c16.mean");
                table.row(sec, "**CNI / netkeeper**, set-up per endpoint: p50 c1 / mean c1 / mean c16",
                        String.format("%.2f× / %.2f× / %.2f×", rp50, rmean, r16), "≥ 10× (p50 c1 and mean c16)",
                        met(rp50 >= 10 && r16 >= 10));
            }
            if (v.containsKey("td.c1.mean")) {
                table.row(sec, "**CNI / netkeeper**, teardown (DEL vs RemoveInterface + Unlink), mean c1 / c16",
                        String.format("%.2f× / %.2f×", (cni.sequential().delWallMs() / n) / v.get("td.c1.mean"),
                                (cni.concurrent().delWallMs() / n) / v.get("td.c16.mean")), "", "");
            }
        }
    }

    private void jmhRows() throws Exception {
        if (jmhJson == null || !Files.exists(jmhJson)) {
            table.row("JMH", "micro-benchmarks", "not run", "", "");
            return;
        }
        for (JsonNode r : JSON.readTree(jmhJson.toFile())) {
            String name = r.get("benchmark").asText().replace("dev.netkeeper.bench.jmh.", "");
            if (r.has("params")) { // a parameterised benchmark: one row per parameter set
                List<String> params = new ArrayList<>();
                r.get("params").fields().forEachRemaining(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
                name += " (" + String.join(", ", params) + ")";
            }
            JsonNode m = r.get("primaryMetric");
            double score = m.get("score").asDouble();
            double error = m.get("scoreError").asDouble();
            jmh.put(name, score);
            // an error bar over a fifth of the score says the iterations did not settle: the number is not one to compare
            boolean settled = !Double.isNaN(error) && error <= 0.2 * score;
            table.row("JMH", name, String.format("%s ± %s %s", num(score), num(error), m.get("scoreUnit").asText()),
                    "error ≤ 20% of the score", settled ? "settled" : "**not settled** (more iterations)");
        }
    }

    private static String num(double d) {
        if (Double.isNaN(d)) {
            return "?";
        }
        return d >= 100 ? String.format("%,.0f", d) : d >= 1 ? String.format("%.2f", d) : String.format("%.3f", d);
    }

    private boolean has(String... keys) {
        for (String k : keys) {
            Double d = v.get(k);
            if (d == null || d.isNaN()) {
                return false;
            }
        }
        return true;
    }

    private double p50(double[] a) {
        return a == null ? Double.NaN : Stats.of(a).p50();
    }

    private double stepP50(java.util.Map<String, double[]> m, String startsWith) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(startsWith)).findFirst()
                .map(e -> Stats.of(e.getValue()).p50()).orElse(Double.NaN);
    }

    /**
     * The findings, from this run's numbers: for each target, met or not, where the time goes, and what would close
     * the gap. The evidence for each sentence is in the sections below.
     */
    private String conclusions() {
        StringBuilder b = new StringBuilder("\n## Findings\n\n");
        int k = 1;
        if (has("ep.c1.p50") && trace != null && steps != null) {
            double add = v.get("add.c1.p50");
            double kernel = trace.mean("add", TraceSpans.Span::kernel);
            double total = trace.mean("add", TraceSpans.Span::total);
            double move = trace.moveMean();
            b.append(String.format("%d. **The seed's two steps (Link, then AddInterface): p50 %.1f ms, p99 %.1f ms at c1, "
                            + "%.0f endpoints/s at c16 (targets ≤ 2 / ≤ 10 ms, ≥ 500/s: %s).** AddInterface (p50 %.1f ms) "
                            + "is most of it: traced, %.1f of its %.1f ms (mean) are the kernel task, and in it the move of "
                            + "the container end into its namespace takes %.1f ms (the kernel waits for RCU grace periods: "
                            + "dev_change_net_namespace → synchronize_net; iproute2 pays it too, the kernel floor's host batch "
                            + "is %.1f ms per endpoint). The contract of the two steps needs the move (the caller may move "
                            + "SrcName itself); a caller that knows the namespace at link time uses the one-step path below.%n",
                    k++, v.get("ep.c1.p50"), v.get("ep.c1.p99"), v.get("ep.c16.tput"),
                    verdict(v.get("ep.c1.p50") <= 2 && v.get("ep.c1.p99") <= 10 && v.get("ep.c16.tput") >= 500), add,
                    kernel, total, move, floor == null ? Double.NaN : floor.hostMs() / n));
        }
        if (has("os.c1.p50", "os.c16.tput") && steps != null && oneStepFloor != null) {
            double task = stepP50(steps.bornInside, "**one-step Link's kernel work**");
            double raw = stepP50(steps.bornInside, "together");
            double write = journal == null ? Double.NaN : Stats.of(journal).p50();
            double writeLoaded = journalLoaded == null ? Double.NaN : Stats.of(journalLoaded).mean();
            b.append(String.format("%d. **One-step set-up (Link into the namespace, through the socket): p50 %.1f ms, p99 %.1f "
                            + "ms against ≤ 2 / ≤ 10 ms — %s; %.1f× the one-step kernel floor (%.2f ms) against ≤ 2× — %s.** "
                            + "No move: the kernel task alone (BornEndpoint: the pair born in the namespace, marked, "
                            + "addressed, up, routed) takes %.2f ms p50 (its raw netlink requests %.2f ms; the rest are the "
                            + "ownership checks and marks), one journal write %.2f ms p50 on an idle agent. The critical path "
                            + "has one write, but the namespace's own write (InterfaceAdded, made after the answer) shares the "
                            + "journal's one writer (SQLite) with the next Link's write, so at c1 a Link often waits for the "
                            + "previous one's second write; then the actor hops, the directory registration (in parallel "
                            + "with the kernel task) and the HTTP round trip of the socket. What would close it: the second "
                            + "write not in the writer's way (folded into the network's, or delayed to share the next "
                            + "batch), and fewer hops (the namespace asks the network; the answer comes back the same way).%n",
                    k++, v.get("os.c1.p50"), v.get("os.c1.p99"), verdict(v.get("os.c1.p50") <= 2 && v.get("os.c1.p99") <= 10),
                    v.get("os.c1.mean") / oneStepFloor.endpointMs(), oneStepFloor.endpointMs(),
                    verdict(v.get("os.c1.mean") / oneStepFloor.endpointMs() <= 2), task, raw, write));
            b.append(String.format("%d. **One-step set-up at concurrency 16: %.0f endpoints/s against ≥ 800 — %s.** A network "
                            + "journals the links that arrive while it writes in one write, so the journal is not the cap "
                            + "(one write under this load: %.2f ms mean). The kernel is: all of a host's kernel work runs on "
                            + "the one netlink actor's thread, and at the kernel task's %.2f ms p50 (alone; it is slower "
                            + "inside the agent, whose other threads share the two cores) one thread caps the host at ~%.0f "
                            + "endpoints/s, below the target; the design keeps that one owner of the sockets, so what would "
                            + "lift it is fewer requests per endpoint (the marks and checks), or several sockets on several "
                            + "threads under that one actor, each task kept on one of them.%n",
                    k++, v.get("os.c16.tput"), verdict(v.get("os.c16.tput") >= 800), writeLoaded, task, 1000 / task));
        }
        if (cni != null && has("os.c1.p50")) {
            double cniAdd = Stats.of(cni.sequential().addMs()).p50();
            b.append(String.format("%d. **CNI / netkeeper: %.2f× (CNI ADD p50 %.1f ms vs netkeeper's one-step Link %.1f ms; "
                            + "the two steps %.1f ms) against ≥ 10× — %s.** The plugin creates the pair from inside the "
                            + "container namespace (no move either), pays process start-ups (nsenter + bridge answering "
                            + "VERSION: %.1f ms p50; ADD also execs host-local) and keeps no journal; beating it 10× means "
                            + "≤ %.1f ms per endpoint, the one-step path's own findings above say what stands between.%n",
                    k++, cniAdd / v.get("os.c1.p50"), cniAdd, v.get("os.c1.p50"), v.getOrDefault("ep.c1.p50", Double.NaN),
                    verdict(cniAdd / v.get("os.c1.p50") >= 10), Stats.of(cni.startMs()).p50(), cniAdd / 10));
        }
        if (has("os.td.c1.p50") && oneStepFloor != null) {
            double del = steps == null ? Double.NaN : stepP50(steps.bornInside, "one-step teardown");
            b.append(String.format("%d. **One-step teardown (Unlink of an endpoint born in its namespace): p50 %.1f ms against "
                            + "≤ 3 ms — %s.** It deletes the pair where it is (no move back, the two steps' teardown pays "
                            + "both: %.1f ms per endpoint at c1), but deleting one device waits for RCU in the kernel "
                            + "(unregister_netdevice → netdev_run_todo); the DeleteLink task alone takes %.1f ms p50 and "
                            + "iproute2's `link del` %.1f ms per endpoint (the floor), so no one-at-a-time path meets 3 ms on "
                            + "this kernel. What would: deleting many devices in one request (the kernel unregisters a batch "
                            + "with one wait, as it does for a namespace: namespace delete is %.1f ms), e.g. the unlinks that "
                            + "arrive together.%n",
                    k++, v.get("os.td.c1.p50"), verdict(v.get("os.td.c1.p50") <= 3), v.getOrDefault("td.c1.mean", Double.NaN),
                    del, oneStepFloor.teardownMs(), v.getOrDefault("nsdel.c1.mean", Double.NaN)));
        }
        if (bigProfile != null && has("big.tput")) {
            double alloc = jmh.getOrDefault("IpamBench.allocateRelease", Double.NaN);
            double link = jmh.getOrDefault("IpamBench.linkAllocation", Double.NaN);
            double wrap = jmh.getOrDefault("IpamBench.allocateAfterWrap", Double.NaN);
            b.append(String.format("%d. **Per-Link allocation grows with the network (no target; it feeds the c16 and "
                            + "recovery numbers).** JMH on a /16 with 60,000 addresses taken: Ipam.next takes %s when the "
                            + "address after the cursor is free and %s when it wraps and steps over the taken block; the "
                            + "allocation as NetworkEntity.allocate does it per Link (NetworkState.addressesInUse, which "
                            + "builds a new Set from every endpoint, then Ipam.next) takes %s. Journaling %d links over "
                            + "networks of %d, the agent spent %.0f%% of its CPU samples in NetworkEntity.allocate "
                            + "(Ipam.next %.0f%%, addressesInUse %.0f%%) and %.0f%% in NetworkState.apply, which copies the "
                            + "whole endpoint map for every event. Keeping the in-use addresses in the state, updated by "
                            + "apply (a BitSet of offsets from the range base), makes allocation independent of the "
                            + "network's size; a persistent map (or state mutated inside the entity) removes the per-event "
                            + "copy; uniqueLinkId also scans every endpoint per Link.%n",
                    k++, us(alloc), us(wrap), us(link), big, PER_BRIDGE,
                    bigProfile.inclusivePercent("NetworkEntity.allocate"), bigProfile.inclusivePercent("Ipam.next"),
                    bigProfile.inclusivePercent("NetworkState.addressesInUse"),
                    bigProfile.inclusivePercent("NetworkState.apply")));
            b.append(String.format("%d. **The journal is SQLite (WAL, synchronous=FULL), native code:** JFR sees neither "
                    + "its writes nor its fsyncs, so what it costs is measured apart (rows 8: persist → ack, syncs per event "
                    + "by strace, bytes per Link by the process's write_bytes); its threads took %s of the CPU samples "
                    + "while journaling %d links.%n", k++, bigProfile.groupShare("journal"), big));
        }
        b.append(String.format("%d. **A bridge holds at most 1,023 ports** (BR_MAX_PORTS, port 0 reserved): a network "
                + "grows past 1,000 endpoints on a host by another bridge joined to the first by a veth trunk (rows 9). "
                + "The scenarios above keep each network at ≤ %d endpoints so that they measure one bridge.%n",
                k++, PER_BRIDGE));
        if (has("big.rec.intact", "big.rec.intact.up", "big.rec.intact.first")) {
            int nets = (big + PER_BRIDGE - 1) / PER_BRIDGE;
            double spread = v.get("big.rec.intact") - v.get("big.rec.intact.first");
            b.append(String.format("%d. **Recovery of %d intact endpoints: %.2f s against ≤ 5 s — %s.** %.2f s go to "
                            + "starting the JVM, Pekko, the cluster and the journal (node up), %.2f s to sharding "
                            + "waking the remembered entities and their recovery, and %.2f s to converging: the %d "
                            + "networks converge one after another on the single netlink actor (~%.0f ms each: "
                            + "BridgePorts dumps the bridge's ports (%d veths in all) and fixes only what is missing). "
                            + "What would make it faster: converging networks concurrently (their bridges are "
                            + "independent), and above all a faster node start.%n",
                    k++, big, v.get("big.rec.intact") / 1000, verdict(v.get("big.rec.intact") <= 5000),
                    v.get("big.rec.intact.up") / 1000, (v.get("big.rec.intact.first") - v.get("big.rec.intact.up")) / 1000,
                    spread / 1000, nets, nets > 1 ? spread / (nets - 1) : spread, big));
        }
        if (has("rec.wiped", "rec.intact", "rec.intact.up", "rec.wiped.up")) {
            long retries = countLines(work.resolve("agent-3-wiped.log"), "not converged yet");
            b.append(String.format("%d. **Recovery of %d endpoints with namespaces: %.1f s intact against ≤ 3 s — %s; %.1f s "
                            + "wiped against ≤ 5 s — %s.** JVM start → node up takes %.1f s / %.1f s of it; the rest is "
                            + "sharding waking %d remembered entities, their recovery from the journal, and the converge: "
                            + "networks first (their bridges and in-host pairs), then each namespace (its mount, its unlisted "
                            + "interfaces back) asks its networks to put its interfaces in place, and a network re-makes a "
                            + "lost pair born in the namespace (no move). %d converge attempts failed and were retried in "
                            + "the wiped run. The recovery JFR below has few CPU samples for its length: it waits more than "
                            + "it works (entity recoveries, %d at a time, each a few journal queries; the node start).%n",
                    k++, 2 * n, v.get("rec.intact") / 1000, verdict(v.get("rec.intact") <= 3000),
                    v.get("rec.wiped") / 1000, verdict(v.get("rec.wiped") <= 5000), v.get("rec.intact.up") / 1000,
                    v.get("rec.wiped.up") / 1000, 2 * n + 3, retries, 50));
        }
        if (has("heap.per", "heap.committed.mb", "rss.per.kb")) {
            b.append(String.format("%d. **Footprint: %.2f KB of heap per endpoint (growth) — %s; %.2f KB counting the "
                            + "whole agent.** The growth is mostly the endpoints' own strings and maps plus the journal's caches "
                            + "filling up (class histogram below). RSS grows much more (%.1f KB per endpoint): the heap the "
                            + "JVM keeps committed went from %.0f to %.0f MB (with no -Xmx the JVM may take a quarter of the "
                            + "machine's RAM), and RSS counts that, not the live data; an -Xmx for the agent bounds it. "
                            + "RSS right after a full GC is higher still until G1 has uncommitted memory, so this suite "
                            + "reads it once it has settled.%n",
                    k++, v.get("heap.per") / 1024, verdict(v.get("heap.per") <= 4096),
                    v.getOrDefault("heap.total.per.kb", Double.NaN), v.get("rss.per.kb"),
                    v.getOrDefault("heap.committed.before.mb", Double.NaN), v.get("heap.committed.mb")));
        }
        return b.toString();
    }

    /** A JMH score in µs, written in the unit that reads best. */
    private static String us(double micros) {
        if (Double.isNaN(micros)) {
            return "? (JMH not run)";
        }
        return micros >= 1000 ? String.format("%.1f ms", micros / 1000) : String.format("%.2f µs", micros);
    }

    private static long countLines(Path file, String part) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.contains(part)).count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Where the time goes: budgets assembled from this run's own measurements, then the JFR summaries. */
    private String findings() {
        StringBuilder b = new StringBuilder("\n## Where the time goes\n\n");
        if (trace != null && !trace.byOp.isEmpty()) {
            b.append("Timing spans inside the agent: " + trace.byOp.values().iterator().next().size() + " more endpoints "
                    + "went through their whole life one command at a time with the agent's DEBUG logging on (microsecond "
                    + "timestamps; Pekko logs each journal round trip and each handled command, netkeeper each kernel "
                    + "mutation). Entry = client call until an entity has handled the command (gateway, sharding; for a "
                    + "new namespace the entity's start: remember-entities write and journal recovery). Journal = Pekko's "
                    + "own persist → ack times. Kernel = from the last journal ack to the entity handling the netlink "
                    + "actor's answer. Rest = directory lookup, the claim between entities, replies (slightly negative when "
                    + "Pekko's journal timer and the log timestamps overlap). Means in ms (they add up to the total "
                    + "mean); DEBUG logging adds a little to every span.\n\n");
            b.append(trace.markdown());
            b.append("\n");
        }
        if (addC1 != null && journal != null) {
            double add = Stats.of(addC1).p50();
            double link = Stats.of(linkC1).p50();
            double ns = Stats.of(nsC1).p50();
            double j = Stats.of(journal).p50();
            double g = Stats.of(get).p50();
            b.append("Budgets at concurrency 1 (p50s of this run). Kernel task: the same KernelTask record the netlink "
                    + "actor runs, run directly on a KernelContext (no actor, no journal). Journal write: a minimal tagged "
                    + "persistent actor on the same journal, persist → ack. Client round trip: a namespace Get (client → "
                    + "gateway → sharding → entity → client). AddInterface has two journal writes on its critical path "
                    + "(the network journals EndpointPlaced when it grants the claim, then the namespace journals "
                    + "InterfaceAdded), Link and namespace create one each.\n\n");
            b.append("| command | end to end | kernel task | journal writes | client round trip | rest: other hops "
                    + "(directory lookup, claim ask, netlink ask), scheduling, serialization, snapshots |\n"
                    + "|---|---|---|---|---|---|\n");
            b.append(budget("AddInterface", add, kernelP50("PlaceInterface (AddInterface)"), 2, j, g));
            b.append(budget("Link", link, kernelP50("EnsureVeth (Link)"), 1, j, g));
            b.append(budget("namespace create", ns, kernelP50("EnsureNamespace (namespace create)"), 1, j, g));
            b.append(String.format("%nOne journal write (persist → ack), idle agent: p50 %.2f ms, p99 %.2f ms; "
                            + "one plain ask to a local actor: p50 %.3f ms; one client round trip (namespace Get): p50 %.2f ms.%n",
                    j, Stats.of(journal).p99(), Stats.of(hop).p50(), g));
        }
        if (journalLoaded != null && journalLoaded.length > 0 && v.containsKey("ep.c16.tput")) {
            Stats jl = Stats.of(journalLoaded);
            double entityBound = 1000 / (2 * jl.mean());
            b.append(String.format("%nConcurrency 16: %.0f endpoints/s measured. While it ran, the same probe's journal "
                            + "writes took p50 %.2f ms, p99 %.2f ms (mean %.2f, %d writes). Every endpoint needs two "
                            + "events of the one network entity (EndpointAllocated, EndpointPlaced), and an "
                            + "EventSourcedBehavior persists one event at a time (commands stash meanwhile): that alone "
                            + "caps one network at about 1000 / (2 × %.2f) = %.0f endpoints/s.", v.get("ep.c16.tput"),
                    jl.p50(), jl.p99(), jl.mean(), jl.count(), jl.mean(), entityBound));
            if (steps != null) {
                double kernel = kernelP50("EnsureVeth (Link)") + kernelP50("PlaceInterface (AddInterface)");
                b.append(String.format(" The kernel work is serial too (one netlink actor, one thread; the rtnl lock "
                        + "is global anyway): EnsureVeth + PlaceInterface p50 %.2f ms caps it at about %.0f endpoints/s.",
                        kernel, 1000 / kernel));
            }
            b.append("\n");
        }
        if (steps != null) {
            b.append("\nKernel tasks alone (the code the netlink actor runs, " + steps.tasks.values().iterator().next().length
                    + " endpoints, " + steps.mountinfoLines + " lines in /proc/self/mountinfo at the start):\n\n"
                    + "| kernel task | p50 ms | p99 ms |\n|---|---|---|\n");
            steps.tasks.forEach((k, t) -> b.append(stepRow(k, t)));
            b.append("\nPlaceInterface step by step (the Handle calls it makes for a fresh interface):\n\n"
                    + "| step | p50 ms | p99 ms |\n|---|---|---|\n");
            steps.placeSteps.forEach((k, t) -> b.append(stepRow(k, t)));
            b.append("\nThe same endpoint made when its namespace is known (what Link + AddInterface could do in the "
                    + "kernel):\n\n| step | p50 ms | p99 ms |\n|---|---|---|\n");
            steps.bornInside.forEach((k, t) -> b.append(stepRow(k, t)));
        }
        if (setupProfile != null) {
            b.append(String.format("%n### JFR: set-up at concurrency 1 (%d namespaces, then %d Link + AddInterface)%n%n", n, n));
            b.append(setupProfile.markdown(12));
        }
        if (recoveryProfile != null) {
            b.append(recoveryProfile);
        }
        if (memory != null) {
            b.append(memory);
        }
        if (bigProfile != null) {
            b.append(String.format("%n### JFR: journaling %d links (16 in flight, %d networks)%n%n", big,
                    (big + PER_BRIDGE - 1) / PER_BRIDGE));
            b.append(bigProfile.markdown(12));
        }
        b.append(notes);
        return b.toString();
    }

    private double kernelP50(String task) {
        return steps == null || !steps.tasks.containsKey(task) ? Double.NaN : Stats.of(steps.tasks.get(task)).p50();
    }

    private static String stepRow(String what, double[] t) {
        Stats s = Stats.of(t);
        return String.format("| %s | %.3f | %.3f |%n", what, s.p50(), s.p99());
    }

    private static String budget(String what, double total, double kernel, int writes, double journal, double get) {
        double rest = total - kernel - writes * journal - get;
        return String.format("| %s | %.2f ms | %.2f ms (%.0f%%) | %d × %.2f = %.2f ms (%.0f%%) | %.2f ms (%.0f%%) | %.2f ms (%.0f%%) |%n",
                what, total, kernel, 100 * kernel / total, writes, journal, writes * journal, 100 * writes * journal / total,
                get, 100 * get / total, rest, 100 * rest / total);
    }

    /** One Markdown table, rows in the order added. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        void row(String section, String measure, String result, String target, String verdict) {
            rows.add(new String[] {section, measure, result, target, verdict});
        }

        String markdown() {
            StringBuilder b = new StringBuilder("| # | scenario / measure | result | target | |\n|---|---|---|---|---|\n");
            // scenarios in issue order, JMH last
            for (String sec : List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "JMH")) {
                for (String[] r : rows) {
                    if (r[0].equals(sec)) {
                        b.append("| ").append(String.join(" | ", r)).append(" |\n");
                    }
                }
            }
            return b.toString();
        }
    }
}
