package dev.netkeeper.docker;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;

import java.util.List;
import java.util.Map;

/**
 * A netkeeper network's options from dockerd's CreateNetwork: the subnets and gateways of its IPAM data (Docker's
 * IPAM or netkeeper's: the network takes only the addresses dockerd asks for, {@code runtimeManaged}), internal, and the
 * {@code -o} options: Docker's bridge options where netkeeper has the same, netkeeper's own {@code bridge.*} ones.
 */
final class DockerNetworkOptions {
    static final String MTU = "com.docker.network.driver.mtu";
    static final String BRIDGE_NAME = "com.docker.network.bridge.name";
    static final String MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    static final String ICC = "com.docker.network.bridge.enable_icc";

    private DockerNetworkOptions() {}

    static NetworkOptions of(PluginMessages.CreateNetwork c) {
        NetworkOptions.Builder b = NetworkOptions.builder().runtimeManaged(true).internal(c.flag(PluginMessages.INTERNAL));
        List<String> reserved = new java.util.ArrayList<>();
        if (c.ipv4Data().size() > 1 || c.ipv6Data().size() > 1) {
            throw new NetkeeperException(ErrorCode.NOT_SUPPORTED, "a netkeeper network has one subnet per family; "
                    + "dockerd asked for " + c.ipv4Data().size() + " IPv4 and " + c.ipv6Data().size() + " IPv6 pools");
        }
        for (PluginMessages.IpamData d : c.ipv4Data()) {
            b.subnet(d.pool()).gateway(hostPart(d.gateway()));
            d.auxAddresses().values().forEach(a -> reserved.add(hostPart(a)));
        }
        if (c.flag(PluginMessages.ENABLE_IPV6)) {
            for (PluginMessages.IpamData d : c.ipv6Data()) {
                b.subnetIPv6(d.pool()).gatewayIPv6(hostPart(d.gateway()));
                d.auxAddresses().values().forEach(a -> reserved.add(hostPart(a)));
            }
        }
        b.reserved(reserved);
        for (Map.Entry<String, String> o : c.generic().entrySet()) {
            String key = o.getKey();
            String value = o.getValue();
            switch (key) {
                case MTU -> b.mtu(parseMtu(value));
                case BRIDGE_NAME -> b.driverOption("bridge.name", value);
                case MASQUERADE -> b.driverOption("bridge.masquerade", Boolean.toString(bool(key, value)));
                case ICC -> {
                    if (!bool(key, value)) {
                        throw new NetkeeperException(ErrorCode.NOT_SUPPORTED, key + "=false: containers of one "
                                + "netkeeper network always reach each other");
                    }
                }
                default -> {
                    if (!key.startsWith("bridge.")) {
                        throw new NetkeeperException(ErrorCode.INVALID_OPTION, "option " + key + " is none of "
                                + List.of(MTU, BRIDGE_NAME, MASQUERADE, ICC) + " nor a netkeeper bridge.* option");
                    }
                    b.driverOption(key, value);
                }
            }
        }
        return b.build();
    }

    /** "10.77.0.1" of "10.77.0.1/24" (dockerd writes gateways and aux addresses with the pool's prefix). */
    static String hostPart(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    private static int parseMtu(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, MTU + " '" + value + "' is not a number");
        }
    }

    private static boolean bool(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new NetkeeperException(ErrorCode.INVALID_OPTION, key + " '" + value + "' is neither true nor false");
    }
}
