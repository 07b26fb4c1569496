package dev.netkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 4: the reference CNI bridge plugin (Debian's containernetworking-plugins) with host-local IPAM,
 * isGateway, no ipMasq, and a default route (host-local "routes": 0.0.0.0/0, so that the container gets the same
 * default route via the bridge that netkeeper's AddInterface installs). ADD puts eth0 into a fresh container namespace; DEL takes it out again. The plugin runs
 * as {@code nsenter --net=/var/run/netns/<bench host>} so that its bridge, its host-side veths and the
 * ip_forward sysctl it sets all land in the throwaway host namespace; host-local keeps its leases in a temp dir.
 * N sequential ADDs, N sequential DELs, then the same N namespaces (empty again) 16 at a time.
 */
final class CniBench {
    static final Path PLUGINS = Path.of("/usr/lib/cni");

    record Run(double[] addMs, double addWallMs, double[] delMs, double delWallMs) {}

    record Result(int n, Run sequential, Run concurrent, int concurrency, double[] startMs) {}

    private CniBench() {}

    static boolean available() {
        return Files.isExecutable(PLUGINS.resolve("bridge")) && Files.isExecutable(PLUGINS.resolve("host-local"));
    }

    static Result run(int n, int concurrency, Path work) throws Exception {
        Path host = Netns.createFresh("cni-host");
        Path data = work.resolve("cni-host-local");
        deleteTree(data); // leases of an earlier run would clash
        Files.createDirectories(data);
        List<Path> containers = new ArrayList<>();
        try {
            String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"nkbench\",\"type\":\"bridge\",\"bridge\":\"nkcni0\","
                    + "\"isGateway\":true,\"ipMasq\":false,\"ipam\":{\"type\":\"host-local\","
                    + "\"subnet\":\"10.242.0.0/16\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dataDir\":\"" + data + "\"}}";
            for (int i = 0; i < n; i++) {
                containers.add(Netns.createFresh("cni-" + i));
            }
            double[] start = new double[30];
            for (int i = 0; i < start.length; i++) {
                start[i] = plugin(host, "VERSION", containers.get(0), 0, conf);
            }
            Run seq = round(host, containers, conf, 1);
            Run conc = round(host, containers, conf, concurrency);
            return new Result(n, seq, conc, concurrency, start);
        } finally {
            Netns.deleteAll(containers);
            Netns.delete(host);
            deleteTree(data);
        }
    }

    private static Run round(Path host, List<Path> containers, String conf, int concurrency) throws Exception {
        int n = containers.size();
        double[] add = new double[n];
        double[] del = new double[n];
        long a = System.nanoTime();
        Parallel.each(n, concurrency, i -> add[i] = plugin(host, "ADD", containers.get(i), i, conf));
        double addWall = (System.nanoTime() - a) / 1e6;
        check(containers.get(0));
        long d = System.nanoTime();
        Parallel.each(n, concurrency, i -> del[i] = plugin(host, "DEL", containers.get(i), i, conf));
        double delWall = (System.nanoTime() - d) / 1e6;
        return new Run(add, addWall, del, delWall);
    }

    /** One plugin invocation; answers its wall time in ms (process start-up included, as a runtime pays it). */
    private static double plugin(Path host, String command, Path container, int i, String conf) throws Exception {
        return invoke(host, "bridge", command, "nkbench" + i, container.toString(), conf);
    }

    /**
     * Runs CNI plugin {@code plugin} inside the network namespace {@code host} with the CNI environment and
     * {@code conf} on stdin; answers its wall time in ms, or throws with what it printed when it fails.
     */
    static double invoke(Path host, String plugin, String command, String containerId, String netns, String conf)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder("nsenter", "--net=" + host, PLUGINS.resolve(plugin).toString());
        pb.environment().put("CNI_COMMAND", command);
        pb.environment().put("CNI_CONTAINERID", containerId);
        pb.environment().put("CNI_NETNS", netns);
        pb.environment().put("CNI_IFNAME", "eth0");
        pb.environment().put("CNI_PATH", PLUGINS.toString());
        pb.redirectErrorStream(true);
        long t = System.nanoTime();
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(conf.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("CNI " + plugin + " " + command + " timed out");
        }
        double ms = (System.nanoTime() - t) / 1e6;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("CNI " + plugin + " " + command + " for " + containerId + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return ms;
    }

    private static void check(Path container) {
        String ns = container.getFileName().toString();
        List<String> addrs = IpOracle.addressesOf(ns, "eth0");
        boolean route = false;
        for (JsonNode r : IpOracle.routes(ns, false)) {
            route |= r.path("dst").asText().equals("default");
        }
        if (addrs.isEmpty() || !route) {
            throw new IllegalStateException("CNI ADD did not configure " + ns + ": " + addrs);
        }
    }


    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
