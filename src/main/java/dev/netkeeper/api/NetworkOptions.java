package dev.netkeeper.api;

import java.util.List;
import java.util.Map;

/**
 * What a client may ask of a new network. Null / empty / 0 means "the default".
 *
 * @param subnet        IPv4 subnet, "10.1.0.0/24"; null: carve one from the default pools
 * @param subnetIPv6    IPv6 subnet, "fd00:1::/64"; null: no IPv6
 * @param gateway       IPv4 gateway inside the subnet; null: the first host address
 * @param gatewayIPv6   IPv6 gateway; null: the first host address of subnetIPv6
 * @param ipRange       allocate container addresses only from this sub-range of the subnet
 * @param reserved      addresses never handed out (besides the gateway)
 * @param mtu           link MTU, 68..65535; 0: 1500
 * @param internal      no default route through the gateway (an isolated network)
 * @param dstPrefix     interface name prefix inside containers; null: "eth"
 * @param driverOptions driver-specific settings, e.g. {@code bridge.name} for the bridge driver
 * @param hostRouteOverlap accept an explicit subnet that overlaps a route of the host (an operator who knows
 *                      that route does not matter here); a subnet holding one of the host's own addresses
 *                      is refused all the same
 * @param runtimeManaged the network is a container runtime's (Docker's remote driver): each link asks for its
 *                      addresses (the runtime's IPAM hands them out, {@code Request.RequestAddress}; the network hands
 *                      out none itself, and its subnet may be the very pool {@code Request.RequestPool} reserved), and
 *                      the runtime moves each container end into its sandbox and back itself: netkeeper leaves it
 *                      wherever the runtime put it, and deletes the pair at unlink
 * @param disableDns    no resolver for the network: its endpoints' names are not served on its gateway, and the
 *                      namespaces on it are given no resolv.conf for it (Podman's {@code --disable-dns})
 */
public record NetworkOptions(String subnet, String subnetIPv6, String gateway, String gatewayIPv6,
                             String ipRange, List<String> reserved, int mtu, boolean internal,
                             String dstPrefix, Map<String, String> driverOptions, boolean hostRouteOverlap,
                             boolean runtimeManaged, boolean disableDns) {
    public NetworkOptions {
        reserved = reserved == null ? List.of() : List.copyOf(reserved);
        driverOptions = driverOptions == null ? Map.of() : Map.copyOf(driverOptions);
    }

    public NetworkOptions(String subnet, String subnetIPv6, String gateway, String gatewayIPv6, String ipRange,
                          List<String> reserved, int mtu, boolean internal, String dstPrefix,
                          Map<String, String> driverOptions) {
        this(subnet, subnetIPv6, gateway, gatewayIPv6, ipRange, reserved, mtu, internal, dstPrefix, driverOptions,
                false);
    }

    public NetworkOptions(String subnet, String subnetIPv6, String gateway, String gatewayIPv6, String ipRange,
                          List<String> reserved, int mtu, boolean internal, String dstPrefix,
                          Map<String, String> driverOptions, boolean hostRouteOverlap) {
        this(subnet, subnetIPv6, gateway, gatewayIPv6, ipRange, reserved, mtu, internal, dstPrefix, driverOptions,
                hostRouteOverlap, false);
    }

    public NetworkOptions(String subnet, String subnetIPv6, String gateway, String gatewayIPv6, String ipRange,
                          List<String> reserved, int mtu, boolean internal, String dstPrefix,
                          Map<String, String> driverOptions, boolean hostRouteOverlap, boolean runtimeManaged) {
        this(subnet, subnetIPv6, gateway, gatewayIPv6, ipRange, reserved, mtu, internal, dstPrefix, driverOptions,
                hostRouteOverlap, runtimeManaged, false);
    }

    public static NetworkOptions defaults() {
        return new NetworkOptions(null, null, null, null, null, List.of(), 0, false, null, Map.of(), false, false, false);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.subnet = subnet;
        b.subnetIPv6 = subnetIPv6;
        b.gateway = gateway;
        b.gatewayIPv6 = gatewayIPv6;
        b.ipRange = ipRange;
        b.reserved = reserved;
        b.mtu = mtu;
        b.internal = internal;
        b.dstPrefix = dstPrefix;
        b.driverOptions.putAll(driverOptions);
        b.hostRouteOverlap = hostRouteOverlap;
        b.runtimeManaged = runtimeManaged;
        b.disableDns = disableDns;
        return b;
    }

    /** Fluent construction: {@code NetworkOptions.builder().subnet("10.1.0.0/24").mtu(1400).build()}. */
    public static final class Builder {
        private String subnet;
        private String subnetIPv6;
        private String gateway;
        private String gatewayIPv6;
        private String ipRange;
        private List<String> reserved = List.of();
        private int mtu;
        private boolean internal;
        private String dstPrefix;
        private final Map<String, String> driverOptions = new java.util.HashMap<>();
        private boolean hostRouteOverlap;
        private boolean runtimeManaged;
        private boolean disableDns;

        public Builder subnet(String cidr) { subnet = cidr; return this; }
        public Builder subnetIPv6(String cidr) { subnetIPv6 = cidr; return this; }
        public Builder gateway(String ip) { gateway = ip; return this; }
        public Builder gatewayIPv6(String ip) { gatewayIPv6 = ip; return this; }
        public Builder ipRange(String cidr) { ipRange = cidr; return this; }
        public Builder reserved(List<String> ips) { reserved = ips; return this; }
        public Builder mtu(int value) { mtu = value; return this; }
        public Builder internal(boolean value) { internal = value; return this; }
        public Builder dstPrefix(String prefix) { dstPrefix = prefix; return this; }
        public Builder driverOption(String key, String value) { driverOptions.put(key, value); return this; }
        public Builder hostRouteOverlap(boolean value) { hostRouteOverlap = value; return this; }
        public Builder runtimeManaged(boolean value) { runtimeManaged = value; return this; }
        public Builder disableDns(boolean value) { disableDns = value; return this; }

        public NetworkOptions build() {
            return new NetworkOptions(subnet, subnetIPv6, gateway, gatewayIPv6, ipRange, reserved, mtu, internal,
                    dstPrefix, driverOptions, hostRouteOverlap, runtimeManaged, disableDns);
        }
    }
}
