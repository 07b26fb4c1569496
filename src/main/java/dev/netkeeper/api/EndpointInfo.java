package dev.netkeeper.api;

import java.util.List;

/** An endpoint of a network: its interfaces, and the namespace they were added to (null: none yet). */
public record EndpointInfo(String name, List<Interface> interfaces, String namespace) implements CborSerializable {
    public EndpointInfo {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }
}
