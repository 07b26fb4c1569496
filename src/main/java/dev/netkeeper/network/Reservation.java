package dev.netkeeper.network;

import dev.netkeeper.kernel.CborSerializable;

/** The subnets a network holds in the cluster (null: none of that family). */
public record Reservation(String name, String subnet, String subnetIPv6) implements CborSerializable {}
