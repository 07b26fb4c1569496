package dev.netkeeper.network;

import dev.netkeeper.api.NamespaceId;
import dev.netkeeper.kernel.CborSerializable;

/**
 * Where a namespace wants an endpoint's interface, as only the namespace knows it: its id ("host:path"), the
 * final {@code dstName}, the {@code identity} of a namespace of another owner (null: one netkeeper made, known by
 * its mark), and whether the interface carries the namespace's default route of each family (a namespace has one
 * per family: the first interface with a gateway of that family).
 */
public record Placement(String namespace, String dstName, String identity, boolean defaultRoute,
                        boolean defaultRouteIPv6) implements CborSerializable {
    public NamespaceId id() {
        return NamespaceId.parse(namespace);
    }
}
