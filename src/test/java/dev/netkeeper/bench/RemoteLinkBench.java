package dev.netkeeper.bench;

import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.ThrowawayNamespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Round trip of {@code link} from another JVM: the agent runs as its own process, this JVM is the
 * client over Artery. N sequential links after a warm-up. {@code RemoteLinkBench [N]}.
 */
public final class RemoteLinkBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warm = 20; // a Linux bridge takes at most 1,024 ports (BR_MAX_PORTS): warm-up + N must fit
        Path data = Files.createTempDirectory("nk-remote-bench-");
        try (ThrowawayNamespace host = ThrowawayNamespace.create("benchremote");
             AgentChild agent = new AgentChild(host.path(), data, AgentChild.freePort()).start();
             NetkeeperClient client = NetkeeperClient.connect(agent.address(),
                     ClientSettings.defaults().withCredentials(agent.clientCredentials("bench")))) {
            Network net = client.newNetwork("bridge", "rbench", NetworkOptions.builder().subnet("10.230.0.0/16").build());
            double[] ms = new double[n];
            for (int i = -warm; i < n; i++) {
                long t0 = System.nanoTime();
                net.link("ep" + (i + warm));
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            System.out.printf("%n| link from a remote JVM client, %d sequential (after %d warm-up) | ms |%n|---|---|%n", n, warm);
            System.out.printf("| p50 | %.2f |%n| p90 | %.2f |%n| p99 | %.2f |%n", ms[n / 2], ms[(int) (n * 0.9)],
                    ms[(int) (n * 0.99)]);
        } finally {
            AgentChild.deleteTree(data);
        }
        System.exit(0);
    }
}
