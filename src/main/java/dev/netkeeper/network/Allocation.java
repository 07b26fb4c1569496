package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.network.driver.NetworkDriver;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a Link takes for a new endpoint, decided from the network's state alone (no I/O): its addresses (the next
 * free ones after the last handed out, as {@link Ipam} walks the pool), its MAC (from its IPv4 address, as Docker
 * derives it, else random), its veth names (a random id unique in the network) and the bridge of the host that
 * holds its port (the first with room; one more when all are full, up to the driver's last).
 */
final class Allocation {
    /** Prefixes of an endpoint's veth names (host end on the bridge; container end while in the host). */
    static final String HOST_END = "nkv";
    static final String CONTAINER_END = "nkc";

    private Allocation() {}

    static Endpoint endpoint(NetworkState state, EndpointIndex index, NetworkDriver driver, String endpointName,
                             String host) {
        return endpoint(state, index, driver, endpointName, host, WantedAddresses.NONE);
    }

    /** As above, with the addresses and MAC {@code wanted} where it names them (refused when taken or never handed out). */
    static Endpoint endpoint(NetworkState state, EndpointIndex index, NetworkDriver driver, String endpointName,
                             String host, WantedAddresses wanted) {
        NetworkConfig config = state.config();
        String v4 = null;
        String v6 = null;
        if (wanted.address() != null || wanted.addressIPv6() != null) {
            if (!driver.assignsAddresses()) {
                throw new NetkeeperException(ErrorCode.NOT_SUPPORTED, config.driver() + " network " + config.name()
                        + " assigns no addresses: none can be asked for");
            }
            if ((wanted.address() != null && config.ipv4() == null) || (wanted.addressIPv6() != null && config.ipv6() == null)) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "network " + config.name() + " has no "
                        + (config.ipv4() == null ? "IPv4" : "IPv6") + " subnet for the address asked for");
            }
        }
        if (config.runtimeManaged() && driver.assignsAddresses()) {
            boolean v4Missing = config.ipv4() != null && wanted.address() == null;
            if (v4Missing || (config.ipv6() != null && wanted.addressIPv6() == null)) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "network " + config.name() + " takes its "
                        + "addresses from an outside IPAM (Docker's RequestAddress): endpoint " + endpointName
                        + " must ask for its " + (v4Missing ? "IPv4" : "IPv6") + " address");
            }
        }
        if (driver.assignsAddresses() && config.ipv4() != null && wanted.address() != null) {
            v4 = Ipam.take(config.ipv4(), index.addressesInUse(false), wanted.address(), config.name());
        } else if (driver.assignsAddresses() && config.ipv4() != null) {
            v4 = Ipam.next(config.ipv4(), index.addressesInUse(false), state.lastIPv4()).orElseThrow(() ->
                    new NetkeeperException(ErrorCode.POOL_EXHAUSTED, "no IPv4 address left in "
                            + Optional.ofNullable(config.ipv4().ipRange()).orElse(config.ipv4().subnet())
                            + " of network " + config.name()));
        }
        if (driver.assignsAddresses() && config.ipv6() != null && wanted.addressIPv6() != null) {
            v6 = Ipam.take(config.ipv6(), index.addressesInUse(true), wanted.addressIPv6(), config.name());
        } else if (driver.assignsAddresses() && config.ipv6() != null) {
            v6 = Ipam.next(config.ipv6(), index.addressesInUse(true), state.lastIPv6()).orElseThrow(() ->
                    new NetkeeperException(ErrorCode.POOL_EXHAUSTED, "no IPv6 address left in "
                            + config.ipv6().subnet() + " of network " + config.name()));
        }
        if (!driver.createsInterfaces()) {
            return new Endpoint(endpointName, null, null, null, v4, v6, null, host);
        }
        String mac = wanted.macAddress() != null ? MacAddresses.wanted(wanted.macAddress(), index, config.name())
                : MacAddresses.free(v4, index);
        String id = uniqueLinkId(index);
        int perSegment = driver.endpointsPerSegment(config);
        int segment = Segments.next(state.endpointsOn(host), perSegment);
        if (segment > driver.maxSegment(config)) {
            throw new NetkeeperException(ErrorCode.QUOTA_EXCEEDED, "network " + config.name() + " holds "
                    + (driver.maxSegment(config) + 1) * perSegment + " endpoints on host " + host + " already, on "
                    + (driver.maxSegment(config) + 1) + " bridges of " + perSegment + ": no bridge has room for "
                    + endpointName);
        }
        return new Endpoint(endpointName, HOST_END + id, CONTAINER_END + id, mac, v4, v6, null, host, segment);
    }

    /**
     * 12 hex chars (48 random bits), so that a prefix + id fits IFNAMSIZ and two endpoints of any networks on
     * one host practically never draw the same name; unique among this network's endpoints. A name that some
     * other link holds anyway is refused by the kernel step (NAME_IN_USE), never taken over.
     */
    private static String uniqueLinkId(EndpointIndex index) {
        while (true) {
            byte[] b = new byte[6];
            ThreadLocalRandom.current().nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            if (!index.hasHostVeth(HOST_END + id)) {
                return id;
            }
        }
    }
}
