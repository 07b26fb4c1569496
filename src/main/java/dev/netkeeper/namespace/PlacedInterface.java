package dev.netkeeper.namespace;

import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.Interface;

/** An interface added to a namespace: whose it is (network, endpoint) and what it is, final dstName included. */
public record PlacedInterface(String network, String endpoint, Interface iface) implements CborSerializable {}
