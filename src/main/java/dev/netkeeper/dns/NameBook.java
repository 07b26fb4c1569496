package dev.netkeeper.dns;

import dev.netkeeper.namespace.NamespaceEvent;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.network.NetworkState;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agent's in-memory view of the journal that the resolvers answer from: every network's state, folded from
 * its events with the entity's own handler ({@link NetworkState#apply}), and which namespaces netkeeper made. Fed
 * in journal order by {@link JournalFeed}; read by the resolver threads. A network's names are indexed when first
 * asked for after a change ({@link NetworkNames}), so that replaying a long journal costs no index per event.
 */
final class NameBook {
    /** A namespace as the resolv.conf files need it: where it is, and whether netkeeper made it. */
    record NamespaceEntry(String host, String path, boolean made) {}

    private final Map<String, NetworkState> networks = new HashMap<>();
    private final Map<String, NetworkNames> indexed = new HashMap<>();
    private final Map<InetAddress, String> byGateway = new HashMap<>();
    private final Map<String, NamespaceEntry> namespaces = new HashMap<>();
    private long version;

    /** Folds one network event of {@code network} into the view. */
    synchronized void network(String network, NetworkEvent event) {
        NetworkState before = networks.getOrDefault(network, NetworkState.EMPTY);
        NetworkState after = before.apply(event);
        byGateway.values().removeIf(network::equals);
        if (after.exists()) {
            networks.put(network, after);
            if (serves(after)) {
                gateways(after).forEach(g -> byGateway.put(g, network));
            }
        } else {
            networks.remove(network);
        }
        indexed.remove(network);
        version++;
    }

    /** Folds one namespace event of the namespace entity {@code id} ("host:path"). */
    synchronized void namespace(String host, String path, String id, NamespaceEvent event) {
        if (event instanceof NamespaceEvent.NamespaceCreated) {
            namespaces.put(id, new NamespaceEntry(host, path, true));
        } else if (event instanceof NamespaceEvent.NamespaceUsed) {
            namespaces.put(id, new NamespaceEntry(host, path, false));
        } else if (event instanceof NamespaceEvent.NamespaceDeleted) {
            namespaces.remove(id);
        } else {
            return;
        }
        version++;
    }

    /** Grows with every change: a reader that saw this number has seen everything up to it. */
    synchronized long version() {
        return version;
    }

    /** The network whose resolver listens on {@code gateway}, indexed; null when none does. */
    synchronized NetworkNames atGateway(InetAddress gateway) {
        String network = byGateway.get(gateway);
        return network == null ? null : names(network);
    }

    /**
     * The networks whose names a client at {@code source} on {@code own} sees: its own first, then every other
     * network its namespace is on (a container on two networks resolves the names of both), by name.
     */
    synchronized List<NetworkNames> scope(NetworkNames own, InetAddress source) {
        List<NetworkNames> out = new ArrayList<>();
        out.add(own);
        String namespace = own.holder(source).map(NetworkNames.Host::namespace).orElse(null);
        if (namespace == null) {
            return out;
        }
        for (Map.Entry<String, NetworkState> n : new TreeMap<>(networks).entrySet()) {
            if (!n.getKey().equals(own.network()) && serves(n.getValue())
                    && n.getValue().endpoints().values().stream().anyMatch(e -> namespace.equals(e.namespace()))) {
                out.add(names(n.getKey()));
            }
        }
        return out;
    }

    /** The resolver addresses to listen on for this host: each serving network's gateways, by network. */
    synchronized Map<String, List<InetAddress>> listeners(String hostId) {
        Map<String, List<InetAddress>> out = new TreeMap<>();
        networks.forEach((name, state) -> {
            // a network journaled without a home host (single-host, before hosts were named) is this host's
            if (serves(state) && (state.home() == null || state.kernelHosts().contains(hostId))) {
                out.put(name, gateways(state));
            }
        });
        return out;
    }

    /**
     * The resolvers each namespace of {@code hostId} that netkeeper made should name in its resolv.conf, by namespace
     * path: the gateways of the serving networks it has an endpoint on (IPv4 first); an empty list when none.
     */
    synchronized Map<String, List<InetAddress>> resolvConfs(String hostId) {
        Map<String, Set<InetAddress>> byNamespace = new TreeMap<>();
        namespaces.forEach((id, ns) -> {
            if (ns.made() && Objects.equals(ns.host(), hostId)) {
                byNamespace.put(id, new LinkedHashSet<>());
            }
        });
        for (NetworkState state : new TreeMap<>(networks).values()) {
            if (!serves(state)) {
                continue;
            }
            for (Endpoint e : state.endpoints().values()) {
                Set<InetAddress> servers = e.namespace() == null ? null : byNamespace.get(e.namespace());
                if (servers != null) {
                    servers.addAll(gateways(state));
                }
            }
        }
        Map<String, List<InetAddress>> out = new TreeMap<>();
        byNamespace.forEach((id, servers) -> {
            List<InetAddress> sorted = new ArrayList<>(servers);
            sorted.sort(java.util.Comparator.comparing(a -> a instanceof java.net.Inet6Address));
            out.put(namespaces.get(id).path(), sorted);
        });
        return out;
    }

    /** Every gateway address of a serving network on any host: never an upstream (it would ask itself). */
    synchronized Set<InetAddress> ownAddresses() {
        return Set.copyOf(byGateway.keySet());
    }

    private NetworkNames names(String network) {
        return indexed.computeIfAbsent(network, n -> NetworkNames.of(networks.get(n)));
    }

    /** The drivers whose gateway is an address of a bridge in the host namespace (the overlay's is on every host's). */
    private static final java.util.Set<String> GATEWAY_ON_A_HOST_BRIDGE = java.util.Set.of("bridge", "overlay");

    /** Whether the network has a resolver: not turned off, and a gateway on the host's bridge. */
    static boolean serves(NetworkState state) {
        return state.exists() && !state.config().disableDns()
                && GATEWAY_ON_A_HOST_BRIDGE.contains(state.config().driver()) && !gateways(state).isEmpty();
    }

    private static List<InetAddress> gateways(NetworkState state) {
        List<InetAddress> out = new ArrayList<>(2);
        if (state.config().ipv4() != null && state.config().ipv4().gateway() != null) {
            out.add(NetworkNames.address(state.config().ipv4().gateway()));
        }
        if (state.config().ipv6() != null && state.config().ipv6().gateway() != null) {
            out.add(NetworkNames.address(state.config().ipv6().gateway()));
        }
        return out;
    }
}
