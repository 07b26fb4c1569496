package dev.netkeeper.api;

import java.util.List;

/**
 * A namespace: where it is mounted, on which host, and the interfaces added through it. {@code foreign}:
 * made by someone else (a container runtime) and only used by netkeeper, which never unmounts it.
 */
public record NamespaceInfo(String host, String path, List<Interface> interfaces, boolean foreign) implements Reply {
    public NamespaceInfo {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }

    public NamespaceInfo(String host, String path, List<Interface> interfaces) {
        this(host, path, interfaces, false);
    }
}
