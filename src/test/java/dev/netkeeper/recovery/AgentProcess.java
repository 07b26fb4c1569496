package dev.netkeeper.recovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.cluster.AgentSettings;
import dev.netkeeper.cluster.NetkeeperNode;
import dev.netkeeper.kernel.CrashPoints;
import dev.netkeeper.testing.TestAgent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent as a child JVM for crash tests: it starts a real node (host = a namespace path, journal =
 * a directory), runs commands through the client, prints each result as {@code RESULT <json>}, and arms
 * the crash point just before its LAST command, so that exactly that command is cut short by SIGKILL.
 *
 * <pre>AgentProcess HOST_NS DATA_DIR CRASH_POINT|- COMMAND...</pre>
 * Commands: {@code create NET CIDR}, {@code ns PATH}, {@code link NET EP}, {@code add PATH NET EP},
 * {@code linkmany NET PREFIX N}, {@code info NET}, {@code nsinfo PATH}, {@code sleep MS}, and the tear-downs
 * {@code unlink NET EP}, {@code remove PATH DST}, {@code nsrm PATH}, {@code netrm NET} (forced), {@code nslist}.
 */
public final class AgentProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path hostNs = Path.of(args[0]);
        Path data = Path.of(args[1]);
        String crashAt = args[2];
        List<String> commands = Arrays.asList(args).subList(3, args.length);
        Map<String, Object> settings = new HashMap<>(TestAgent.settings(hostNs, data));
        long t0 = System.nanoTime();
        NetkeeperNode node = NetkeeperNode.start(AgentSettings.load(settings, Optional.empty()));
        System.out.printf("STARTED %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        int code = 0;
        try {
            NetkeeperClient client = NetkeeperClient.local(node, Duration.ofSeconds(20));
            for (int i = 0; i < commands.size(); i++) {
                if (i == commands.size() - 1 && !crashAt.equals("-")) {
                    CrashPoints.arm(crashAt);
                }
                run(client, commands.get(i).split(" "));
            }
            if (!crashAt.equals("-")) {
                System.out.println("NOCRASH " + crashAt);
                code = 3;
            }
        } finally {
            System.out.flush();
            node.close();
        }
        System.exit(code);
    }

    /** Links endpoints PREFIX0..PREFIX(n-1), 16 in flight at a time; answers how many. */
    private static int linkMany(NetkeeperClient nk, String network, String prefix, int n) {
        var net = nk.network(network);
        var inFlight = new java.util.concurrent.Semaphore(16);
        List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.acquireUninterruptibly();
            all.add(net.linkAsync(prefix + i).toCompletableFuture().whenComplete((r, e) -> inFlight.release()));
        }
        java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture<?>[0])).join();
        return n;
    }

    private static void run(NetkeeperClient nk, String[] c) throws Exception {
        Object result;
        try {
            result = switch (c[0]) {
                case "create" -> nk.newNetwork("bridge", c[1], c.length > 3
                        // a third word: bridge.max-ports (endpoints per bridge before the network grows)
                        ? NetworkOptions.builder().subnet(c[2]).driverOption("bridge.max-ports", c[3]).build()
                        : NetworkOptions.builder().subnet(c[2]).build()).name();
                case "ns" -> nk.newNetworkNamespace(c[1]).path();
                case "link" -> nk.network(c[1]).link(c[2]);
                case "linkns" -> nk.network(c[1]).link(c[2], dev.netkeeper.api.LinkOptions.into(c[3]));
                case "add" -> {
                    List<Interface> ifaces = nk.network(c[2]).link(c[3]);
                    yield nk.namespace(c[1]).addInterface(ifaces.get(0));
                }
                case "publish" -> nk.network(c[1]).publish(c[2], dev.netkeeper.api.PortMapping.parse(c[3]));
                case "unpublish" -> nk.network(c[1]).unpublish(c[2], dev.netkeeper.api.PortMapping.hostSide(c[3]));
                case "linkmany" -> linkMany(nk, c[1], c[2], Integer.parseInt(c[3]));
                case "info" -> nk.networkInfo(c[1]);
                case "nsinfo" -> nk.namespace(c[1]).info();
                case "nslist" -> nk.namespaces().stream().map(n -> n.path()).toList();
                case "unlink" -> {
                    nk.network(c[1]).unlink(c[2]);
                    yield "unlinked";
                }
                case "remove" -> {
                    nk.namespace(c[1]).removeInterface(c[2]);
                    yield "removed";
                }
                case "nsrm" -> {
                    nk.namespace(c[1]).delete();
                    yield "deleted";
                }
                case "netrm" -> {
                    nk.network(c[1]).delete(true);
                    yield "deleted";
                }
                case "sleep" -> {
                    Thread.sleep(Long.parseLong(c[1]));
                    yield "slept";
                }
                default -> throw new IllegalArgumentException("unknown command " + c[0]);
            };
        } catch (NetkeeperException e) {
            result = Map.of("error", e.toWire());
        }
        List<Object> line = new ArrayList<>(List.of(String.join(" ", c)));
        line.add(result);
        System.out.println("RESULT " + JSON.writeValueAsString(line));
        System.out.flush();
    }
}
