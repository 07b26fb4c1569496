package dev.netkeeper.bench;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.recovery.AgentProcess;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Endpoint set-up through the agent with the durable embedded journal (Link + AddInterface, one at a
 * time), and recovery time after a SIGKILL with many endpoints journaled. {@code AgentBench [N] [RECOVERY_N]}.
 */
public final class AgentBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int recoveryN = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        setUp(n);
        recovery(recoveryN);
        System.exit(0);
    }

    private static void setUp(int n) {
        List<String> paths = new ArrayList<>();
        try (TestAgent agent = TestAgent.start("bench")) {
            NetkeeperClient nk = agent.client();
            Network net = nk.newNetwork("bridge", "bench", NetworkOptions.builder().subnet("10.210.0.0/16").build());
            int warm = 20;
            double[] link = new double[n];
            double[] add = new double[n];
            double[] nsCreate = new double[n];
            for (int i = -warm; i < n; i++) {
                String path = TestAgent.namespacePath("b" + (i + warm));
                paths.add(path);
                long t0 = System.nanoTime();
                Namespace ns = nk.newNetworkNamespace(path);
                long t1 = System.nanoTime();
                List<Interface> ifaces = net.link("ep" + (i + warm));
                long t2 = System.nanoTime();
                ns.addInterface(ifaces.get(0));
                long t3 = System.nanoTime();
                if (i >= 0) {
                    nsCreate[i] = (t1 - t0) / 1e6;
                    link[i] = (t2 - t1) / 1e6;
                    add[i] = (t3 - t2) / 1e6;
                }
            }
            double[] both = new double[n];
            for (int i = 0; i < n; i++) {
                both[i] = link[i] + add[i];
            }
            System.out.printf("%n| %d endpoints, sequential, embedded journal | p50 ms | p90 ms | p99 ms |%n|---|---|---|---|%n", n);
            row("Link", link);
            row("AddInterface", add);
            row("Link + AddInterface", both);
            row("namespace create (not included above)", nsCreate);
        } finally {
            ThrowawayNamespace.removeLeftovers(paths);
        }
    }

    private static void row(String what, double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        System.out.printf("| %s | %.2f | %.2f | %.2f |%n", what, pct(s, 50), pct(s, 90), pct(s, 99));
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** Journal n endpoints in a child agent, SIGKILL it, restart it and time until the network converged. */
    private static void recovery(int n) throws Exception {
        Path data = Files.createTempDirectory("nk-bench-recovery-");
        try (ThrowawayNamespace host = ThrowawayNamespace.create("benchrec")) {
            Process first = child(host, data, "create rec 10.220.0.0/16", "linkmany rec ep " + n, "sleep 600000");
            long t0 = System.nanoTime();
            awaitLine(first, "RESULT [\"linkmany");
            double linkSeconds = (System.nanoTime() - t0) / 1e9;
            first.destroyForcibly().waitFor(); // SIGKILL
            long start = System.nanoTime();
            Process second = child(host, data, "sleep 600000");
            String started = awaitLine(second, "STARTED");
            double upMs = (System.nanoTime() - start) / 1e6;
            awaitLine(second, "network rec converged");
            double convergedMs = (System.nanoTime() - start) / 1e6;
            second.destroyForcibly().waitFor();
            System.out.printf("%n| recovery after SIGKILL, %d endpoints journaled | ms |%n|---|---|%n", n);
            System.out.printf("| agent JVM start to node up (%s) | %.0f |%n", started.trim(), upMs);
            System.out.printf("| agent JVM start to network converged (all %d veths checked) | %.0f |%n", n, convergedMs);
            System.out.printf("%n(journaling %d links, 16 in flight, took %.1f s: %.0f links/s)%n", n, linkSeconds,
                    n / linkSeconds);
        } finally {
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Process child(ThrowawayNamespace host, Path data, String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("src/test/resources/logback-test.xml").toAbsolutePath(),
                AgentProcess.class.getName(), host.path().toString(), data.toString(), "-"));
        cmd.addAll(List.of(commands));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String awaitLine(Process p, String prefix) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.contains(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("child ended before printing " + prefix);
    }
}
