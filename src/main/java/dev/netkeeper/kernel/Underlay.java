package dev.netkeeper.kernel;

/**
 * This host's underlay as its kernel has it now: the address other hosts' VXLAN devices send to, and the MTU of the
 * link holding it (0 when no link of the host holds that address).
 */
public record Underlay(String address, int mtu) implements CborSerializable {
    /** Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 bytes (RFC 7348 §5); an IPv6 outer header is 20 bytes longer. */
    static final int OVERHEAD_IPV4 = 50;
    static final int OVERHEAD_IPV6 = 70;

    public boolean ipv6() {
        return address.indexOf(':') >= 0;
    }

    /** Whether a link of the host holds the address. */
    public boolean present() {
        return mtu > 0;
    }

    /** The largest MTU a network carried over this underlay can have: the link's MTU less the encapsulation. */
    public int overlayMtu() {
        return mtu - (ipv6() ? OVERHEAD_IPV6 : OVERHEAD_IPV4);
    }
}
