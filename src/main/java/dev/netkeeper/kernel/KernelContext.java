package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.firewall.HostFirewall;
import dev.netkeeper.firewall.PortRange;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.NamespaceRoot;
import dev.netkeeper.netlink.NetNamespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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
    /** The directories where namespaces are made and removed, held open (see {@link NamespaceRoot}). */
    private final List<NamespaceRoot> roots;
    private final PortRange portRange;
    private final boolean acceptInForeignForward;
    /** The host's netkeeper table, opened on first use (libnftables is loaded then). */
    private HostFirewall firewall;
    /** Where this host's VXLAN devices send from and other hosts' reach them (netkeeper.overlay.underlay-address). */
    private Optional<java.net.InetAddress> underlay = Optional.empty();

    private record NamespaceHandle(NetNamespace namespace, Handle handle) {}

    /** Where namespaces live when nobody says (tools, tests): {@code ip netns}' directory. */
    public static final List<Path> DEFAULT_ROOTS = List.of(Path.of("/var/run/netns"));

    private KernelContext(Handle host, Optional<NetNamespace> hostNamespace, List<NamespaceRoot> roots,
                          PortRange portRange, boolean acceptInForeignForward) {
        this.acceptInForeignForward = acceptInForeignForward;
        this.host = host;
        this.hostNamespace = hostNamespace;
        this.roots = roots;
        this.portRange = portRange;
    }

    /** As {@link #open(Optional, List)} with the {@link #DEFAULT_ROOTS}. */
    public static KernelContext open(Optional<Path> hostNamespacePath) {
        return open(hostNamespacePath, DEFAULT_ROOTS);
    }

    /**
     * The host is the agent's own namespace, or the one mounted at {@code hostNamespacePath}; namespaces are
     * made and removed only beneath {@code namespaceRoots}, each opened now.
     */
    public static KernelContext open(Optional<Path> hostNamespacePath, List<Path> namespaceRoots) {
        return open(hostNamespacePath, namespaceRoots, PortRange.DEFAULT, false);
    }

    /** {@code portRange}: where the firewall picks a host port for a mapping that leaves it open. */
    public static KernelContext open(Optional<Path> hostNamespacePath, List<Path> namespaceRoots, PortRange portRange,
                                     boolean acceptInForeignForward) {
        List<NamespaceRoot> roots = namespaceRoots.stream().map(NamespaceRoot::open).toList();
        if (hostNamespacePath.isEmpty()) {
            return new KernelContext(Handle.current("host"), Optional.empty(), roots, portRange, acceptInForeignForward);
        }
        NetNamespace ns = NetNamespace.open(hostNamespacePath.get());
        return new KernelContext(Handle.open(ns), Optional.of(ns), roots, portRange, acceptInForeignForward);
    }

    /** The host's firewall: netkeeper's table and the port claims made against it. */
    public HostFirewall firewall() {
        if (firewall == null) {
            firewall = new HostFirewall(hostNamespace, host, portRange, acceptInForeignForward);
        }
        return firewall;
    }

    /**
     * Hands the firewall over (the netlink actor restarting keeps it: its table state is what the networks told it
     * since the agent started, which they do not tell again); this context no longer closes it.
     */
    public HostFirewall releaseFirewall() {
        HostFirewall f = firewall;
        firewall = null;
        return f;
    }

    /** Takes over a firewall a previous context of this host released. */
    public void adoptFirewall(HostFirewall f) {
        if (firewall == null) {
            firewall = f;
        }
    }

    /** Whether the firewall was ever used since the agent started. */
    public boolean firewallOpen() {
        return firewall != null;
    }

    public Handle host() {
        return host;
    }

    /** This host's underlay address, if it has one (overlay networks need it). */
    public Optional<java.net.InetAddress> underlay() {
        return underlay;
    }

    public void setUnderlay(Optional<java.net.InetAddress> address) {
        underlay = address;
    }

    /** The namespace mounted at {@code path}, opened on first use. */
    public NetNamespace namespace(Path path) {
        return entry(path).namespace();
    }

    /** A handle inside the namespace mounted at {@code path}, opened on first use. */
    public Handle in(Path path) {
        return entry(path).handle();
    }

    /**
     * Creates the namespace, marked as netkeeper's ({@link NamespaceMark}), unless netkeeper's is mounted there
     * already; drops any handle to an older one. A namespace there without the mark is someone else's:
     * refused (NAMESPACE_EXISTS) and left. Everything happens beneath the path's root, without following a
     * symlink.
     */
    public void ensureNamespace(Path path) {
        Beneath at = beneath(path);
        if (NetNamespace.isMounted(path) && !Files.isSymbolicLink(path)) {
            if (!owns(path)) {
                throw new NetkeeperException(ErrorCode.NAMESPACE_EXISTS, "the namespace mounted at " + path
                        + " was not made by netkeeper (it lacks netkeeper's mark); it is left as it is");
            }
            return;
        }
        forget(path);
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!at.root().isEmptyMountPoint(at.rel())) {
                throw new NetkeeperException(ErrorCode.NAMESPACE_EXISTS, "something that is not an empty mount point"
                        + " of netkeeper's is at " + path + "; it is left as it is");
            }
            NetNamespace.delete(at.root(), at.rel()); // the file of a create cut between making it and the mount
        }
        NamespaceMark mark = NamespaceMark.of(path);
        NetNamespace.create(at.root(), at.rel(), mark::put).close();
    }

    /**
     * A handle in the namespace at {@code path} that a container end may go into: the one registered there with
     * {@code identity} (a namespace of another owner), or, with a null identity, the one netkeeper made there;
     * anything else (none, or another one now) is refused NO_SUCH_NAMESPACE.
     */
    public Handle container(String path, String identity) {
        Path at = Path.of(path);
        if (identity != null && !NetNamespace.identity(at).equals(Optional.of(identity))) {
            throw new NetkeeperException(ErrorCode.NO_SUCH_NAMESPACE, "the namespace at " + path
                    + " is not the one registered there (another one, or none, is there now)");
        }
        if (identity == null && !owns(at)) {
            throw new NetkeeperException(ErrorCode.NO_SUCH_NAMESPACE, "the namespace at " + path
                    + " is not the one netkeeper made there (it lacks netkeeper's mark, or none is there)");
        }
        return in(at);
    }

    /** Whether a namespace netkeeper made is mounted at {@code path} (it carries the mark for that path). */
    public boolean owns(Path path) {
        return NetNamespace.isMounted(path) && NamespaceMark.of(path).on(in(path));
    }

    /**
     * Unmounts and removes the namespace netkeeper made at {@code path}, or the empty mount point a cut create
     * left, beneath its root, without following a symlink. Someone else's namespace there is left as it is.
     */
    public void deleteNamespace(Path path) {
        Beneath at = beneath(path);
        boolean ours = NetNamespace.isMounted(path) ? owns(path) : at.root().isEmptyMountPoint(at.rel());
        forget(path);
        if (ours) {
            NetNamespace.delete(at.root(), at.rel());
        }
    }

    private record Beneath(NamespaceRoot root, Path rel) {}

    private Beneath beneath(Path path) {
        for (NamespaceRoot root : roots) {
            Optional<Path> rel = root.below(path);
            if (rel.isPresent()) {
                return new Beneath(root, rel.get());
            }
        }
        throw new NetkeeperException(ErrorCode.PATH_NOT_ALLOWED, "namespace path '" + path
                + "' is refused: it is outside the namespace roots");
    }

    private NamespaceHandle entry(Path path) {
        NamespaceHandle cached = namespaces.get(path);
        if (cached != null && cached.namespace().isMountedAt(path)) {
            return cached;
        }
        forget(path);
        Optional<Beneath> at = roots.stream().flatMap(r -> r.below(path).map(rel -> new Beneath(r, rel)).stream())
                .findFirst();
        // beneath its root when it is below one (never through a symlink); the host's is opened as configured
        NetNamespace ns = at.isPresent() ? NetNamespace.open(at.get().root(), at.get().rel()) : NetNamespace.open(path);
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
        if (firewall != null) {
            firewall.close();
            firewall = null;
        }
        host.close();
        hostNamespace.ifPresent(NetNamespace::close);
        roots.forEach(NamespaceRoot::close);
    }
}
