package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.NetNamespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link KernelTask} works with: the host's handle and a handle per namespace, opened once and
 * kept (a netlink socket stays bound to the namespace it was opened in). Owned by the netlink actor
 * and used only from its pinned thread.
 */
public final class KernelContext implements AutoCloseable {
    private final Handle host;
    private final Optional<NetNamespace> hostNamespace;
    private final Map<Path, NamespaceHandle> namespaces = new HashMap<>();

    private record NamespaceHandle(NetNamespace namespace, Handle handle) {}

    private KernelContext(Handle host, Optional<NetNamespace> hostNamespace) {
        this.host = host;
        this.hostNamespace = hostNamespace;
    }

    /** The host is the agent's own namespace, or the one mounted at {@code hostNamespacePath}. */
    public static KernelContext open(Optional<Path> hostNamespacePath) {
        if (hostNamespacePath.isEmpty()) {
            return new KernelContext(Handle.current("host"), Optional.empty());
        }
        NetNamespace ns = NetNamespace.open(hostNamespacePath.get());
        return new KernelContext(Handle.open(ns), Optional.of(ns));
    }

    public Handle host() {
        return host;
    }

    /** The namespace mounted at {@code path}, opened on first use. */
    public NetNamespace namespace(Path path) {
        return entry(path).namespace();
    }

    /** A handle inside the namespace mounted at {@code path}, opened on first use. */
    public Handle in(Path path) {
        return entry(path).handle();
    }

    /** Creates the namespace unless a mount is already there; drops any handle to an older one. */
    public void ensureNamespace(Path path) {
        if (NetNamespace.isMounted(path)) {
            return;
        }
        forget(path);
        if (Files.exists(path)) {
            NetNamespace.delete(path); // a file left by a crash between create and mount
        }
        NetNamespace.create(path).close();
    }

    /** Unmounts and removes the namespace if it is there. */
    public void deleteNamespace(Path path) {
        forget(path);
        if (NetNamespace.isMounted(path) || Files.exists(path)) {
            NetNamespace.delete(path);
        }
    }

    private NamespaceHandle entry(Path path) {
        NamespaceHandle cached = namespaces.get(path);
        if (cached != null && cached.namespace().isMountedAt(path)) {
            return cached;
        }
        forget(path);
        NetNamespace ns = NetNamespace.open(path);
        try {
            NamespaceHandle fresh = new NamespaceHandle(ns, Handle.open(ns));
            namespaces.put(path, fresh);
            return fresh;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** Closes our descriptors of a namespace (they would keep a deleted namespace alive). */
    public void forget(Path path) {
        NamespaceHandle h = namespaces.remove(path);
        if (h != null) {
            h.handle().close();
            h.namespace().close();
        }
    }

    @Override
    public void close() {
        for (Path p : Map.copyOf(namespaces).keySet()) {
            forget(p);
        }
        host.close();
        hostNamespace.ifPresent(NetNamespace::close);
    }
}
