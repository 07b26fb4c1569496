package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A route in the main table. An empty {@code destination} is the default route (0.0.0.0/0 or ::/0);
 * an empty {@code gateway} is a directly connected route; {@code linkIndex} (RTA_OIF) 0 if unset.
 */
public record Route(int family, Optional<IpPrefix> destination, Optional<InetAddress> gateway, int linkIndex) {

    public static Route defaultVia(InetAddress gateway) {
        return new Route(family(gateway), Optional.empty(), Optional.of(gateway), 0);
    }

    public boolean isDefault() {
        return destination.isEmpty();
    }

    static int family(InetAddress a) {
        return a instanceof Inet4Address ? Rtnetlink.AF_INET : Rtnetlink.AF_INET6;
    }
}
