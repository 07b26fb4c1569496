package dev.netkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 3, the kernel floor: the kernel operations of netkeeper's endpoint set-up and teardown done by iproute2
 * from batch files, no journal, no actors. Set-up: namespaces by one {@code ip -batch} ("netns add" lines); the
 * host side by one {@code ip -n HOST -batch} (veth created with its MTU, master, up and peer MAC in one request,
 * as netkeeper does, then the peer moved into its namespace); then per namespace one {@code ip -n NS -batch}
 * (rename to eth0, address, lo up, eth0 up, default route). Teardown mirrors netkeeper's: per namespace eth0
 * down, renamed back and moved to the host; one host batch deleting the veths; one batch of "netns del".
 * Every time includes iproute2's process start-ups (N + 2 of them), which is measured separately too.
 */
final class KernelFloor {
    record Result(int n, double nsAddMs, double hostMs, double inNsMs, double teardownInNsMs, double teardownHostMs,
                  double nsDelMs, double ipStartMs) {
        /** Per endpoint, the Link + AddInterface equivalent (host batch + in-namespace batches). */
        double endpointMs() {
            return (hostMs + inNsMs) / n;
        }

        double namespaceMs() {
            return nsAddMs / n;
        }

        double teardownMs() {
            return (teardownInNsMs + teardownHostMs) / n;
        }

        double nsDeleteMs() {
            return nsDelMs / n;
        }
    }

    private KernelFloor() {}

    static Result run(int n, Path work) throws IOException {
        String hostName = host("floor-host");
        Path host = Netns.ROOT.resolve(hostName);
        Path dir = Files.createDirectories(work.resolve("floor"));
        List<Path> namespaces = new ArrayList<>();
        try {

            StringBuilder nsAdd = new StringBuilder();
            StringBuilder hostBatch = new StringBuilder();
            StringBuilder hostDel = new StringBuilder();
            StringBuilder nsDel = new StringBuilder();
            List<Path> inNs = new ArrayList<>();
            List<Path> outNs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String ns = Netns.name("floor-" + i);
                namespaces.add(Netns.ROOT.resolve(ns));
                String veth = "vfl" + i;
                String ceth = "cfl" + i;
                int a = i + 2;
                String ip = "10.241." + (a >> 8) + "." + (a & 0xff);
                String mac = String.format("02:42:0a:f1:%02x:%02x", a >> 8, a & 0xff);
                nsAdd.append("netns add ").append(ns).append('\n');
                hostBatch.append("link add ").append(veth).append(" mtu 1500 master nkfloor0 up type veth peer name ")
                        .append(ceth).append(" mtu 1500 address ").append(mac).append('\n');
                hostBatch.append("link set ").append(ceth).append(" netns ").append(ns).append('\n');
                Path in = dir.resolve("in-" + i + ".batch");
                Files.writeString(in, "link set " + ceth + " name eth0\n"
                        + "addr add " + ip + "/16 dev eth0\n"
                        + "link set lo up\n"
                        + "link set eth0 up\n"
                        + "route add default via 10.241.0.1 dev eth0\n");
                inNs.add(in);
                Path out = dir.resolve("out-" + i + ".batch");
                Files.writeString(out, "link set eth0 down\nlink set eth0 name " + ceth + "\nlink set " + ceth
                        + " netns " + hostName + "\n");
                outNs.add(out);
                hostDel.append("link del ").append(veth).append('\n');
                nsDel.append("netns del ").append(ns).append('\n');
            }
            Path nsAddFile = Files.writeString(dir.resolve("netns-add.batch"), nsAdd);
            Path hostFile = Files.writeString(dir.resolve("host.batch"), hostBatch);
            Path hostDelFile = Files.writeString(dir.resolve("host-del.batch"), hostDel);
            Path nsDelFile = Files.writeString(dir.resolve("netns-del.batch"), nsDel);
            double ipStart = ipStartMs(hostName, dir);

            long t0 = System.nanoTime();
            Netns.run("ip", "-batch", nsAddFile.toString());
            long t1 = System.nanoTime();
            Netns.run("ip", "-n", hostName, "-batch", hostFile.toString());
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Netns.run("ip", "-n", Netns.name("floor-" + i), "-batch", inNs.get(i).toString());
            }
            long t3 = System.nanoTime();
            check(Netns.name("floor-0"));

