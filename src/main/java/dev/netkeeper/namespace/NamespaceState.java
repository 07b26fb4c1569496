package dev.netkeeper.namespace;

import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.RecentRequests;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceAdded;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceRemoved;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceCreated;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceDeleted;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceUsed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A namespace's state, rebuilt from its events by {@link #apply} (used by the entity and by audit
 * replay). {@code path} is null before creation and after deletion; interfaces are keyed by dstName.
 * {@code foreignIdentity}: null for a namespace netkeeper made; for one it only uses (or used, once deleted),
 * the identity ("dev:ino") of the namespace it registered.
 */
public record NamespaceState(String host, String path, Map<String, PlacedInterface> interfaces,
                             List<String> recentRequests, String foreignIdentity) implements CborSerializable {
    static final int REMEMBERED_REQUESTS = 256;

    public static final NamespaceState EMPTY = new NamespaceState(null, null, Map.of(), List.of(), null);

    public NamespaceState {
        interfaces = interfaces == null ? Map.of() : interfaces;
        recentRequests = recentRequests == null ? List.of() : recentRequests;
    }

    public NamespaceState(String host, String path, Map<String, PlacedInterface> interfaces, List<String> recentRequests) {
        this(host, path, interfaces, recentRequests, null);
    }

    /** Made by someone else: used, never unmounted. */
    public boolean foreign() {
        return foreignIdentity != null;
    }

    public boolean exists() {
        return path != null;
    }

    public boolean handled(String requestId) {
        return RecentRequests.contains(recentRequests, requestId);
    }

    /** The MACs of the interfaces it holds: what identifies them in the kernel. */
    public List<String> macs() {
        return interfaces.values().stream().map(p -> p.iface().macAddress()).filter(m -> m != null).toList();
    }

    public Optional<PlacedInterface> bySrcName(String srcName) {
        return interfaces.values().stream().filter(p -> p.iface().srcName().equals(srcName)).findFirst();
    }

    public Optional<PlacedInterface> byEndpoint(String network, String endpoint) {
        return interfaces.values().stream()
                .filter(p -> p.network().equals(network) && p.endpoint().equals(endpoint)).findFirst();
    }

    public NamespaceState apply(NamespaceEvent event) {
        List<String> requests = RecentRequests.remember(recentRequests, event.audit().requestId(), REMEMBERED_REQUESTS);
        if (event instanceof NamespaceCreated c) {
            return new NamespaceState(c.host(), c.path(), Map.of(), requests, null);
        }
        if (event instanceof NamespaceUsed u) {
            return new NamespaceState(u.host(), u.path(), Map.of(), requests, u.identity());
        }
        if (event instanceof InterfaceAdded a) {
            Map<String, PlacedInterface> next = new LinkedHashMap<>(interfaces);
            next.put(a.placed().iface().dstName(), a.placed());
            return new NamespaceState(host, path, next, requests, foreignIdentity);
        }
        if (event instanceof InterfaceRemoved r) {
            Map<String, PlacedInterface> next = new LinkedHashMap<>(interfaces);
            next.remove(r.dstName());
            return new NamespaceState(host, path, next, requests, foreignIdentity);
        }
        if (event instanceof NamespaceDeleted) {
            // a deleted namespace of another owner keeps its identity: a recovery that finishes the delete
            // returns netkeeper's interfaces from that namespace only, never from one that took its place
            return new NamespaceState(null, null, Map.of(), requests, foreignIdentity);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    public NamespaceInfo info() {
        return new NamespaceInfo(host, path, interfaces.values().stream().map(PlacedInterface::iface).toList(), foreign());
    }

}
