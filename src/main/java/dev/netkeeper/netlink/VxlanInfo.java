package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.IfLink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * What the kernel reports of a VXLAN device (IFLA_INFO_DATA of a "vxlan" link, if_link.h IFLA_VXLAN_*):
 * {@code local} is null when unset; {@code port} is the UDP destination port (the kernel sends it as be16).
 */
public record VxlanInfo(int vni, InetAddress local, int port, boolean learning, boolean proxy) {

    /** From the attributes nested in IFLA_INFO_DATA. The kernel sends all of these for every vxlan device. */
    static VxlanInfo decode(Attributes data) {
        Optional<byte[]> local = data.bytes(IfLink.IFLA_VXLAN_LOCAL).filter(b -> b.length == 4)
                .or(() -> data.bytes(IfLink.IFLA_VXLAN_LOCAL6).filter(b -> b.length == 16));
        return new VxlanInfo(data.u32(IfLink.IFLA_VXLAN_ID).orElse(0), local.map(VxlanInfo::ip).orElse(null),
                data.be16(IfLink.IFLA_VXLAN_PORT).orElse(0), data.u8(IfLink.IFLA_VXLAN_LEARNING).orElse(0) != 0,
                data.u8(IfLink.IFLA_VXLAN_PROXY).orElse(0) != 0);
    }

    private static InetAddress ip(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + raw.length, e);
        }
    }
}