            long u0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Netns.run("ip", "-n", Netns.name("floor-" + i), "-batch", outNs.get(i).toString());
            }
            long u1 = System.nanoTime();
            Netns.run("ip", "-n", hostName, "-batch", hostDelFile.toString());
            long u2 = System.nanoTime();
            Netns.run("ip", "-batch", nsDelFile.toString());
            long u3 = System.nanoTime();
            return new Result(n, ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(u0, u1), ms(u1, u2), ms(u2, u3), ipStart);
        } finally {
            Netns.deleteAll(namespaces);
            Netns.delete(host);
        }
    }

    /**
     * The one-step floor: per endpoint the pair made with its peer born in the namespace as eth0 (one host batch of
     * {@code link add ... peer name eth0 ... netns NS}), then per namespace one batch of address, lo up, eth0 up and
     * default route; teardown one host batch deleting the host ends (each peer goes with it, where it is).
     * {@code ipStartMs} is iproute2's own start, to be taken out of the per-endpoint times.
     */
    record OneStep(int n, double hostMs, double inNsMs, double deleteMs, double ipStartMs) {
        /** Per endpoint, iproute2's process starts (1 + n) taken out. */
        double endpointMs() {
            return Math.max(0, hostMs + inNsMs - (n + 1) * ipStartMs) / n;
        }

        double teardownMs() {
            return Math.max(0, deleteMs - ipStartMs) / n;
        }
    }

    static OneStep oneStep(int n, Path work) throws IOException {
        String hostName = host("floor1-host");
        Path host = Netns.ROOT.resolve(hostName);
        Path dir = Files.createDirectories(work.resolve("floor-one-step"));
        List<Path> namespaces = new ArrayList<>();
        try {
            StringBuilder nsAdd = new StringBuilder();
            StringBuilder hostBatch = new StringBuilder();
            StringBuilder hostDel = new StringBuilder();
            List<Path> inNs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String ns = Netns.name("floor1-" + i);
                namespaces.add(Netns.ROOT.resolve(ns));
                int a = i + 2;
                String ip = "10.241." + (a >> 8) + "." + (a & 0xff);
                String mac = String.format("02:42:0a:f1:%02x:%02x", a >> 8, a & 0xff);
                nsAdd.append("netns add ").append(ns).append('\n');
                hostBatch.append("link add vfo").append(i).append(" mtu 1500 master nkfloor0 up type veth peer name eth0")
                        .append(" mtu 1500 address ").append(mac).append(" netns ").append(ns).append('\n');
                Path in = dir.resolve("in-" + i + ".batch");
                Files.writeString(in, "addr add " + ip + "/16 dev eth0\nlink set lo up\nlink set eth0 up\n"
                        + "route add default via 10.241.0.1 dev eth0\n");
                inNs.add(in);
                hostDel.append("link del vfo").append(i).append('\n');
            }
            Netns.run("ip", "-batch", Files.writeString(dir.resolve("netns-add.batch"), nsAdd).toString());
            Path hostFile = Files.writeString(dir.resolve("host.batch"), hostBatch);
            Path hostDelFile = Files.writeString(dir.resolve("host-del.batch"), hostDel);
            double ipStart = ipStartMs(hostName, dir);
            long t0 = System.nanoTime();
            Netns.run("ip", "-n", hostName, "-batch", hostFile.toString());
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Netns.run("ip", "-n", Netns.name("floor1-" + i), "-batch", inNs.get(i).toString());
            }
            long t2 = System.nanoTime();
            check(Netns.name("floor1-0"));
            long u0 = System.nanoTime();
            Netns.run("ip", "-n", hostName, "-batch", hostDelFile.toString());
            long u1 = System.nanoTime();
            return new OneStep(n, ms(t0, t1), ms(t1, t2), ms(u0, u1), ipStart);
        } finally {
            Netns.deleteAll(namespaces);
            Netns.delete(host);
        }
    }

    /**
     * The floor's host namespace, with its bridge (the gateway address, up). Made by iproute2 like the floor's other
     * namespaces: its first `netns add` bind-mounts /run/netns onto itself, which would hide a namespace mounted on the
     * plain directory before it (then EBUSY at its deletion).
     */
    private static String host(String role) {
        String hostName = Netns.name(role);
        Netns.run("ip", "netns", "add", hostName);
        try {
            Netns.run("ip", "-n", hostName, "link", "add", "nkfloor0", "type", "bridge");
            Netns.run("ip", "-n", hostName, "addr", "add", "10.241.0.1/16", "dev", "nkfloor0");
            Netns.run("ip", "-n", hostName, "link", "set", "nkfloor0", "up");
        } catch (RuntimeException e) {
            Netns.delete(Netns.ROOT.resolve(hostName));
            throw e;
        }
        return hostName;
    }

    /** iproute2's own cost per process: the mean of 20 runs of an empty batch. */
    private static double ipStartMs(String hostName, Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.batch"), "");
        double total = 0;
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            Netns.run("ip", "-n", hostName, "-batch", empty.toString());
            total += (System.nanoTime() - t) / 1e6;
        }
        return total / 20;
    }

    /** The first namespace looks like one that netkeeper placed: eth0 addressed, up, default route via the bridge. */
    private static void check(String ns) {
        List<String> addrs = IpOracle.addressesOf(ns, "eth0");
        JsonNode routes = IpOracle.routes(ns, false);
        boolean route = false;
        for (JsonNode r : routes) {
            route |= r.path("dst").asText().equals("default") && r.path("gateway").asText().equals("10.241.0.1");
        }
        if (!addrs.contains("10.241.0.2/16") || !route) {
            throw new IllegalStateException("kernel floor: " + ns + " was not set up as expected: " + addrs + " " + routes);
        }
    }

    private static double ms(long a, long b) {
        return (b - a) / 1e6;
    }
}
