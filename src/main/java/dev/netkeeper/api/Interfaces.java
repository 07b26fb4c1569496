package dev.netkeeper.api;

import java.util.List;

/** The interfaces of one endpoint, and the host ports published to it, as {@code link} and {@code publish} answer (a record, so it serializes as one value). */
public record Interfaces(List<Interface> interfaces,
                         @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                         List<PortMapping> published) implements Reply {
    public Interfaces {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        published = published == null ? List.of() : List.copyOf(published);
    }

    public Interfaces(List<Interface> interfaces) {
        this(interfaces, List.of());
    }
}
