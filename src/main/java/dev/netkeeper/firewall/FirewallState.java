package dev.netkeeper.firewall;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host's netkeeper table holds, as the journal says: each network's {@link NetworkRules} and the
 * {@link Forward}s of its endpoints on this host. Immutable; every change makes a new one.
 */
public record FirewallState(Map<String, NetworkRules> networks, Map<String, Map<String, List<Forward>>> forwards) {
    public static final FirewallState EMPTY = new FirewallState(Map.of(), Map.of());

    public FirewallState {
        networks = Map.copyOf(networks);
        Map<String, Map<String, List<Forward>>> f = new HashMap<>();
        forwards.forEach((net, byEndpoint) -> {
            Map<String, List<Forward>> copy = new HashMap<>();
            byEndpoint.forEach((ep, list) -> {
                if (!list.isEmpty()) {
                    copy.put(ep, List.copyOf(list));
                }
            });
            if (!copy.isEmpty()) {
                f.put(net, Map.copyOf(copy));
            }
        });
        forwards = Map.copyOf(f);
    }

    /** The network's rules and exactly these forwards (by endpoint): what a converge of it says. */
    public FirewallState withNetwork(NetworkRules rules, Map<String, List<Forward>> byEndpoint) {
        Map<String, NetworkRules> n = new HashMap<>(networks);
        n.put(rules.network(), rules);
        Map<String, Map<String, List<Forward>>> f = new HashMap<>(forwards);
        f.put(rules.network(), byEndpoint);
        return new FirewallState(n, f);
    }

    /** One endpoint's forwards replaced ({@code list} empty: it has none now). */
    public FirewallState withForwards(String network, String endpoint, List<Forward> list) {
        Map<String, Map<String, List<Forward>>> f = new HashMap<>(forwards);
        Map<String, List<Forward>> byEndpoint = new HashMap<>(f.getOrDefault(network, Map.of()));
        byEndpoint.put(endpoint, list);
        f.put(network, byEndpoint);
        return new FirewallState(networks, f);
    }

    public FirewallState without(String network) {
        Map<String, NetworkRules> n = new HashMap<>(networks);
        n.remove(network);
        Map<String, Map<String, List<Forward>>> f = new HashMap<>(forwards);
        f.remove(network);
        return new FirewallState(n, f);
    }

    /** How many forwards the host has. */
    public int forwardCount() {
        return forwards.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).sum();
    }

    /** A forward with the network and endpoint that publish it. */
    public record Holder(String network, String endpoint, Forward forward) {}
}
