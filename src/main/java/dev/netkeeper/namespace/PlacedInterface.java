package dev.netkeeper.namespace;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.Interface;

/**
 * An interface added to a namespace: whose it is (network, endpoint) and what it is, final dstName included.
 * {@code bornHere}: the link made it in this namespace (one step); deleting the namespace releases its endpoint
 * instead of returning the interface to the host.
 */
public record PlacedInterface(String network, String endpoint, Interface iface,
                              @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean bornHere) implements CborSerializable {
    /** Claimed from the host (the seed's addInterface). */
    public PlacedInterface(String network, String endpoint, Interface iface) {
        this(network, endpoint, iface, false);
    }
}
