package dev.netkeeper.bench;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark's throwaway namespaces: all of them are /var/run/netns/nkbench-&lt;run id&gt;-..., so that the run
 * removes exactly its own. Not "nktest-": a test suite running at the same time checks that no nktest- namespace
 * exists while it runs (LeakCheckTest), and the benchmark's must not fail it. Nothing here ever works in the
 * machine's own namespace: every namespace is made here and checked to hold only "lo" before use.
 */
final class Netns {
    static final Path ROOT = ThrowawayNamespace.ROOT;
    static final String PREFIX = "nkbench-";
    private static String prefix = PREFIX + "0";

    private Netns() {}

    static void runId(String id) {
        prefix = PREFIX + id;
    }

    /** "nkbench-RUN-role": the file-name prefix of this run's namespaces with that role. */
    static String name(String role) {
        return prefix + "-" + role;
    }

    static Path path(String role) {
        return ROOT.resolve(name(role));
    }

    /**
     * Creates the namespace and checks, through a handle inside it, that it holds only "lo" (as ThrowawayNamespace
     * does): a handle that saw more would be talking to another namespace, and nothing may mutate through it.
     */
    static Path createFresh(String role) {
        Path p = path(role);
        NetNamespace ns = NetNamespace.create(p);
        try (Handle h = Handle.open(ns)) {
            List<String> seen = h.links().list().stream().map(Link::name).toList();
            if (!seen.equals(List.of("lo"))) {
                throw new IllegalStateException("new namespace " + p + " is not fresh (links " + seen + ")");
            }
        } finally {
            ns.close();
        }
        return p;
    }

    static void delete(Path p) {
        if (Files.exists(p)) {
            NetNamespace.delete(p);
        }
    }

    static void deleteAll(Collection<Path> paths) {
        for (Path p : paths) {
            delete(p);
        }
    }

    /** Every namespace of this run still mounted under /var/run/netns. */
    static List<Path> leftovers() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(ROOT)) {
            s.filter(p -> p.getFileName().toString().startsWith(prefix + "-")).forEach(out::add);
        } catch (IOException e) {
            // no /var/run/netns: nothing left
        }
        return out;
    }

    /** Removes this run's namespaces; answers how many there were. */
    static int cleanUp() {
        List<Path> left = leftovers();
        deleteAll(left);
        return left.size();
    }

    /**
     * Waits until the kernel has finished tearing down namespaces deleted just before (cleanup_net holds the rtnl
     * lock while it unregisters their links, which would stall the next measurement): a request that takes the rtnl
     * lock (setting lo up in a scratch namespace) answers in under 2 ms three times in a row. Answers the ms waited.
     */
    static double quiesce() {
        long start = System.nanoTime();
        Path scratch = createFresh("quiesce-" + Long.toHexString(System.nanoTime() & 0xfffff));
        NetNamespace ns = NetNamespace.open(scratch);
        try (Handle h = Handle.open(ns)) {
            sleep(200);
            int fast = 0;
            while (System.nanoTime() - start < 120_000_000_000L) {
                long t = System.nanoTime();
                h.links().setUp("lo");
                if (System.nanoTime() - t < 2_000_000L) {
                    if (++fast >= 3) {
                        break;
                    }
                } else {
                    fast = 0;
                }
                sleep(50);
            }
        } finally {
            ns.close();
            delete(scratch);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command (ip, nsenter...) and requires exit 0. */
    static IpOracle.Result run(String... command) {
        IpOracle.Result r = IpOracle.run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exitCode() + "): "
                    + r.stderr() + r.stdout());
        }
        return r;
    }
}
