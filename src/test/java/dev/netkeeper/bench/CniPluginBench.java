package dev.netkeeper.bench;

import dev.netkeeper.testing.Podman;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A CNI plugin chain as a runtime executes it (one process per plugin and command, {@code nsenter --net=} the
 * host namespace, the configuration on stdin, the previous plugin's result as {@code prevResult}): netkeeper's
 * shim against the reference {@code bridge} + {@code host-local} (+ {@code portmap}), each ADD and DEL timed
 * whole, sequentially and {@code concurrency} at a time; the shim's own start-to-exit cost; and
 * {@code podman run --rm} on each kind of network.
 */
final class CniPluginBench {
    /** One plugin of a chain: its executable and its configuration for container {@code i}. */
    record Step(Path plugin, IntFunction<String> conf) {}

    /** Sequential latencies (ms), and the wall time per container (ms) of the concurrent round. */
    record Rows(double[] addSeq, double[] delSeq, double addPerContainerConcurrent, double delPerContainerConcurrent) {}

    private CniPluginBench() {}

    /**
     * ADD then DEL of every container of {@code sequential}, one at a time; then of every one of {@code concurrent},
     * {@code concurrency} at a time (each set its own namespaces: a runtime's every container has a new one).
     */
    static Rows run(Path host, List<Path> sequential, List<Path> concurrent, List<Step> chain, int concurrency)
            throws Exception {
        int n = sequential.size();
        double[] add = new double[n];
        double[] del = new double[n];
        String[] results = new String[Math.max(n, concurrent.size())];
        Parallel.each(n, 1, i -> {
            long t = System.nanoTime();
            results[i] = add(host, chain, i, sequential.get(i));
            add[i] = (System.nanoTime() - t) / 1e6;
        });
        Parallel.each(n, 1, i -> {
            long t = System.nanoTime();
            del(host, chain, i, sequential.get(i), results[i]);
            del[i] = (System.nanoTime() - t) / 1e6;
        });
        int m = concurrent.size();
        long a = System.nanoTime();
        Parallel.each(m, concurrency, i -> results[i] = add(host, chain, i, concurrent.get(i)));
        double addWall = (System.nanoTime() - a) / 1e6 / m;
        long d = System.nanoTime();
        Parallel.each(m, concurrency, i -> del(host, chain, i, concurrent.get(i), results[i]));
        double delWall = (System.nanoTime() - d) / 1e6 / m;
        return new Rows(add, del, addWall, delWall);
    }

    private static String add(Path host, List<Step> chain, int i, Path netns) throws Exception {
        String prev = null;
        for (Step s : chain) {
            prev = invoke(host, s.plugin(), "ADD", "nkb" + i, netns.toString(), withPrev(s.conf().apply(i), prev));
        }
        return prev;
    }

    private static void del(Path host, List<Step> chain, int i, Path netns, String result) throws Exception {
        for (int k = chain.size() - 1; k >= 0; k--) {
            Step s = chain.get(k);
            invoke(host, s.plugin(), "DEL", "nkb" + i, netns.toString(), withPrev(s.conf().apply(i), result));
        }
    }

    private static String withPrev(String conf, String prev) {
        return prev == null ? conf : conf.substring(0, conf.lastIndexOf('}')) + ",\"prevResult\":" + prev.strip() + "}";
    }

    /** One execution; its stdout, or an exception with it when the plugin fails. */
    static String invoke(Path host, Path plugin, String command, String containerId, String netns, String conf)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        if (host != null) {
            cmd.addAll(List.of("nsenter", "--net=" + host));
        }
        cmd.add(plugin.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId, "CNI_NETNS", netns,
                "CNI_IFNAME", "eth0", "CNI_PATH", plugin.getParent() + ":" + CniBench.PLUGINS));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(conf.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(plugin + " " + command + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(plugin.getFileName() + " " + command + " for " + containerId + " failed: " + out);
        }
        return out;
    }

    /** Wall times (ms) of {@code runs} executions of {@code command} (no namespace entry): the cost of a process. */
    static double[] processStarts(List<String> command, String stdin, Map<String, String> env, int runs) throws Exception {
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            long t = System.nanoTime();
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getInputStream().readAllBytes();
            p.waitFor();
            ms[r] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    /** {@code podman run --rm IMAGE true} on {@code network} ("none" too), {@code runs} times after one warm-up. */
    static double[] podmanRuns(Podman podman, String network, int runs) {
        double[] ms = new double[runs];
        for (int r = -1; r < runs; r++) {
            long t = System.nanoTime();
            podman.ok("run", "--rm", "--network", network, Podman.IMAGE, "/bin/busybox", "true");
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t) / 1e6;
            }
        }
        return ms;
    }
}
