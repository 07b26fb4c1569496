package dev.netkeeper.api;

import java.util.List;

/**
 * How a Link places the container's interface. With a {@code namespace} (a path on the link's host) the link is
 * one step: the pair is made with the container end born in that namespace as {@code dstName} (null: "eth" and
 * the lowest free index; a name ending in a digit is taken as is), addressed, up and routed, as
 * {@code link} + {@code addInterface} would leave it. Without one, the seed's link: the container end stays in
 * the host as srcName, for {@code addInterface} (or the caller) to move. {@code publish}: ports of the host that
 * reach the endpoint (journaled with it; the answer names the host ports chosen). {@code address},
 * {@code addressIPv6} and {@code macAddress} ask for these instead of the next free ones (Docker's and Podman's
 * {@code --ip}, {@code --ip6}, {@code --mac-address}): one that another endpoint holds is refused
 * ({@code ADDRESS_IN_USE}), one the network never hands out (outside its subnet, its gateway) too
 * ({@code INVALID_OPTION}). An address is written without its prefix length ("10.1.0.7"). {@code aliases}: more names
 * the network's resolver answers for the endpoint besides its own (Docker's {@code --network-alias}; host names, each
 * refused {@code INVALID_NAME} otherwise).
 */
public record LinkOptions(@Nullable String namespace, @Nullable String dstName,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                          List<PortMapping> publish,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          @Nullable String address,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          @Nullable String addressIPv6,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          @Nullable String macAddress,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                          List<String> aliases) {
    public static final LinkOptions NONE = new LinkOptions(null, null);

    public LinkOptions {
        publish = publish == null ? List.of() : List.copyOf(publish);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        address = blankToNull(address);
        addressIPv6 = blankToNull(addressIPv6);
        macAddress = blankToNull(macAddress);
    }

    public LinkOptions(String namespace, String dstName, List<PortMapping> publish, String address,
                       String addressIPv6, String macAddress) {
        this(namespace, dstName, publish, address, addressIPv6, macAddress, List.of());
    }

    public LinkOptions(String namespace, String dstName, List<PortMapping> publish) {
        this(namespace, dstName, publish, null, null, null);
    }

    /** Also known to the network's resolver by these names. */
    public LinkOptions withAliases(String... names) {
        List<String> all = new java.util.ArrayList<>(aliases);
        all.addAll(List.of(names));
        return new LinkOptions(namespace, dstName, publish, address, addressIPv6, macAddress, all);
    }

    public LinkOptions(String namespace, String dstName) {
        this(namespace, dstName, List.of());
    }

    /** Asking for these addresses and this MAC (each null: the next free one). */
    public LinkOptions requesting(String ipv4, String ipv6, String mac) {
        return new LinkOptions(namespace, dstName, publish, ipv4, ipv6, mac, aliases);
    }

    /** Whether the link asks for a particular address or MAC. */
    public boolean requestsAny() {
        return address != null || addressIPv6 != null || macAddress != null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Into the namespace at {@code path}, under the default name. */
    public static LinkOptions into(String path) {
        return new LinkOptions(path, null);
    }

    public LinkOptions named(String name) {
        return new LinkOptions(namespace, name, publish, address, addressIPv6, macAddress, aliases);
    }

    /** With these ports published (see {@link PortMapping}); a network that cannot publish refuses the link. */
    public LinkOptions publishing(PortMapping... mappings) {
        List<PortMapping> all = new java.util.ArrayList<>(publish);
        all.addAll(List.of(mappings));
        return new LinkOptions(namespace, dstName, all, address, addressIPv6, macAddress, aliases);
    }

    /** Only ports to publish, the container end left in the host (the seed's link). */
    public static LinkOptions publish(PortMapping... mappings) {
        return NONE.publishing(mappings);
    }

    public boolean namesNamespace() {
        return namespace != null && !namespace.isEmpty();
    }
}
