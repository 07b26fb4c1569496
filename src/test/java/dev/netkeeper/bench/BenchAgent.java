package dev.netkeeper.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.cluster.AgentSettings;
import dev.netkeeper.cluster.NetkeeperNode;
import dev.netkeeper.testing.TestAgent;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent under benchmark, as a child JVM: a real {@link NetkeeperNode} (durable SQLite journal in DATA_DIR, host =
 * a throwaway namespace) plus a small command loop on stdin that drives it through the in-process client
 * ({@link NetkeeperClient#local}). Each command answers one line {@code BENCH <json>}; everything else on stdout
 * is the agent's own log (INFO for dev.netkeeper: "network X converged", "namespace Y converged").
 *
 * <pre>BenchAgent HOST_NS DATA_DIR HOST_ID</pre>
 * Commands (paths are /var/run/netns/PREFIX-i, endpoints are named after them):
 * <pre>
 * network NET CIDR                 create a bridge network
 * nscreate PREFIX FROM TO CONC     namespaces FROM..TO-1, CONC at a time          -> ms per namespace
 * endpoints NET PREFIX FROM TO C   Link + AddInterface per namespace              -> link ms, add ms
 * remove NET PREFIX FROM TO C      RemoveInterface(eth0) + Unlink per namespace   -> remove ms, unlink ms
 * nsdelete PREFIX FROM TO C        namespace Delete                               -> ms
 * linkmany NET[,NET..] PREFIX N C  N links only (no namespace), round robin over the networks -> ms per link
 * trace NET PREFIX FROM TO         namespace create, Link, AddInterface, RemoveInterface, Unlink, namespace
 *                                  delete, one at a time with DEBUG logging on and "TRACE op i begin|end TIME"
 *                                  markers (the log has microsecond timestamps): bench/run cuts them into spans
 * probe K                          K journal writes of a minimal tagged persistent actor, one at a time
 * probe-bg-start | probe-bg-stop   the same, back to back on a thread of its own while other commands run
 * getprobe PATH K                  K namespace Gets (client -> gateway -> sharding -> entity -> client)
 * jfr-start FILE | jfr-stop        a JFR recording ("profile" settings, 2 ms execution sampling)
 * doors                            opens the local API's socket and the Artery door; answers both
 * quit
 * </pre>
 */
public final class BenchAgent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetkeeperNode node;
    private final NetkeeperClient nk;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final Map<String, Interface> linked = new ConcurrentHashMap<>();
    private Recording recording;

    private BenchAgent(NetkeeperNode node) {
        this.node = node;
        this.nk = NetkeeperClient.local(node, Duration.ofSeconds(60));
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> settings = new HashMap<>(TestAgent.settings(Path.of(args[0]), Path.of(args[1])));
        settings.put("netkeeper.host-id", args[2]);
        // the bench's upstream resolvers, written by a scenario that forwards (none: nothing is forwarded)
        settings.put("netkeeper.dns.resolv-conf", Path.of(args[1]).resolve("resolv.conf").toString());
        NetkeeperNode node = NetkeeperNode.start(AgentSettings.load(settings, Optional.empty()));
        BenchAgent agent = new BenchAgent(node);
        reply(Map.of("cmd", "up", "ms", (System.nanoTime() - t0) / 1e6,
                "pid", ProcessHandle.current().pid()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.trim().split(" ");
            if (c[0].equals("quit")) {
                break;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cmd", c[0]);
            try {
                agent.run(c, out);
            } catch (Throwable e) {
                out.put("error", e.toString());
            }
            reply(out);
        }
        node.close();
        reply(Map.of("cmd", "quit"));
        System.exit(0);
    }

    private static synchronized void reply(Map<String, Object> out) throws Exception {
        System.out.println("BENCH " + JSON.writeValueAsString(out));
        System.out.flush();
    }

    private static String path(String prefix, int i) {
        return "/var/run/netns/" + prefix + "-" + i;
    }

    private static String endpoint(String prefix, int i) {
        return prefix + "-" + i;
    }

    private void run(String[] c, Map<String, Object> out) throws Exception {
        switch (c[0]) {
            case "network" -> nk.newNetwork("bridge", c[1], NetworkOptions.builder().subnet(c[2]).build());
            case "nullnetwork" -> nk.newNetwork("null", c[1], NetworkOptions.builder().build());
            case "doors" -> {
                // the local API's socket and the Artery door, as the real agent opens them, for CLI processes
                Path socket = node.settings().dataDir().resolve("run").resolve("netkeeper.sock");
                dev.netkeeper.http.LocalApi.start(node, socket, node.metrics()::scrape,
                    dev.netkeeper.cni.CniPlugin.serving(node, socket.resolveSibling("cni-spool")));
                dev.netkeeper.front.ApiFront door = dev.netkeeper.front.ApiFront.start(node,
                        com.typesafe.config.ConfigFactory.parseMap(Map.of("netkeeper.api.hostname", "127.0.0.1",
                                "netkeeper.api.port", 0, "pekko.loglevel", "WARNING",
                                "netkeeper.tls.dir", node.settings().dataDir().resolve("tls").toString())));
                out.put("socket", socket.toString());
                out.put("agent", door.address());
                out.put("tls", dev.netkeeper.testing.TestClients.issue(node.settings().dataDir().resolve("tls"), "bench",
                        node.settings().dataDir().resolve("clients").resolve("bench")).toString());
            }
            case "dockerplugin" -> {
                // the Docker plugin's socket, as the real agent serves it (netkeeper.docker.socket)
                Path plugin = node.settings().dataDir().resolve("docker").resolve("netkeeper.sock");
                dev.netkeeper.docker.PluginSocket.start(node, plugin);
                out.put("plugin", plugin.toString());
            }
            case "nscreate" -> timed(out, c, 1, (i, t) -> {
                String p = path(c[1], i);
                long a = System.nanoTime();
                namespaces.put(p, nk.newNetworkNamespace(p));
                t[0] = ms(a);
            });
            case "endpoints" -> {
                Network net = nk.network(c[1]);
                timed(out, c, 2, (i, t) -> {
                    String p = path(c[2], i);
                    Namespace ns = namespace(p);
                    long a = System.nanoTime();
                    List<Interface> ifaces = net.link(endpoint(c[2], i));
                    long b = System.nanoTime();
                    ns.addInterface(ifaces.get(0));
                    t[0] = (b - a) / 1e6;
                    t[1] = ms(b);
                });
            }
            case "remove" -> {
                Network net = nk.network(c[1]);
                int from = Integer.parseInt(c[3]);
                int to = Integer.parseInt(c[4]);
                for (int i = from; i < to; i++) {
                    namespace(path(c[2], i)); // handles looked up before the clock starts
                }
                timed(out, c, 2, (i, t) -> {
                    Namespace ns = namespace(path(c[2], i));
                    long a = System.nanoTime();
                    ns.removeInterface("eth0");
                    long b = System.nanoTime();
                    net.unlink(endpoint(c[2], i));
                    t[0] = (b - a) / 1e6;
                    t[1] = ms(b);
                });
            }
            case "nsdelete" -> {
                int from = Integer.parseInt(c[2]);
                int to = Integer.parseInt(c[3]);
                for (int i = from; i < to; i++) {
                    namespace(path(c[1], i));
                }
                timed(out, c, 1, (i, t) -> {
                    Namespace ns = namespace(path(c[1], i));
                    long a = System.nanoTime();
                    ns.delete();
                    t[0] = ms(a);
                    namespaces.remove(ns.path());
                });
            }
            case "linkmany" -> {
                List<Network> nets = new ArrayList<>();
                for (String name : c[1].split(",")) {
                    nets.add(nk.network(name));
                }
                int n = Integer.parseInt(c[3]);
                int conc = Integer.parseInt(c[4]);
                double[] t = new double[n];
                long start = System.nanoTime();
                Parallel.each(n, conc, i -> {
                    long a = System.nanoTime();
                    nets.get(i % nets.size()).link(endpoint(c[2], i));
                    t[i] = ms(a);
                });
                out.put("wallMs", ms(start));
                out.put("a", t);
            }
            case "trace" -> trace(c[1], c[2], Integer.parseInt(c[3]), Integer.parseInt(c[4]));
            case "probe" -> probe(Integer.parseInt(c[1]), out);
            case "probe-bg-start" -> startBackgroundProbe();
            case "probe-bg-stop" -> stopBackgroundProbe(out);
            case "getprobe" -> {
                Namespace ns = namespace(c[1]);
                int k = Integer.parseInt(c[2]);
                double[] t = new double[k];
                for (int i = 0; i < k; i++) {
                    long a = System.nanoTime();
                    ns.info();
                    t[i] = ms(a);
                }
                out.put("a", t);
            }
            case "jfr-start" -> {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
                recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(5));
                recording.enable("jdk.FileForce").withThreshold(Duration.ZERO);
                recording.enable("jdk.FileWrite").withThreshold(Duration.ZERO);
                recording.setDestination(Path.of(c[1]));
                recording.start();
            }
            case "jfr-stop" -> {
                recording.stop();
                recording.close();
                recording = null;
            }
            default -> throw new IllegalArgumentException("unknown command " + c[0]);
        }
    }

    private Namespace namespace(String path) {
        return namespaces.computeIfAbsent(path, nk::namespace);
    }

    private interface Timed {
        void run(int i, double[] times) throws Exception;
    }

    /** c[..]: ... FROM TO CONC as the last three words; {@code phases} timings per item. */
    private void timed(Map<String, Object> out, String[] c, int phases, Timed work) throws Exception {
        int from = Integer.parseInt(c[c.length - 3]);
        int to = Integer.parseInt(c[c.length - 2]);
        int conc = Integer.parseInt(c[c.length - 1]);
        int n = to - from;
        double[][] t = new double[phases][n];
        long start = System.nanoTime();
        Parallel.each(n, conc, k -> {
            double[] times = new double[phases];
            work.run(from + k, times);
            for (int p = 0; p < phases; p++) {
                t[p][k] = times[p];
            }
        });
        out.put("wallMs", ms(start));
        out.put("a", t[0]);
        if (phases > 1) {
            out.put("b", t[1]);
        }
    }


    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    // ---- journal probe -------------------------------------------------------------------------------

    /** What one journal write costs here: a tagged event of about the size of InterfaceAdded. */
    public record ProbeEvent(long n, String payload) implements CborSerializable {}

    public record ProbeWrite(ActorRef<Long> replyTo) implements CborSerializable {}

    static final class ProbeEntity extends EventSourcedBehavior<ProbeWrite, ProbeEvent, Long> {
        private static final String PAYLOAD = "x".repeat(300);

        ProbeEntity(String id) {
            super(PersistenceId.of("BenchProbe", id));
        }

        @Override
        public Long emptyState() {
            return 0L;
        }

        @Override
        public Set<String> tagsFor(ProbeEvent event) {
            return Set.of("bench-probe");
        }

        @Override
        public CommandHandler<ProbeWrite, ProbeEvent, Long> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onAnyCommand((state, w) ->
                    Effect().persist(new ProbeEvent(state + 1, PAYLOAD)).thenReply(w.replyTo(), s -> s));
        }

        @Override
        public EventHandler<Long, ProbeEvent> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> e.n());
        }
    }

    private static final java.time.format.DateTimeFormatter MICROS =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private static void mark(String op, int i, String phase) {
        String t = java.time.LocalTime.now().format(MICROS);
        synchronized (System.out) {
            System.out.println("TRACE " + op + " " + i + " " + phase + " " + t);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void traced(String op, int i, Step step) throws Exception {
        mark(op, i, "begin");
        step.run();
        mark(op, i, "end");
    }

    /** Each command of an endpoint's life, one at a time, with the agent's DEBUG logging on (entity and kernel). */
    private void trace(String network, String prefix, int from, int to) throws Exception {
        Network net = nk.network(network);
        List<ch.qos.logback.classic.Logger> loggers = List.of(
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.netkeeper"),
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.pekko.persistence.typed"));
        List<ch.qos.logback.classic.Level> before = loggers.stream().map(ch.qos.logback.classic.Logger::getLevel).toList();
        loggers.forEach(l -> l.setLevel(ch.qos.logback.classic.Level.DEBUG));
        try {
            for (int i = from; i < to; i++) {
                String p = path(prefix, i);
                String ep = endpoint(prefix, i);
                Namespace[] ns = new Namespace[1];
                List<Interface> ifaces = new ArrayList<>();
                traced("nscreate", i, () -> ns[0] = nk.newNetworkNamespace(p));
                traced("link", i, () -> ifaces.addAll(net.link(ep)));
                traced("add", i, () -> ns[0].addInterface(ifaces.get(0)));
                traced("remove", i, () -> ns[0].removeInterface("eth0"));
                traced("unlink", i, () -> net.unlink(ep));
                traced("nsdelete", i, () -> ns[0].delete());
            }
        } finally {
            for (int k = 0; k < loggers.size(); k++) {
                loggers.get(k).setLevel(before.get(k));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> ActorRef<T> spawn(Behavior<T> behavior, String name) throws Exception {
        ActorSystem<SpawnProtocol.Command> system = (ActorSystem<SpawnProtocol.Command>) node.system();
        return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r), Duration.ofSeconds(10),
                system.scheduler()).toCompletableFuture().get();
    }

    private ActorRef<ProbeWrite> probeEntity() throws Exception {
        String id = Long.toHexString(System.nanoTime());
        return spawn(Behaviors.setup(ctx -> new ProbeEntity(id)), "probe-" + id);
    }

    private long write(ActorRef<ProbeWrite> probe) throws Exception {
        long a = System.nanoTime();
        AskPattern.<ProbeWrite, Long>ask(probe, ProbeWrite::new, Duration.ofSeconds(30), node.system().scheduler())
                .toCompletableFuture().get();
        return System.nanoTime() - a;
    }

    /** Also an ask to a plain actor: the cost of one hop with no journal. */
    private void probe(int k, Map<String, Object> out) throws Exception {
        ActorRef<ProbeWrite> probe = probeEntity();
        Behavior<ProbeWrite> echo = Behaviors.receive(ProbeWrite.class).onMessage(ProbeWrite.class, w -> {
            w.replyTo().tell(0L);
            return Behaviors.same();
        }).build();
        ActorRef<ProbeWrite> plain = spawn(echo, "echo-" + Long.toHexString(System.nanoTime()));
        double[] journal = new double[k];
        double[] hop = new double[k];
        for (int i = -20; i < k; i++) {
            long j = write(probe);
            long h = write(plain);
            if (i >= 0) {
                journal[i] = j / 1e6;
                hop[i] = h / 1e6;
            }
        }
        out.put("a", journal);
        out.put("b", hop);
    }

    private volatile boolean background;
    private Thread backgroundThread;
    private final List<Double> backgroundWrites = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Journal writes one after another on their own thread, until probe-bg-stop: the journal's latency under load. */
    private void startBackgroundProbe() throws Exception {
        ActorRef<ProbeWrite> probe = probeEntity();
        backgroundWrites.clear();
        background = true;
        backgroundThread = new Thread(() -> {
            while (background) {
                try {
                    backgroundWrites.add(write(probe) / 1e6);
                } catch (Exception e) {
                    return;
                }
            }
        }, "bench-journal-probe");
        backgroundThread.start();
    }

    private void stopBackgroundProbe(Map<String, Object> out) throws Exception {
        background = false;
        backgroundThread.join();
        out.put("a", backgroundWrites.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
