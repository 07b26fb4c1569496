package dev.netkeeper.api;

import java.util.List;

/** The interfaces of one endpoint, as {@code link} answers (a record, so it serializes as one value). */
public record Interfaces(List<Interface> interfaces) implements Reply {
    public Interfaces {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }
}
