package dev.netkeeper.bench;

import dev.netkeeper.netlink.LinkOps;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.VethPair;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * N veth-pair creations through our netlink layer vs. iproute2's {@code ip -batch} doing the same, in
 * the same run, each in a fresh throwaway namespace. Prints a Markdown table. {@code VethBench [N]}.
 */
public final class VethBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        warmUp();
        double ours = timeOurs(n, false);
        double oursOnBridge = timeOurs(n, true);
        double ipBatch = timeIpBatch(n);
        System.out.printf("| %d veth pairs | total ms | per pair ms |%n|---|---|---|%n", n);
        System.out.printf("| netkeeper netlink (RTM_NEWLINK per pair) | %.1f | %.3f |%n", ours, ours / n);
        System.out.printf("| netkeeper, endpoint form (master + up + peer MAC in the same request) | %.1f | %.3f |%n",
                oursOnBridge, oursOnBridge / n);
        System.out.printf("| ip -batch (veth only) | %.1f | %.3f |%n", ipBatch, ipBatch / n);
        System.out.printf("%nratio netkeeper / ip -batch: %.2f%n", ours / ipBatch);
    }

    private static void warmUp() {
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("benchw")) {
            for (int i = 0; i < 50; i++) {
                ns.handle().links().addVeth("w" + i, "wp" + i, 0, Optional.empty());
            }
        }
    }

    private static double timeOurs(int n, boolean endpointForm) {
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("bench")) {
            LinkOps links = ns.handle().links();
            if (endpointForm) {
                links.addBridge("br0", 1500, Optional.empty());
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (endpointForm) {
                    links.addVeth(new VethPair("veth" + i, "ceth" + i, 1500, Optional.empty(), Optional.of("br0"),
                            Optional.of(new MacAddress(0x024200000000L + i)), true));
                } else {
                    links.addVeth("veth" + i, "ceth" + i, 1500, Optional.empty());
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double timeIpBatch(int n) throws Exception {
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("benchip")) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < n; i++) {
                batch.append("link add veth").append(i).append(" mtu 1500 type veth peer name ceth").append(i)
                        .append(" mtu 1500\n");
            }
            Path file = Files.createTempFile("nk-batch-", ".txt");
            Files.writeString(file, batch);
            try {
                long t0 = System.nanoTime();
                IpOracle.Result r = IpOracle.run("ip", "-n", ns.name(), "-batch", file.toString());
                double ms = (System.nanoTime() - t0) / 1e6;
                if (r.exitCode() != 0) {
                    throw new IllegalStateException("ip -batch failed: " + r.stderr());
                }
                return ms;
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
