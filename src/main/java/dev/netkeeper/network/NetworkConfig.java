package dev.netkeeper.network;

import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.Interface;

import java.util.List;
import java.util.Map;

/**
 * A network's settings after validation, with every default filled in: what NetworkCreated journals.
 *
 * @param ipv4          null for a driver without addresses (null driver)
 * @param ipv6          null without IPv6
 * @param driverOptions the driver's own options, resolved by the driver (e.g. bridge.name)
 * @param runtimeManaged a container runtime's network: it asks for every address and moves every container end itself
 * @param disableDns    no resolver on its gateway (false in every network journaled before there were resolvers)
 * @param vni           the VXLAN segment of a network that spans hosts (the overlay driver), allocated cluster-wide by the
 *                      network directory; 0 for every other network (and in every network journaled before overlays)
 */
public record NetworkConfig(String name, String driver, AddressPool ipv4, AddressPool ipv6, int mtu,
                            boolean internal, String dstPrefix, Map<String, String> driverOptions,
                            boolean runtimeManaged, boolean disableDns, int vni)
        implements CborSerializable {
    public NetworkConfig {
        driverOptions = driverOptions == null ? Map.of() : Map.copyOf(driverOptions);
    }

    public NetworkConfig(String name, String driver, AddressPool ipv4, AddressPool ipv6, int mtu, boolean internal,
                         String dstPrefix, Map<String, String> driverOptions) {
        this(name, driver, ipv4, ipv6, mtu, internal, dstPrefix, driverOptions, false, false, 0);
    }

    public NetworkConfig(String name, String driver, AddressPool ipv4, AddressPool ipv6, int mtu, boolean internal,
                         String dstPrefix, Map<String, String> driverOptions, boolean runtimeManaged) {
        this(name, driver, ipv4, ipv6, mtu, internal, dstPrefix, driverOptions, runtimeManaged, false);
    }

    public NetworkConfig(String name, String driver, AddressPool ipv4, AddressPool ipv6, int mtu, boolean internal,
                         String dstPrefix, Map<String, String> driverOptions, boolean runtimeManaged, boolean disableDns) {
        this(name, driver, ipv4, ipv6, mtu, internal, dstPrefix, driverOptions, runtimeManaged, disableDns, 0);
    }

    /**
     * The seed's Interface for an endpoint of this network: gateways omitted on internal networks; dstName the
     * network's prefix, or the name it was born with in its namespace (one-step link).
     */
    public Interface interfaceOf(Endpoint e) {
        String gw = internal || ipv4 == null ? null : ipv4.gateway();
        String gw6 = internal || ipv6 == null ? null : ipv6.gateway();
        return new Interface(e.srcName(), e.dstName() != null ? e.dstName() : dstPrefix, e.macAddress(), e.address(),
                e.addressIPv6(), gw, gw6, mtu);
    }

    public List<Interface> interfacesOf(Endpoint e) {
        return e.srcName() == null ? List.of() : List.of(interfaceOf(e));
    }
}
