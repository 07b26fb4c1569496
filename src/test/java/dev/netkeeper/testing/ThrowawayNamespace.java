package dev.netkeeper.testing;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.NetNamespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace that a test makes for itself under /var/run/netns (so that {@code ip -n NAME}
 * sees it) and removes on close, with an open handle inside it. Names start with {@value #PREFIX},
 * which is what the leak check looks for.
 */
public final class ThrowawayNamespace implements AutoCloseable {
    public static final String PREFIX = "nktest-";
    public static final Path ROOT = Path.of("/var/run/netns");
    private static final java.util.Set<Path> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** True while a ThrowawayNamespace of this JVM owns the path (so clean-ups elsewhere leave it alone). */
    public static boolean isLive(Path path) {
        return LIVE.contains(path);
    }

    private final String name;
    private final NetNamespace namespace;
    private final Handle handle;

    private ThrowawayNamespace(String name, NetNamespace namespace, Handle handle) {
        this.name = name;
        this.namespace = namespace;
        this.handle = handle;
    }

    /** Creates {@code nktest-<role>-<random>}; role keeps names readable in a failure. */
    public static ThrowawayNamespace create(String role) {
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        String name = PREFIX + role + "-" + HexFormat.of().formatHex(random);
        NetNamespace ns = NetNamespace.create(ROOT.resolve(name));
        Handle handle = null;
        try {
            handle = Handle.open(ns);
            requireFresh(name, handle);
            return new ThrowawayNamespace(name, ns, handle).registered();
        } catch (RuntimeException | Error e) {
            if (handle != null) {
                handle.close();
            }
            ns.close();
            NetNamespace.delete(ROOT.resolve(name));
            throw e;
        }
    }

    /**
     * Safety net for the hard rule "never touch the machine's own links": a brand-new namespace holds
     * only "lo". If the handle saw anything else it would be talking to another namespace (the host's),
     * and no test may mutate through it.
     */
    private static void requireFresh(String name, Handle handle) {
        List<String> seen = handle.links().list().stream().map(Link::name).toList();
        if (!seen.equals(List.of("lo"))) {
            throw new IllegalStateException("handle for new namespace " + name
                    + " does not see a fresh namespace (links " + seen + "); refusing to use it");
        }
    }

    private ThrowawayNamespace registered() {
        LIVE.add(path());
        return this;
    }

    public String name() {
        return name;
    }

    public Path path() {
        return ROOT.resolve(name);
    }

    public NetNamespace namespace() {
        return namespace;
    }

    public Handle handle() {
        return handle;
    }

    /** Closes every descriptor we hold on it and unmounts it; the kernel then frees it and its links. */
    @Override
    public void close() {
        try {
            handle.close();
            namespace.close();
        } finally {
            LIVE.remove(path());
            if (Files.exists(path())) {
                NetNamespace.delete(path());
            }
        }
    }

    /** Unmounts and removes whatever a test left at {@code paths} (namespaces an agent made for it). */
    public static void removeLeftovers(java.util.Collection<String> paths) {
        for (String p : paths) {
            if (Files.exists(Path.of(p))) {
                NetNamespace.delete(Path.of(p));
            }
        }
    }
}
