package dev.netkeeper.api;

import java.util.List;

/**
 * An endpoint of a network: its interfaces, the namespace they were added to (null: none yet) and the
 * host whose kernel holds them.
 */
public record EndpointInfo(String name, List<Interface> interfaces, String namespace, String host) {
    public EndpointInfo {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }

    public EndpointInfo(String name, List<Interface> interfaces, String namespace) {
        this(name, interfaces, namespace, null);
    }
}
