package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.netlink.IpPrefix;

import java.net.InetAddress;

/**
 * Where an explicit subnet collides with the host it is made on: one of the host's own addresses inside
 * it (a duplicate address, always refused), or a route of the host that overlaps it (refused unless the
 * network says it accepts that, {@code hostRouteOverlap}).
 */
final class HostOverlap {
    private HostOverlap() {}

    static void check(String network, String subnet, boolean routesAccepted, NetlinkActor.HostRoutes host) {
        if (subnet == null) {
            return;
        }
        Cidr wanted = Cidr.parse(subnet);
        for (String a : host.addresses()) {
            InetAddress ip = IpPrefix.parse(a).address();
            if (wanted.ipv4() == (ip.getAddress().length == 4) && wanted.contains(ip)) {
                throw new NetkeeperException(ErrorCode.SUBNET_OVERLAP, "subnet " + wanted + " of network " + network
                        + " holds " + ip.getHostAddress() + ", an address of the host (" + a + ")");
            }
        }
        if (routesAccepted) {
            return;
        }
        for (String d : host.destinations()) {
            Cidr route;
            try {
                route = Cidr.parse(d);
            } catch (IllegalArgumentException notASubnet) {
                continue;
            }
            if (route.ipv4() == wanted.ipv4() && route.overlaps(wanted)) {
                throw new NetkeeperException(ErrorCode.SUBNET_OVERLAP, "subnet " + wanted + " of network " + network
                        + " overlaps the host's route to " + d + " (the option hostRouteOverlap accepts that)");
            }
        }
    }
}
