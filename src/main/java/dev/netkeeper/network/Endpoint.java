package dev.netkeeper.network;

import dev.netkeeper.kernel.CborSerializable;

/**
 * An endpoint: what was allocated for one container on one network. Null srcName / hostVeth: the driver
 * makes no interface (null driver). {@code namespace} is the namespace entity id it was added to;
 * {@code host} the host whose kernel holds its interface (null: the network's first host).
 */
public record Endpoint(String name, String hostVeth, String srcName, String macAddress, String address,
                       String addressIPv6, String namespace, String host) implements CborSerializable {
    public Endpoint(String name, String hostVeth, String srcName, String macAddress, String address,
                    String addressIPv6, String namespace) {
        this(name, hostVeth, srcName, macAddress, address, addressIPv6, namespace, null);
    }

    public Endpoint withNamespace(String namespaceId) {
        return new Endpoint(name, hostVeth, srcName, macAddress, address, addressIPv6, namespaceId, host);
    }
}
