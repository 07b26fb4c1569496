package dev.netkeeper.network;

import dev.netkeeper.api.PortMapping;

import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.RecentRequests;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.network.NetworkEvent.EndpointAllocated;
import dev.netkeeper.network.NetworkEvent.EndpointPlaced;
import dev.netkeeper.network.NetworkEvent.EndpointReleased;
import dev.netkeeper.network.NetworkEvent.EndpointUnplaced;
import dev.netkeeper.network.NetworkEvent.NetworkCreated;
import dev.netkeeper.network.NetworkEvent.NetworkDeleted;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A network's state, rebuilt from its events by {@link #apply}: the one event handler, used by the
 * entity and by audit replay alike. {@code config} is null before creation and after deletion.
 * {@code lastIPv4/lastIPv6} are the IPAM cursors: a released address is reused only after a wrap.
 * {@code recentRequests} remembers the last request ids so that a retried command is not applied twice.
 */
public record NetworkState(NetworkConfig config, Map<String, Endpoint> endpoints, String lastIPv4,
                           String lastIPv6, List<String> recentRequests, String home, Set<String> hosts,
                           NetworkConfig removedConfig) implements CborSerializable {
    static final int REMEMBERED_REQUESTS = 1024;

    public static final NetworkState EMPTY = new NetworkState(null, Map.of(), null, null, List.of());

    /**
     * {@code home}: the host where the network was created (endpoints without a host live there);
     * {@code hosts}: every host where its kernel state may exist (a bridge was needed there once);
     * {@code removedConfig}: after a delete, the config it had, with its home and hosts kept, so that a
     * recovery finishes a tear-down that a crash cut (null otherwise).
     */
    public NetworkState {
        endpoints = endpoints == null ? EndpointMap.EMPTY : EndpointMap.of(endpoints); // shared, never copied per event
        recentRequests = recentRequests == null ? List.of() : recentRequests;
        hosts = hosts == null ? Set.of() : Set.copyOf(hosts);
    }

    public NetworkState(NetworkConfig config, Map<String, Endpoint> endpoints, String lastIPv4, String lastIPv6,
                        List<String> recentRequests) {
        this(config, endpoints, lastIPv4, lastIPv6, recentRequests, null, null);
    }

    public NetworkState(NetworkConfig config, Map<String, Endpoint> endpoints, String lastIPv4, String lastIPv6,
                        List<String> recentRequests, String home, Set<String> hosts) {
        this(config, endpoints, lastIPv4, lastIPv6, recentRequests, home, hosts, null);
    }

    /** The host whose kernel holds {@code e}'s interface (null: this agent's host, single-host only). */
    public String hostOf(Endpoint e) {
        return e.host() != null ? e.host() : home;
    }

    /** The endpoints whose interfaces live on {@code host}. */
    public List<Endpoint> endpointsOn(String host) {
        return endpoints.values().stream().filter(e -> Objects.equals(hostOf(e), host)).toList();
    }

    /** Every host with kernel state of this network; the home host first. */
    public List<String> kernelHosts() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add(home);
        all.addAll(new TreeSet<>(hosts));
        return new ArrayList<>(all);
    }

    public boolean exists() {
        return config != null;
    }

    public boolean handled(String requestId) {
        return RecentRequests.contains(recentRequests, requestId);
    }

    public NetworkState apply(NetworkEvent event) {
        List<String> requests = RecentRequests.remember(recentRequests, event.audit().requestId(), REMEMBERED_REQUESTS);
        if (event instanceof NetworkCreated c) {
            return new NetworkState(c.config(), EndpointMap.EMPTY, null, null, requests, c.host(),
                    c.host() == null ? Set.of() : Set.of(c.host()));
        }
        if (event instanceof EndpointAllocated a) {
            Map<String, Endpoint> next = ((EndpointMap) endpoints).with(a.endpoint().name(), a.endpoint());
            Set<String> nextHosts = hosts;
            if (a.endpoint().host() != null && !hosts.contains(a.endpoint().host())) {
                nextHosts = new HashSet<>(hosts);
                nextHosts.add(a.endpoint().host());
            }
            return new NetworkState(config, next,
                    a.endpoint().address() != null ? Ipam.host(a.endpoint().address()) : lastIPv4,
                    a.endpoint().addressIPv6() != null ? Ipam.host(a.endpoint().addressIPv6()) : lastIPv6,
                    requests, home, nextHosts);
        }
        if (event instanceof EndpointReleased r) {
            Map<String, Endpoint> next = ((EndpointMap) endpoints).without(r.endpoint());
            return new NetworkState(config, next, lastIPv4, lastIPv6, requests, home, hosts);
        }
        if (event instanceof EndpointPlaced p) {
            return withEndpoint(endpoints.get(p.endpoint()).withNamespace(p.namespace()), requests);
        }
        if (event instanceof EndpointUnplaced u) {
            return withEndpoint(endpoints.get(u.endpoint()).withNamespace(null), requests);
        }
        if (event instanceof NetworkEvent.PortsPublished p) {
            Endpoint e = endpoints.get(p.endpoint());
            List<PortMapping> ports = new java.util.ArrayList<>(e.ports());
            ports.addAll(p.ports());
            return withEndpoint(e.withPorts(ports), requests);
        }
        if (event instanceof NetworkEvent.PortsUnpublished u) {
            Endpoint e = endpoints.get(u.endpoint());
            List<PortMapping> ports = new java.util.ArrayList<>(e.ports());
            ports.removeAll(u.ports());
            return withEndpoint(e.withPorts(ports), requests);
        }
        if (event instanceof NetworkDeleted) {
            return new NetworkState(null, Map.of(), null, null, requests, home, hosts, config);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /** Host addresses (no prefix) taken by endpoints, for IPAM. */
    public Set<String> addressesInUse(boolean ipv6) {
        return endpoints.values().stream().map(e -> ipv6 ? e.addressIPv6() : e.address())
                .filter(a -> a != null).map(Ipam::host).collect(Collectors.toSet());
    }

    /** The network with all of its endpoints, in the order they were linked (audit replay, in-process use). */
    public NetworkInfo info() {
        return info(List.copyOf(endpoints.values()), null);
    }

    /**
     * The network with one page of its endpoints in name order: those after {@code after} (null: from the
     * first), at most {@code limit}; the reply names where the next page starts, if there is one.
     */
    public NetworkInfo info(String after, int limit) {
        List<Endpoint> rest = endpoints.values().stream()
                .filter(e -> after == null || e.name().compareTo(after) > 0)
                .sorted(Comparator.comparing(Endpoint::name)).limit(limit + 1L).toList();
        if (rest.size() <= limit) {
            return info(rest, null);
        }
        List<Endpoint> page = rest.subList(0, limit);
        return info(page, page.get(limit - 1).name());
    }

    private NetworkInfo info(List<Endpoint> page, String next) {
        List<EndpointInfo> eps = page.stream()
                .map(e -> new EndpointInfo(e.name(), config.interfacesOf(e), e.namespace(), hostOf(e), e.ports(),
                        e.hostVeth())).toList();
        return new NetworkInfo(config.name(), config.driver(),
                config.ipv4() == null ? null : config.ipv4().subnet(),
                config.ipv4() == null ? null : config.ipv4().gateway(),
                config.ipv6() == null ? null : config.ipv6().subnet(),
                config.ipv6() == null ? null : config.ipv6().gateway(),
                config.mtu(), config.internal(), shownOptions(), eps, endpoints.size(), next);
    }

    /** Shown with the driver's options, as Docker's inspect shows an overlay's VXLAN id: the VNI it was given. */
    public static final String VNI_OPTION = "overlay.vni";

    private Map<String, String> shownOptions() {
        if (config.vni() == 0) {
            return config.driverOptions();
        }
        Map<String, String> shown = new java.util.TreeMap<>(config.driverOptions());
        shown.put(VNI_OPTION, Integer.toString(config.vni()));
        return shown;
    }

    private NetworkState withEndpoint(Endpoint e, List<String> requests) {
        Map<String, Endpoint> next = ((EndpointMap) endpoints).with(e.name(), e);
        return new NetworkState(config, next, lastIPv4, lastIPv6, requests, home, hosts);
    }
}
