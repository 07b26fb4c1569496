package dev.netkeeper.api;

import java.util.List;

/**
 * An endpoint of a network: its interfaces, the namespace they were added to (null: none yet) and the
 * host whose kernel holds them, and the host ports published to it; {@code hostInterface}, the name of the host end
 * of its veth (null: none).
 */
public record EndpointInfo(String name, List<Interface> interfaces, String namespace, String host,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                           List<PortMapping> published,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           String hostInterface) {
    public EndpointInfo {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        published = published == null ? List.of() : List.copyOf(published);
    }

    public EndpointInfo(String name, List<Interface> interfaces, String namespace, String host,
                        List<PortMapping> published) {
        this(name, interfaces, namespace, host, published, null);
    }

    public EndpointInfo(String name, List<Interface> interfaces, String namespace, String host) {
        this(name, interfaces, namespace, host, List.of());
    }

    public EndpointInfo(String name, List<Interface> interfaces, String namespace) {
        this(name, interfaces, namespace, null);
    }
}
