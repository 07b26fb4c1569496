package dev.netkeeper.api;

import java.util.List;
import java.util.Map;

/** A network as its entity sees it. Null IPv6 fields: no IPv6. */
public record NetworkInfo(String name, String type, String subnet, String gateway, String subnetIPv6,
                          String gatewayIPv6, int mtu, boolean internal, Map<String, String> driverOptions,
                          List<EndpointInfo> endpoints) implements Reply {
    public NetworkInfo {
        driverOptions = driverOptions == null ? Map.of() : Map.copyOf(driverOptions);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
