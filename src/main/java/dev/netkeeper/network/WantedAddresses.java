package dev.netkeeper.network;

import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.kernel.CborSerializable;

/**
 * The addresses and MAC a link asks for instead of the next free ones (each null: whatever is free): Docker's and
 * Podman's {@code --ip}, {@code --ip6} and {@code --mac-address}. Addresses without a prefix length.
 */
public record WantedAddresses(String address, String addressIPv6, String macAddress) implements CborSerializable {
    public static final WantedAddresses NONE = new WantedAddresses(null, null, null);

    public static WantedAddresses of(LinkOptions options) {
        if (options == null || !options.requestsAny()) {
            return NONE;
        }
        return new WantedAddresses(options.address(), options.addressIPv6(), options.macAddress());
    }
}
