package dev.netkeeper.netlink;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A VXLAN device as netkeeper makes it (IFLA_INFO_KIND "vxlan", if_link.h IFLA_VXLAN_*): {@code vni} on UDP
 * {@code port}, sent from {@code local} (IFLA_VXLAN_LOCAL or IFLA_VXLAN_LOCAL6 by its family; null leaves it
 * unset). No group and no remote: every destination comes from static FDB entries ({@link NeighOps#setFdb}), so
 * nothing is flooded. {@code learning} off keeps the FDB to what we set; {@code proxy} on makes the device answer
 * ARP and neighbour solicitations from its neighbour table ({@link NeighOps#setNeighbour}) instead of sending them
 * across. {@code mtu} 0 keeps the kernel's default; {@code mac} empty lets the kernel pick.
 */
public record Vxlan(String name, int vni, InetAddress local, int port, int mtu, Optional<MacAddress> mac,
                    boolean learning, boolean proxy) {
    /** VXLAN's VNI is 24 bits (RFC 7348). */
    public static final int MAX_VNI = (1 << 24) - 1;
    /** The IANA port (RFC 7348). Linux defaults to 8472, the pre-IANA one, so we always send the port. */
    public static final int IANA_PORT = 4789;

    public Vxlan {
        Objects.requireNonNull(name, "name");
        mac = mac == null ? Optional.empty() : mac;
        if (vni < 1 || vni > MAX_VNI) {
            throw new IllegalArgumentException("VXLAN " + name + ": VNI " + vni + " is outside 1.." + MAX_VNI);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("VXLAN " + name + ": UDP port " + port + " is outside 1..65535");
        }
        if (mtu < 0) {
            throw new IllegalArgumentException("VXLAN " + name + ": negative MTU " + mtu);
        }
    }
}
