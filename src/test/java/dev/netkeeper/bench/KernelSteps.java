package dev.netkeeper.bench;

import dev.netkeeper.kernel.BornEndpoint;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.kernel.DeleteNamespace;
import dev.netkeeper.kernel.EnsureNamespace;
import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.PlaceInterface;
import dev.netkeeper.kernel.ReturnInterface;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.netlink.VethPair;
import dev.netkeeper.netlink.nl.Rtnetlink;
import dev.netkeeper.kernel.EnsureBridge;
import dev.netkeeper.kernel.EnsureVeth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel part of netkeeper's commands, without actors or journal: the very KernelTask records the netlink actor
 * runs (EnsureNamespace, EnsureVeth, PlaceInterface, ReturnInterface, DeleteLink, DeleteNamespace), run here on one
 * thread against a KernelContext whose host is a throwaway namespace, and timed one by one. A second pass does
 * PlaceInterface's steps one at a time, through the same Handle calls it makes, to show which step costs what.
 */
final class KernelSteps {
    /** Task name -> per-endpoint ms. */
    final Map<String, double[]> tasks = new LinkedHashMap<>();
    /** PlaceInterface's own steps -> per-endpoint ms. */
    final Map<String, double[]> placeSteps = new LinkedHashMap<>();
    /** The same endpoint with the peer born inside the namespace as eth0 (no move, no rename) -> per-endpoint ms. */
    final Map<String, double[]> bornInside = new LinkedHashMap<>();
    int mountinfoLines;

    private KernelSteps() {}

    static KernelSteps run(int n) {
        KernelSteps out = new KernelSteps();
        Path host = Netns.createFresh("steps-host");
        List<Path> created = new ArrayList<>();
        KernelContext kernel = KernelContext.open(Optional.of(host));
        try {
            new EnsureBridge("nksteps0", 1500, List.of("10.243.0.1/16"), LinkMark.bridge("nksteps")).run(kernel);
            int warm = 20;
            out.measureTasks(kernel, "w", warm, created, false);
            out.tasks.clear();
            out.mountinfoLines = mountinfoLines();
            out.measureTasks(kernel, "t", n, created, true);
            out.measureSteps(kernel, "w2", warm, created);
            out.placeSteps.clear();
            out.measureSteps(kernel, "s", n, created);
            out.measureBornInside(kernel, "b", n, created);
        } finally {
            kernel.close();
            Netns.deleteAll(created);
            Netns.delete(host);
        }
        return out;
    }

