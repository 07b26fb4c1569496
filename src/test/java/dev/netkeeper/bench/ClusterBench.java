package dev.netkeeper.bench;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import dev.netkeeper.testing.ThreeHostCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Three agents on one PostgreSQL journal (run by bench/cluster, which starts the server): how long the
 * cluster takes to form; Link + AddInterface for a namespace of host alpha sent to alpha's own agent vs.
 * to beta's agent (interleaved, so both see the same noise); and the failover after gamma's SIGKILL
 * until a network that ran there answers again. {@code ClusterBench [N]}.
 */
public final class ClusterBench {
    private static ClientSettings client(ThreeHostCluster cluster) {
        return ClientSettings.defaults().withCredentials(cluster.clientCredentials("bench"));
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int warm = 10;
        if (2 * (n + warm) > 1000) {
            throw new IllegalArgumentException("N up to 490: one bridge takes at most 1,023 ports");
        }
        List<String> paths = new ArrayList<>();
        try (ThreeHostCluster cluster = ThreeHostCluster.start();
             NetkeeperClient alpha = NetkeeperClient.connect(cluster.agent("alpha").address(), client(cluster));
             NetkeeperClient beta = NetkeeperClient.connect(cluster.agent("beta").address(), client(cluster))) {
            Network viaAlpha = alpha.newNetwork("bridge", "cbench", NetworkOptions.builder().subnet("10.231.0.0/16").build());
            Network viaBeta = beta.network("cbench");
            double[] local = new double[n];
            double[] remote = new double[n];
            for (int i = -warm; i < n; i++) {
                String localPath = TestAgent.namespacePath("cbl");
                String remotePath = TestAgent.namespacePath("cbr");
                paths.add(localPath);
                paths.add(remotePath);
                var localNs = alpha.newNetworkNamespace("alpha", localPath);
                var remoteNs = beta.newNetworkNamespace("alpha", remotePath);
                long t0 = System.nanoTime();
                Interface l = viaAlpha.link("local" + i, "alpha").get(0);
                localNs.addInterface(l);
                long t1 = System.nanoTime();
                Interface r = viaBeta.link("remote" + i, "alpha").get(0);
                remoteNs.addInterface(r);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    local[i] = (t1 - t0) / 1e6;
                    remote[i] = (t2 - t1) / 1e6;
                }
            }
            String networkOn = viaAlpha.runsOn();
            Arrays.sort(local);
            Arrays.sort(remote);

            // failover: a network whose entity runs on gamma, gamma SIGKILLed
            Network moving = null;
            for (int i = 0; moving == null && i < 20; i++) {
                Network s = alpha.newNetwork("bridge", "cspread" + i, NetworkOptions.builder()
                        .subnet("10.232." + i + ".0/24").build());
                s.link("x", "alpha");
                moving = s.runsOn().equals("gamma") ? s : null;
            }
            String gammaPath = TestAgent.namespacePath("cbg");
            paths.add(gammaPath);
            alpha.newNetworkNamespace("gamma", gammaPath);
            // probe with short attempts (same request id each time), so that the time measured is the
            // cluster's, not a client timeout's
            NetkeeperClient probe = NetkeeperClient.connect(cluster.agent("alpha").address(),
                    client(cluster).withTimeout(Duration.ofMillis(500)).withAttempts(1));
            Network movingProbe = moving == null ? null : probe.network(moving.name());
            long killed = System.nanoTime();
            cluster.agent("gamma").kill();
            long refusedAfter = -1;
            long answeredAfter = -1;
            while (System.nanoTime() - killed < 120_000_000_000L && (refusedAfter < 0 || answeredAfter < 0)) {
                if (refusedAfter < 0) {
                    try {
                        probe.namespace("gamma", gammaPath);
                    } catch (NetkeeperException e) {
                        if (e.code() == ErrorCode.HOST_UNAVAILABLE) {
                            refusedAfter = (System.nanoTime() - killed) / 1_000_000;
                        }
                    }
                }
                if (answeredAfter < 0 && moving != null) {
                    try {
                        movingProbe.info();
                        if (!movingProbe.runsOn().equals("gamma")) {
                            answeredAfter = (System.nanoTime() - killed) / 1_000_000;
                        }
                    } catch (NetkeeperException e) {
                        // not yet
                    }
                }
                Thread.sleep(50);
            }
            probe.close();

            Path logs = Path.of("target/bench/cluster-agents.log");
            Files.createDirectories(logs.getParent());
            Files.writeString(logs, cluster.logs());
            System.out.printf("%n| three agents, one PostgreSQL journal (N = %d after %d warm-up) | result |%n|---|---|%n",
                    n, warm);
            System.out.printf("| cluster formation: three JVMs launched together until the last is an Up member | %d ms |%n",
                    cluster.formedInMillis());
            System.out.printf("| Link + AddInterface, namespace on alpha, sent to alpha's agent: p50 / p90 / p99 | %.2f / %.2f / %.2f ms |%n",
                    local[n / 2], local[(int) (n * 0.9)], local[(int) (n * 0.99)]);
            System.out.printf("| Link + AddInterface, namespace on alpha, sent to beta's agent: p50 / p90 / p99 | %.2f / %.2f / %.2f ms |%n",
                    remote[n / 2], remote[(int) (n * 0.9)], remote[(int) (n * 0.99)]);
            System.out.printf("| (the network's entity ran on %s) | |%n", networkOn);
            System.out.printf("| SIGKILL of gamma → its namespace refused with HOST_UNAVAILABLE | %s |%n",
                    refusedAfter < 0 ? "not within 120 s" : refusedAfter + " ms");
            System.out.printf("| SIGKILL of gamma → a network that ran on gamma answers again from a survivor | %s |%n",
                    moving == null ? "no network landed on gamma" : answeredAfter < 0 ? "not within 120 s"
                            : answeredAfter + " ms");
        } finally {
            ThrowawayNamespace.removeLeftovers(paths);
        }
        System.exit(0);
    }
}
