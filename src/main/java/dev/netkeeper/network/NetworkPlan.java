package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.network.driver.NetworkDriver;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A create request checked against everything that can be checked without other networks: names,
 * MTU, CIDR syntax and families, gateway / range / reserved addresses inside their subnet, driver
 * options. {@link #config} then completes it with the subnets the directory reserved.
 */
public record NetworkPlan(String name, NetworkDriver driver, NetworkOptions options,
                          Map<String, String> driverOptions, int mtu, String dstPrefix) {
    public static final int DEFAULT_MTU = 1500;
    public static final String DEFAULT_DST_PREFIX = "eth";
    private static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern DST_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,11}");

    public static NetworkPlan validate(String name, NetworkDriver driver, NetworkOptions options) {
        checkNetworkName(name);
        int mtu = options.mtu() == 0 ? DEFAULT_MTU : options.mtu();
        if (mtu < 68 || mtu > 65535) {
            throw invalid("MTU " + options.mtu() + " is outside 68..65535");
        }
        String dst = options.dstPrefix() == null ? DEFAULT_DST_PREFIX : options.dstPrefix();
        if (!DST_PREFIX.matcher(dst).matches() || Character.isDigit(dst.charAt(dst.length() - 1))) {
            throw new NetkeeperException(ErrorCode.INVALID_NAME, "dstName prefix '" + dst
                    + "' must be 1-12 letters, digits, '_' or '-', start with a letter and not end in a digit");
        }
        if (!driver.assignsAddresses() && (options.subnet() != null || options.subnetIPv6() != null
                || options.gateway() != null || options.ipRange() != null || !options.reserved().isEmpty())) {
            throw invalid("the " + driver.type() + " driver assigns no addresses: subnet, gateway, "
                    + "ip-range and reserved addresses do not apply");
        }
        // Every reserved address is checked against (and later kept out of) the subnet of its family,
        // which must be given: config() must not meet an address it cannot parse or place.
        for (String r : options.reserved()) {
            boolean v4 = address(r, "reserved address") instanceof Inet4Address;
            if ((v4 ? options.subnet() : options.subnetIPv6()) == null) {
                throw invalid("reserved address " + r + " needs an explicit " + (v4 ? "IPv4" : "IPv6") + " subnet");
            }
        }
        if (options.subnet() != null) {
            checkPool(options.subnet(), options.gateway(), options.ipRange(), options.reserved(), true);
        } else if (options.gateway() != null || options.ipRange() != null) {
            throw invalid("gateway and ip-range need an explicit subnet");
        }
        if (options.subnetIPv6() != null) {
            checkPool(options.subnetIPv6(), options.gatewayIPv6(), null, options.reserved(), false);
        } else if (options.gatewayIPv6() != null) {
            throw invalid("an IPv6 gateway needs an IPv6 subnet");
        }
        Map<String, String> driverOptions = driver.resolveOptions(name, options.driverOptions());
        return new NetworkPlan(name, driver, options, driverOptions, mtu, dst);
    }

    /** The final configuration with the reserved subnets (for a carved subnet, reserved holds it). */
    public NetworkConfig config(Reservation reservation) {
        AddressPool v4 = null;
        if (driver.assignsAddresses() && reservation.subnet() != null) {
            v4 = pool(reservation.subnet(), options.gateway(), options.ipRange(), options.reserved(), true);
        }
        AddressPool v6 = null;
        if (reservation.subnetIPv6() != null) {
            v6 = pool(reservation.subnetIPv6(), options.gatewayIPv6(), null, options.reserved(), false);
        }
        return new NetworkConfig(name, driver.type(), v4, v6, mtu, options.internal(), dstPrefix, driverOptions,
                options.runtimeManaged(), options.disableDns(), reservation.vni());
    }

    /**
     * For a network across hosts: the MTU that fits {@code underlayMtu} once encapsulated ({@code overlayMtu}), unless
     * the create named one, which must fit too.
     */
    public NetworkPlan overUnderlay(int overlayMtu, String host) {
        if (options.mtu() == 0) {
            return new NetworkPlan(name, driver, options, driverOptions, overlayMtu, dstPrefix);
        }
        if (options.mtu() > overlayMtu) {
            throw invalid("MTU " + options.mtu() + " does not fit the underlay of host " + host + " once encapsulated"
                    + " (at most " + overlayMtu + ")");
        }
        return this;
    }

    public static void checkNetworkName(String name) {
        if (name == null || !NETWORK_NAME.matcher(name).matches()) {
            throw new NetkeeperException(ErrorCode.INVALID_NAME, "network name '" + name
                    + "' must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    private static AddressPool pool(String subnet, String gateway, String ipRange, List<String> reserved,
                                    boolean ipv4) {
        Cidr cidr = Cidr.parse(subnet);
        String gw = IpPrefix.format(gateway != null ? IpPrefix.literal(gateway) : cidr.at(BigInteger.ONE));
        List<String> res = reserved.stream().filter(r -> IpPrefix.literal(r) instanceof Inet4Address == ipv4)
                .map(r -> IpPrefix.format(IpPrefix.literal(r))).toList();
        return new AddressPool(cidr.toString(), gw, ipRange == null ? null : Cidr.parse(ipRange).toString(), res);
    }

    private static void checkPool(String subnet, String gateway, String ipRange, List<String> reserved,
                                  boolean ipv4) {
        String family = ipv4 ? "IPv4" : "IPv6";
        Cidr cidr;
        try {
            cidr = Cidr.parse(subnet);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (cidr.ipv4() != ipv4) {
            throw invalid("subnet " + subnet + " is not " + family);
        }
        SpecialRanges.refuse(cidr);
        int maxLength = ipv4 ? 30 : 126;
        if (cidr.length() > maxLength || cidr.length() < (ipv4 ? 8 : 48)) {
            throw invalid(family + " subnet " + subnet + " must have a prefix length between "
                    + (ipv4 ? 8 : 48) + " and " + maxLength);
        }
        if (gateway != null) {
            InetAddress gw = address(gateway, "gateway");
            if (!cidr.contains(gw)) {
                throw invalid("gateway " + gateway + " is outside subnet " + cidr);
            }
            BigInteger g = Cidr.toBig(gw);
            if (g.equals(cidr.base()) || (ipv4 && g.equals(cidr.last()))) {
                throw invalid("gateway " + gateway + " is the " + (g.equals(cidr.base()) ? "network" : "broadcast")
                        + " address of " + cidr);
            }
        }
        if (ipRange != null) {
            Cidr range;
            try {
                range = Cidr.parse(ipRange);
            } catch (IllegalArgumentException e) {
                throw invalid("ip-range: " + e.getMessage());
            }
            if (!cidr.contains(range)) {
                throw invalid("ip-range " + ipRange + " is outside subnet " + cidr);
            }
        }
        for (String r : reserved) {
            InetAddress a = address(r, "reserved address");
            if ((a instanceof Inet4Address) == ipv4 && !cidr.contains(a)) {
                throw invalid("reserved address " + r + " is outside subnet " + cidr);
            }
        }
    }

    private static InetAddress address(String text, String what) {
        try {
            return IpPrefix.literal(text);
        } catch (IllegalArgumentException e) {
            throw invalid(what + " '" + text + "' is not an IP address");
        }
    }

    private static NetkeeperException invalid(String message) {
        return new NetkeeperException(ErrorCode.INVALID_OPTION, message);
    }
}
