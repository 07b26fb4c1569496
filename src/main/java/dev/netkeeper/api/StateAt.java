package dev.netkeeper.api;


import java.util.List;

/**
 * Networks (by name) and namespaces (by host:path) as they were at {@code atMillis}: each entity's events
 * journaled at or before that instant, folded through the entity's own event handler.
 */
public record StateAt(long atMillis, List<NetworkInfo> networks, List<NamespaceInfo> namespaces)
        implements Reply {
    public StateAt {
        networks = networks == null ? List.of() : List.copyOf(networks);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }
}
