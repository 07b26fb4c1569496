package dev.netkeeper.firewall;

import java.util.List;

/**
 * What one network asks of its host's firewall, beside its published ports: its bridge (the one holding the
 * gateway: routed traffic enters and leaves there), its subnets, and how it meets the outside.
 *
 * @param masquerade4 IPv4 traffic of the subnets leaving by a non-bridge interface takes the host's address
 * @param masquerade6 the same for IPv6 (only when the network asks: IPv6 is usually routed, not translated)
 * @param internal    nothing is forwarded into or out of the bridge at all
 * @param isolated    forwarding to or from another netkeeper network is dropped; two networks that are both
 *                    not isolated reach each other
 * @param resolvers   the gateway addresses (no prefix) where the network's resolver listens, port 53: open to the
 *                    network's own subnets only (empty: the network has no resolver)
 */
public record NetworkRules(String network, String bridge, List<String> subnets4, List<String> subnets6,
                           boolean masquerade4, boolean masquerade6, boolean internal, boolean isolated,
                           List<String> resolvers) {
    public NetworkRules {
        subnets4 = subnets4 == null ? List.of() : List.copyOf(subnets4);
        subnets6 = subnets6 == null ? List.of() : List.copyOf(subnets6);
        resolvers = resolvers == null ? List.of() : List.copyOf(resolvers);
    }

    public NetworkRules(String network, String bridge, List<String> subnets4, List<String> subnets6,
                        boolean masquerade4, boolean masquerade6, boolean internal, boolean isolated) {
        this(network, bridge, subnets4, subnets6, masquerade4, masquerade6, internal, isolated, List.of());
    }
}
