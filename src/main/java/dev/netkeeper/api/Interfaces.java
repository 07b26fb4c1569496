package dev.netkeeper.api;

import java.util.List;

/**
 * The interfaces of one endpoint, and the host ports published to it, as {@code link} and {@code publish} answer (a
 * record, so it serializes as one value). {@code hostInterface}: the name of the interface's host end (the veth on
 * the network's bridge), null when the driver makes none or the answer does not know it.
 */
public record Interfaces(List<Interface> interfaces,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                         List<PortMapping> published,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                         @Nullable String hostInterface) implements Reply {
    public Interfaces {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        published = published == null ? List.of() : List.copyOf(published);
    }

    public Interfaces(List<Interface> interfaces) {
        this(interfaces, List.of(), null);
    }

    public Interfaces(List<Interface> interfaces, List<PortMapping> published) {
        this(interfaces, published, null);
    }
}
