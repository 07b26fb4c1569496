package dev.netkeeper.network;

import dev.netkeeper.kernel.CborSerializable;

import java.util.List;

/**
 * One pool of an outside IPAM (Docker's RequestPool): its subnet, the sub-pool it hands addresses out of (null: the
 * whole subnet), how many times it is held ("it is the IPAM driver's responsibility to keep a reference count"), the
 * addresses handed out (without prefix, sorted; the gateway among them) and the last one handed to an endpoint, where
 * the next search starts (as netkeeper's own networks do: a released address is not reused at once).
 */
public record ExternalPool(String id, String subnet, String subPool, int holders, List<String> addresses,
                           String last) implements CborSerializable {
    public ExternalPool {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    AddressPool asAddressPool() {
        return new AddressPool(subnet, null, subPool, List.of());
    }
}
