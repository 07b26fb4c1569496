package dev.netkeeper.namespace;

/**
 * Which interface carries a namespace's default route of each family: a namespace has one per family, taken by the
 * first interface (in the order they were added) with a gateway of that family; a second one would collide with it
 * (EEXIST) and fail the add of any interface from a second network.
 */
final class DefaultRoutes {
    private DefaultRoutes() {}

    /** Whether {@code p}, one of {@code state}'s interfaces, is the one with the family's default route. */
    static boolean carries(NamespaceState state, PlacedInterface p, boolean ipv6) {
        for (PlacedInterface q : state.interfaces().values()) {
            if (gateway(q, ipv6) != null) {
                return q.iface().dstName().equals(p.iface().dstName());
            }
        }
        return false;
    }

    /** Whether an interface added now would carry the family's default route (no interface has a gateway of it yet). */
    static boolean free(NamespaceState state, boolean ipv6) {
        return state.interfaces().values().stream().noneMatch(q -> gateway(q, ipv6) != null);
    }

    private static String gateway(PlacedInterface p, boolean ipv6) {
        return ipv6 ? p.iface().gatewayIPv6() : p.iface().gateway();
    }
}
