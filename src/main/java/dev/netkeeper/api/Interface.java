package dev.netkeeper.api;

/**
 * One network interface of a container endpoint, with libnetwork's field names.
 *
 * @param srcName     name of the container end while it sits in the host namespace (e.g. ceth1a2b3c4)
 * @param dstName     name inside the container's namespace. As in libnetwork, a bare prefix ("eth")
 *                    from {@code link} becomes prefix + the lowest free index ("eth0") when the
 *                    namespace adds it; a name that ends in a digit is used as is.
 * @param macAddress  "02:42:0a:00:00:02"
 * @param address     IPv4 with prefix length, "10.0.0.2/24"
 * @param addressIPv6 IPv6 with prefix length, or null when the network has no IPv6 subnet
 * @param gateway     IPv4 gateway, or null for an internal network
 * @param gatewayIPv6 IPv6 gateway, or null
 * @param mtu         the link MTU
 */
public record Interface(String srcName, String dstName, String macAddress, String address,
                        String addressIPv6, String gateway, String gatewayIPv6, int mtu) {

    public Interface withDstName(String name) {
        return new Interface(srcName, name, macAddress, address, addressIPv6, gateway, gatewayIPv6, mtu);
    }
}
