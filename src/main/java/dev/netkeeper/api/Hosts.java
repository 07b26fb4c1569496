package dev.netkeeper.api;

import java.util.List;

/** The hosts of the cluster, as the agent asked sees them (see {@link HostInfo}). */
public record Hosts(List<HostInfo> hosts) implements Reply {
    public Hosts {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
