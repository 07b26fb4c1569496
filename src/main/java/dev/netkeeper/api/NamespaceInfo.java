package dev.netkeeper.api;

import java.util.List;

/** A namespace: where it is mounted, on which host, and the interfaces added through it. */
public record NamespaceInfo(String host, String path, List<Interface> interfaces) implements Reply {
    public NamespaceInfo {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }
}