    private void measureTasks(KernelContext kernel, String tag, int n, List<Path> created, boolean keep) {
        double[] ns = new double[n];
        double[] veth = new double[n];
        double[] place = new double[n];
        double[] ret = new double[n];
        double[] del = new double[n];
        double[] nsDel = new double[n];
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = Netns.path("steps-" + tag + i);
            paths.add(p);
            created.add(p);
            int a = i + 2;
            String ip = "10.243." + (a >> 8) + "." + (a & 0xff) + "/16";
            String mac = String.format("02:42:0a:f3:%02x:%02x", a >> 8, a & 0xff);
            String veth0 = "vst" + tag + i;
            String ceth = "cst" + tag + i;
            long t0 = System.nanoTime();
            new EnsureNamespace(p.toString()).run(kernel);
            long t1 = System.nanoTime();
            new EnsureVeth(veth0, ceth, mac, "nksteps0", 1500, LinkMark.hostEnd("nksteps", veth0),
                    LinkMark.containerEnd("nksteps", veth0, ceth)).run(kernel);
            long t2 = System.nanoTime();
            new PlaceInterface(p.toString(), ceth, "eth0", mac, 1500, List.of(ip), "10.243.0.1", null, null).run(kernel);
            long t3 = System.nanoTime();
            ns[i] = (t1 - t0) / 1e6;
            veth[i] = (t2 - t1) / 1e6;
            place[i] = (t3 - t2) / 1e6;
        }
        for (int i = 0; i < n; i++) {
            Path p = paths.get(i);
            long t0 = System.nanoTime();
            int a = i + 2;
            new ReturnInterface(p.toString(), "eth0", "cst" + tag + i,
                    String.format("02:42:0a:f3:%02x:%02x", a >> 8, a & 0xff), null).run(kernel);
            long t1 = System.nanoTime();
            new DeleteLink("vst" + tag + i, LinkMark.hostEnd("nksteps", "vst" + tag + i)).run(kernel);
            long t2 = System.nanoTime();
            new DeleteNamespace(p.toString()).run(kernel);
            long t3 = System.nanoTime();
            ret[i] = (t1 - t0) / 1e6;
            del[i] = (t2 - t1) / 1e6;
            nsDel[i] = (t3 - t2) / 1e6;
        }
        if (keep) {
            tasks.put("EnsureNamespace (namespace create)", ns);
            tasks.put("EnsureVeth (Link)", veth);
            tasks.put("PlaceInterface (AddInterface)", place);
            tasks.put("ReturnInterface (RemoveInterface)", ret);
            tasks.put("DeleteLink (Unlink)", del);
            tasks.put("DeleteNamespace (namespace delete)", nsDel);
        }
    }

    /** PlaceInterface for a fresh interface, one Handle call at a time (same order, same calls). */
    private void measureSteps(KernelContext kernel, String tag, int n, List<Path> created) {
        String[] names = {"open namespace handle (first use: open + setns + socket)", "get eth0 (absent)",
                "get srcName in namespace (absent)", "host: require srcName", "host: move to namespace",
                "rename to eth0 (lookup + RTM_NEWLINK)", "require eth0", "list addresses (lookup + dump)",
                "add address (lookup + RTM_NEWADDR)", "require lo", "set lo up", "set eth0 up",
                "list routes (dump)", "add default route (lookup + RTM_NEWROUTE)"};
        double[][] t = new double[names.length][n];
        List<Path> paths = new ArrayList<>();
        Handle host = kernel.host();
        for (int i = 0; i < n; i++) {
            Path p = Netns.path("steps-" + tag + i);
            paths.add(p);
            created.add(p);
            new EnsureNamespace(p.toString()).run(kernel);
            int a = i + 2;
            String mac = String.format("02:42:0a:f3:%02x:%02x", a >> 8, a & 0xff);
            String src = "cst" + tag + i;
            host.links().addVeth(new VethPair("vst" + tag + i, src, 1500, Optional.empty(), Optional.of("nksteps0"),
                    Optional.of(MacAddress.parse(mac)), true));
            IpPrefix prefix = IpPrefix.parse("10.243." + (a >> 8) + "." + (a & 0xff) + "/16");
            int s = 0;
            long c = System.nanoTime();
            Handle ns = kernel.in(p);
            c = lap(t, s++, i, c);
            ns.links().get("eth0");
            c = lap(t, s++, i, c);
            ns.links().get(src);
            c = lap(t, s++, i, c);
            host.links().require(src, "bench");
            c = lap(t, s++, i, c);
            NetNamespace target = kernel.namespace(p);
            host.links().moveTo(src, target);
            c = lap(t, s++, i, c);
            ns.links().rename(src, "eth0");
            c = lap(t, s++, i, c);
            ns.links().require("eth0", "bench");
            c = lap(t, s++, i, c);
            ns.addresses().list("eth0");
            c = lap(t, s++, i, c);
            ns.addresses().add("eth0", prefix);
            c = lap(t, s++, i, c);
            ns.links().require("lo", "bench");
            c = lap(t, s++, i, c);
            ns.links().setUp("lo");
            c = lap(t, s++, i, c);
            ns.links().setUp("eth0");
            c = lap(t, s++, i, c);
            ns.routes().list(Rtnetlink.AF_INET);
            c = lap(t, s++, i, c);
            ns.routes().addDefault(IpPrefix.literal("10.243.0.1"), "eth0");
            lap(t, s, i, c);
        }
        for (int i = 0; i < n; i++) {
            new DeleteLink("vst" + tag + i, LinkMark.hostEnd("nksteps", "vst" + tag + i)).run(kernel);
            new DeleteNamespace(paths.get(i).toString()).run(kernel);
        }
        for (int k = 0; k < names.length; k++) {
            placeSteps.put(names[k], t[k]);
        }
    }

    /**
     * What Link + AddInterface would cost in the kernel if the pair were made when the namespace is known: one
     * RTM_NEWLINK with the peer created in the namespace as eth0 (IFLA_NET_NS_FD in VETH_INFO_PEER, a path LinkOps
     * already has), then address, lo up, eth0 up and the default route; no move between namespaces, no rename.
     */
    private void measureBornInside(KernelContext kernel, String tag, int n, List<Path> created) {
        double[] create = new double[n];
        double[] configure = new double[n];
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = Netns.path("steps-" + tag + i);
            paths.add(p);
            created.add(p);
            new EnsureNamespace(p.toString()).run(kernel);
            int a = i + 2;
            String mac = String.format("02:42:0a:f3:%02x:%02x", a >> 8, a & 0xff);
            Handle ns = kernel.in(p);
            long t0 = System.nanoTime();
            kernel.host().links().addVeth(new VethPair("vst" + tag + i, "eth0", 1500, Optional.of(kernel.namespace(p)),
                    Optional.of("nksteps0"), Optional.of(MacAddress.parse(mac)), true));
            long t1 = System.nanoTime();
            ns.addresses().add("eth0", IpPrefix.parse("10.243." + (a >> 8) + "." + (a & 0xff) + "/16"));
            ns.links().setUp("lo");
            ns.links().setUp("eth0");
            ns.routes().addDefault(IpPrefix.literal("10.243.0.1"), "eth0");
            long t2 = System.nanoTime();
            create[i] = (t1 - t0) / 1e6;
            configure[i] = (t2 - t1) / 1e6;
        }
        for (int i = 0; i < n; i++) {
            new DeleteLink("vst" + tag + i, LinkMark.hostEnd("nksteps", "vst" + tag + i)).run(kernel);
            new DeleteNamespace(paths.get(i).toString()).run(kernel);
        }
        bornInside.put("veth created with its peer inside the namespace as eth0 (master, up, MAC, MTU in the request)",
                create);
        bornInside.put("then address, lo up, eth0 up, default route", configure);
        bornInside.put("together (vs EnsureVeth + PlaceInterface above)", sum(create, configure));
        measureOneStepTasks(kernel, tag + "o", n, created);
    }

    /** The one-step path's own tasks, as the bridge driver gives them: EnsureVeth born in the namespace, then PlaceInterface. */
    private void measureOneStepTasks(KernelContext kernel, String tag, int n, List<Path> created) {
        Netns.quiesce(); // the namespaces deleted before are torn down by the kernel in the background, under rtnl
        double[] veth = new double[n];
        double[] place = new double[n];
        double[] delete = new double[n];
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = Netns.path("steps-" + tag + i);
            paths.add(p);
            created.add(p);
            new EnsureNamespace(p.toString()).run(kernel);
            int a = i + 2;
            String mac = String.format("02:42:0a:f3:%02x:%02x", a >> 8, a & 0xff);
            String hostEnd = "vst" + tag + i;
            EnsureVeth veth0 = new EnsureVeth(hostEnd, "cst" + tag + i, mac, "nksteps0", 1500,
                    LinkMark.hostEnd("nksteps", hostEnd), LinkMark.containerEnd("nksteps", hostEnd, "cst" + tag + i))
                    .bornIn(new EnsureVeth.Birthplace(p.toString(), "eth0", null));
            PlaceInterface place0 = new PlaceInterface(p.toString(), "cst" + tag + i, "eth0", mac, 1500,
                    List.of("10.243." + (a >> 8) + "." + (a & 0xff) + "/16"), "10.243.0.1", null, null);
            long t0 = System.nanoTime();
            new dev.netkeeper.kernel.BornEndpoint(veth0, place0).run(kernel);
            long t1 = System.nanoTime();
            place0.run(kernel); // the same again: what a retry or a converge finds in place
            long t2 = System.nanoTime();
            veth[i] = (t1 - t0) / 1e6;
            place[i] = (t2 - t1) / 1e6;
        }
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            new DeleteLink("vst" + tag + i, LinkMark.hostEnd("nksteps", "vst" + tag + i)).run(kernel);
            delete[i] = (System.nanoTime() - t0) / 1e6;
            new DeleteNamespace(paths.get(i).toString()).run(kernel);
        }
        bornInside.put("**one-step Link's kernel work** (BornEndpoint: pair born in the namespace, marked, addressed, "
                + "up, routed)", veth);
        bornInside.put("the same endpoint checked again (PlaceInterface finding it in place: a retry, a converge)", place);
        bornInside.put("one-step teardown: DeleteLink of the host end (its peer in the namespace goes too)", delete);
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static long lap(double[][] t, int step, int i, long since) {
        long now = System.nanoTime();
        t[step][i] = (now - since) / 1e6;
        return now;
    }

    /** Lines of /proc/self/mountinfo: what NetNamespace.isMounted reads and splits on each check. */
    static int mountinfoLines() {
        try (var lines = java.nio.file.Files.lines(Path.of("/proc/self/mountinfo"))) {
            return (int) lines.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
