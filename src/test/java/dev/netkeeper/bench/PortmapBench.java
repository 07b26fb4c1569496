package dev.netkeeper.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of the published-ports rows: Debian's CNI {@code portmap} plugin (iptables rules, a chain per
 * container, three rules per port) doing the same mappings inside a throwaway host namespace: one container's single
 * port added and deleted with none and with {@code many} ports already published (by 10 containers), and the rules
 * those leave. Process starts are part of every call, as a runtime pays them.
 */
final class PortmapBench {
    record Result(Stats addAt0, Stats delAt0, Stats addAtMany, Stats delAtMany, double bulkSeconds, int rulesAtMany) {}

    private PortmapBench() {}

    static boolean available() {
        return java.nio.file.Files.isExecutable(CniBench.PLUGINS.resolve("portmap"))
                && java.nio.file.Files.isExecutable(Path.of("/usr/sbin/iptables"));
    }

    static Result run(Path host, int many, int rounds) throws Exception {
        double[][] at0 = probeRounds(host, rounds);
        long bulk = System.nanoTime();
        for (int c = 0; c < 10; c++) {
            call(host, "ADD", "bulk" + c, "10.1." + c + ".2", 20_000 + c * (many / 10), many / 10);
        }
        double bulkS = (System.nanoTime() - bulk) / 1e9;
        int rules = rules(host);
        double[][] atMany = probeRounds(host, rounds);
        for (int c = 0; c < 10; c++) {
            call(host, "DEL", "bulk" + c, "10.1." + c + ".2", 20_000 + c * (many / 10), many / 10);
        }
        return new Result(Stats.of(at0[0]), Stats.of(at0[1]), Stats.of(atMany[0]), Stats.of(atMany[1]), bulkS, rules);
    }

    private static double[][] probeRounds(Path host, int rounds) throws Exception {
        double[] add = new double[rounds];
        double[] del = new double[rounds];
        for (int i = -3; i < rounds; i++) {
            int port = 40_000 + i + 3;
            double a = call(host, "ADD", "probe" + port, "10.2.0.2", port, 1);
            double d = call(host, "DEL", "probe" + port, "10.2.0.2", port, 1);
            if (i >= 0) {
                add[i] = a;
                del[i] = d;
            }
        }
        return new double[][] {add, del};
    }

    /** One portmap call for container {@code id} at {@code ip}: {@code count} host ports from {@code first} to port 80. */
    private static double call(Path host, String command, String id, String ip, int first, int count) throws Exception {
        StringBuilder maps = new StringBuilder();
        for (int i = 0; i < count; i++) {
            maps.append(i == 0 ? "" : ",").append("{\"hostPort\":").append(first + i)
                    .append(",\"containerPort\":80,\"protocol\":\"tcp\"}");
        }
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"pm\",\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},"
                + "\"runtimeConfig\":{\"portMappings\":[" + maps + "]},\"prevResult\":{\"cniVersion\":\"1.0.0\","
                + "\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/proc/1/ns/net\"}],"
                + "\"ips\":[{\"address\":\"" + ip + "/24\",\"interface\":0}]}}";
        return CniBench.invoke(host, "portmap", command, id, "/proc/1/ns/net", conf);
    }

    private static int rules(Path host) throws Exception {
        Process p = new ProcessBuilder("nsenter", "--net=" + host, "iptables-save", "-t", "nat").start();
        List<String> lines = new ArrayList<>(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        p.waitFor(30, TimeUnit.SECONDS);
        return (int) lines.stream().filter(l -> l.startsWith("-A ")).count();
    }
}
