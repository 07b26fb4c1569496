package dev.netkeeper.network;

import dev.netkeeper.kernel.CborSerializable;

/**
 * The subnets a network holds in the cluster (null: none of that family) and, for a network that spans hosts, its
 * VXLAN network identifier (0: none; 0 too in every reservation journaled before overlays).
 */
public record Reservation(String name, String subnet, String subnetIPv6, int vni) implements CborSerializable {
    public Reservation(String name, String subnet, String subnetIPv6) {
        this(name, subnet, subnetIPv6, 0);
    }
}
