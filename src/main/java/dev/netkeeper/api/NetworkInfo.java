package dev.netkeeper.api;

import java.util.List;
import java.util.Map;

/**
 * A network as its entity sees it. Null IPv6 fields: no IPv6. {@code endpoints} may be one page of them
 * (a reply must fit one message): {@code endpointCount} is how many the network has, and
 * {@code endpointsNext}, when not null, is where the next page starts ({@link Request.GetNetwork}).
 */
public record NetworkInfo(String name, String type, String subnet, String gateway, String subnetIPv6,
                          String gatewayIPv6, int mtu, boolean internal, Map<String, String> driverOptions,
                          List<EndpointInfo> endpoints, int endpointCount, String endpointsNext) implements Reply {
    public NetworkInfo {
        driverOptions = driverOptions == null ? Map.of() : Map.copyOf(driverOptions);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** All of a network's endpoints in one value. */
    public NetworkInfo(String name, String type, String subnet, String gateway, String subnetIPv6, String gatewayIPv6,
                       int mtu, boolean internal, Map<String, String> driverOptions, List<EndpointInfo> endpoints) {
        this(name, type, subnet, gateway, subnetIPv6, gatewayIPv6, mtu, internal, driverOptions, endpoints,
                endpoints == null ? 0 : endpoints.size(), null);
    }

    /** This page followed by the {@code next} one: how a client that reads every page puts them together. */
    public NetworkInfo followedBy(NetworkInfo next) {
        List<EndpointInfo> all = new java.util.ArrayList<>(endpoints);
        all.addAll(next.endpoints());
        return new NetworkInfo(name, type, subnet, gateway, subnetIPv6, gatewayIPv6, mtu, internal, driverOptions, all,
                next.endpointCount(), next.endpointsNext());
    }
}
