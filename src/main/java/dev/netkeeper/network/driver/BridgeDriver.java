package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.BornEndpoint;
import dev.netkeeper.kernel.PruneSegments;
import dev.netkeeper.kernel.EnsureSegment;
import dev.netkeeper.kernel.BridgePorts;
import dev.netkeeper.kernel.EnsureVeth;
import dev.netkeeper.kernel.EnsureBridge;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.FirewallForwards;
import dev.netkeeper.kernel.EnsureHairpin;
import dev.netkeeper.kernel.FirewallRemove;
import dev.netkeeper.kernel.FirewallShare;
import dev.netkeeper.firewall.Forward;
import dev.netkeeper.firewall.NetworkRules;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.KernelTaskSet;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.kernel.LinkNameFree;
import dev.netkeeper.netlink.InvalidNameException;
import dev.netkeeper.netlink.LinkName;
import dev.netkeeper.network.AddressPool;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.Placement;
import dev.netkeeper.network.Segments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Linux bridge driver, after the CNI bridge plugin: setUp = setupBridge (bridge up with the gateway
 * addresses), attach = setupVeth (pair created on the bridge, container end left in the host),
 * detach = delete the host end (the kernel removes its peer wherever it is). A bridge holds
 * {@value #MAX_PORTS} endpoints at most: past that the network grows on that host by another bridge (segment
 * 1, 2, ...) joined to the first by a veth trunk, one L2 segment with the gateway; a segment whose last endpoint
 * goes is removed.
 */
public final class BridgeDriver implements NetworkDriver, KernelTaskSet {
    @Override
    public Map<String, Class<? extends KernelTask>> tasks() {
        return Map.of("bridge.ensure", EnsureBridge.class, "veth.ensure", EnsureVeth.class, "bridge.ports", BridgePorts.class,
                "bridge.segment", EnsureSegment.class, "bridge.prune-segments", PruneSegments.class,
                "bridge.born-endpoint", BornEndpoint.class);
    }

    /** Driver option: the bridge's name; default "nk-" + 8 hex chars of the network name's SHA-256. */
    public static final String BRIDGE_NAME = "bridge.name";
    /**
     * Driver option: endpoints one bridge holds on a host before the network grows by another bridge (1 to
     * {@value #MAX_PORTS}, the default). The Linux bridge takes 1,023 ports (BR_MAX_PORTS, port 0 reserved); the
     * first bridge also holds one trunk per bridge the network grew by, so {@value #MAX_PORTS} leaves room for 23.
     */
    public static final String MAX_PORTS_OPTION = "bridge.max-ports";
    static final int MAX_PORTS = 1000;
    /**
     * Driver option: masquerade the network's IPv4 traffic that leaves the host (default true; CNI bridge's
     * {@code ipMasq}, Docker's {@code enable_ip_masquerade}); an internal network never leaves.
     */
    public static final String MASQUERADE = "bridge.masquerade";
    /** Driver option: masquerade its IPv6 traffic too (default false: IPv6 subnets are usually routed). */
    public static final String MASQUERADE_IPV6 = "bridge.masquerade-ipv6";
    /**
     * Driver option: drop traffic between this network and other netkeeper networks (default true, as Docker
     * isolates its networks); two networks that both say false reach each other.
     */
    public static final String ISOLATED = "bridge.isolated";
    private static final List<String> FLAGS = List.of(MASQUERADE, MASQUERADE_IPV6, ISOLATED);
    /** Segments a network may grow to on one host (how far a converge looks for ones a crash left unmarked). */
    static final int MAX_SEGMENTS = 23;

    @Override
    public String type() {
        return "bridge";
    }

    @Override
    public List<String> aliases() {
        return List.of("simplebridge");
    }

    @Override
    public boolean assignsAddresses() {
        return true;
    }

    @Override
    public boolean createsInterfaces() {
        return true;
    }

    @Override
    public Map<String, String> resolveOptions(String networkName, Map<String, String> options) {
        Map<String, String> resolved = new java.util.HashMap<>();
        for (String key : options.keySet()) {
            if (FLAGS.contains(key)) {
                String v = options.get(key);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new NetkeeperException(ErrorCode.INVALID_OPTION, key + " must be true or false, not '" + v + "'");
                }
                resolved.put(key, v);
            } else if (!key.equals(BRIDGE_NAME) && !key.equals(MAX_PORTS_OPTION)) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "unknown bridge driver option '" + key
                        + "' (known: " + BRIDGE_NAME + ", " + MAX_PORTS_OPTION + ", " + String.join(", ", FLAGS) + ")");
            }
        }
        String bridge = options.getOrDefault(BRIDGE_NAME, defaultBridgeName(networkName));
        try {
            LinkName.check(bridge);
        } catch (InvalidNameException e) {
            throw new NetkeeperException(ErrorCode.INVALID_NAME, BRIDGE_NAME + ": " + e.getMessage());
        }
        resolved.put(BRIDGE_NAME, bridge);
        if (!options.containsKey(MAX_PORTS_OPTION)) {
            return Map.copyOf(resolved);
        }
        String ports = options.get(MAX_PORTS_OPTION);
        if (!ports.matches("[0-9]{1,4}") || Integer.parseInt(ports) < 1 || Integer.parseInt(ports) > MAX_PORTS) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, MAX_PORTS_OPTION + " must be 1 to " + MAX_PORTS
                    + ", not '" + ports + "'");
        }
        resolved.put(MAX_PORTS_OPTION, Integer.toString(Integer.parseInt(ports)));
        return Map.copyOf(resolved);
    }

    @Override
    public List<KernelTask> setUp(NetworkConfig network) {
        return List.of(ensureBridge(network), new FirewallShare(rules(network), Map.of()));
    }

    private static EnsureBridge ensureBridge(NetworkConfig network) {
        List<String> gateways = new ArrayList<>();
        addGateway(gateways, network.ipv4());
        addGateway(gateways, network.ipv6());
        return new EnsureBridge(bridge(network), network.mtu(), gateways, LinkMark.bridge(network.name()));
    }

    /** What the network asks of its hosts' firewall, beside published ports. */
    static NetworkRules rules(NetworkConfig network) {
        Map<String, String> o = network.driverOptions();
        return new NetworkRules(network.name(), bridge(network),
                network.ipv4() == null ? List.of() : List.of(network.ipv4().subnet()),
                network.ipv6() == null ? List.of() : List.of(network.ipv6().subnet()),
                !"false".equals(o.get(MASQUERADE)), "true".equals(o.get(MASQUERADE_IPV6)), network.internal(),
                !"false".equals(o.get(ISOLATED)), resolvers(network));
    }

    /** Where the network's resolver listens: its gateways, unless it has none (disableDns). */
    private static List<String> resolvers(NetworkConfig network) {
        List<String> out = new ArrayList<>();
        if (!network.disableDns()) {
            addGateway(out, network.ipv4());
            addGateway(out, network.ipv6());
        }
        return out.stream().map(dev.netkeeper.network.Ipam::host).toList();
    }

    @Override
    public boolean publishes(NetworkConfig network) {
        return !network.internal();
    }

    @Override
    public List<KernelTask> publish(NetworkConfig network, Endpoint endpoint) {
        return List.of(new FirewallForwards(network.name(), endpoint.name(), forwards(endpoint)),
                new EnsureHairpin(endpoint.hostVeth(), LinkMark.hostEnd(network.name(), endpoint.name()),
                        !endpoint.ports().isEmpty()));
    }

    /** The endpoint's published ports as the kernel forwards them: to its IPv4 and/or IPv6 address. */
    static List<Forward> forwards(Endpoint endpoint) {
        List<Forward> out = new ArrayList<>();
        for (PortMapping m : endpoint.ports()) {
            if (endpoint.address() != null && (m.hostIp() == null || !m.hostIpv6())) {
                out.add(new Forward(m.protocol(), m.hostIp(), m.hostPort(), host(endpoint.address()), m.containerPort()));
            }
            if (endpoint.addressIPv6() != null && (m.hostIp() == null || m.hostIpv6())) {
                out.add(new Forward(m.protocol(), m.hostIp(), m.hostPort(), host(endpoint.addressIPv6()), m.containerPort()));
            }
        }
        return out;
    }

    private static String host(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    @Override
    public List<KernelTask> checkNames(String network, Map<String, String> driverOptions) {
        return List.of(new LinkNameFree(driverOptions.get(BRIDGE_NAME), LinkMark.bridge(network)));
    }

    @Override
    public List<KernelTask> tearDown(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>();
        endpoints.forEach(e -> tasks.addAll(detach(network, e)));
        // and any port of the network's that the journal no longer lists (an unlink a crash cut), on every bridge
        tasks.add(new BridgePorts(bridge(network), network.name(), List.of()));
        segmentsOf(endpoints).stream().filter(k -> k > 0).forEach(k ->
                tasks.add(new BridgePorts(segmentBridge(network, k), network.name(), List.of())));
        tasks.add(prune(network, Set.of()));
        tasks.add(new DeleteLink(bridge(network), LinkMark.bridge(network.name())));
        tasks.add(new FirewallRemove(network.name()));
        return tasks;
    }

    @Override
    public List<KernelTask> attach(NetworkConfig network, Endpoint endpoint) {
        List<KernelTask> tasks = new ArrayList<>();
        if (endpoint.segment() != 0) {
            tasks.add(segment(network, endpoint.segment()));
        }
        tasks.add(veth(network, endpoint));
        return withPorts(tasks, network, endpoint);
    }

    private List<KernelTask> withPorts(List<KernelTask> tasks, NetworkConfig network, Endpoint endpoint) {
        if (!endpoint.ports().isEmpty()) {
            tasks.addAll(publish(network, endpoint));
        }
        return tasks;
    }

    /** One step: the pair made with the container end born in the namespace as its final name, then configured there. */
    @Override
    public List<KernelTask> placeInto(NetworkConfig network, Endpoint endpoint, Placement placement) {
        EnsureVeth veth = veth(network, endpoint).bornIn(new EnsureVeth.Birthplace(placement.id().path(),
                placement.dstName(), placement.identity()));
        BornEndpoint born = new BornEndpoint(veth, NetworkDriver.place(network, endpoint, placement));
        List<KernelTask> tasks = new ArrayList<>();
        if (endpoint.segment() != 0) {
            tasks.add(segment(network, endpoint.segment()));
        }
        tasks.add(born);
        return withPorts(tasks, network, endpoint);
    }

    @Override
    public int maxSegment(NetworkConfig network) {
        return MAX_SEGMENTS;
    }

    @Override
    public int endpointsPerSegment(NetworkConfig network) {
        String ports = network.driverOptions().get(MAX_PORTS_OPTION);
        return ports == null ? MAX_PORTS : Integer.parseInt(ports);
    }

    /** The last endpoint of a segment bridge gone: the bridge and its trunk go too. */
    @Override
    public List<KernelTask> afterDetach(NetworkConfig network, Endpoint removed, Collection<Endpoint> left) {
        int k = removed.segment();
        if (k == 0 || !Segments.isEmpty(left, k)) {
            return List.of();
        }
        return List.of(new DeleteLink(trunkMain(network, k), LinkMark.trunk(network.name(), k)),
                new DeleteLink(segmentBridge(network, k), LinkMark.segment(network.name(), k)));
    }

    private static EnsureVeth veth(NetworkConfig network, Endpoint endpoint) {
        String bridge = endpoint.segment() == 0 ? bridge(network) : segmentBridge(network, endpoint.segment());
        return new EnsureVeth(endpoint.hostVeth(), endpoint.srcName(), endpoint.macAddress(), bridge,
                network.mtu(), LinkMark.hostEnd(network.name(), endpoint.name()),
                LinkMark.containerEnd(network.name(), endpoint.name(), endpoint.srcName()));
    }

    private static EnsureSegment segment(NetworkConfig network, int k) {
        return new EnsureSegment(network.name(), k, bridge(network), segmentBridge(network, k), trunkMain(network, k),
                trunkSegment(network, k), network.mtu());
    }

    private static PruneSegments prune(NetworkConfig network, Set<Integer> keep) {
        Map<String, Integer> names = new java.util.HashMap<>();
        for (int k = 1; k <= MAX_SEGMENTS; k++) {
            names.put(segmentBridge(network, k), k);
            names.put(trunkMain(network, k), k);
            names.put(trunkSegment(network, k), k);
        }
        return new PruneSegments(network.name(), keep, names);
    }

    private static Set<Integer> segmentsOf(Collection<Endpoint> endpoints) {
        return endpoints.stream().map(Endpoint::segment).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Override
    public List<KernelTask> detach(NetworkConfig network, Endpoint endpoint) {
        DeleteLink veth = new DeleteLink(endpoint.hostVeth(), LinkMark.hostEnd(network.name(), endpoint.name()));
        if (endpoint.ports().isEmpty()) {
            return List.of(veth);
        }
        return List.of(new FirewallForwards(network.name(), endpoint.name(), List.of()), veth);
    }

    @Override
    public List<KernelTask> converge(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>();
        tasks.add(ensureBridge(network));
        Map<String, List<Forward>> forwards = new java.util.HashMap<>();
        endpoints.stream().filter(e -> !e.ports().isEmpty()).forEach(e -> forwards.put(e.name(), forwards(e)));
        tasks.add(new FirewallShare(rules(network), forwards));
        // a runtime's container ends are where the runtime put them (its sandboxes): never pulled back
        Set<String> inHost = network.runtimeManaged() ? Set.of() : endpoints.stream().filter(e -> e.namespace() == null)
                .map(Endpoint::hostVeth).collect(Collectors.toSet());
        Set<String> inNamespaces = endpoints.stream().filter(e -> e.namespace() != null).map(Endpoint::hostVeth)
                .collect(Collectors.toSet());
        Set<Integer> segments = segmentsOf(endpoints);
        segments.add(0);
        for (int k : segments) {
            List<EnsureVeth> veths = endpoints.stream().filter(e -> e.segment() == k).map(e -> veth(network, e)).toList();
            if (k == 0) {
                tasks.add(new BridgePorts(bridge(network), network.name(), veths, inHost, inNamespaces));
            } else {
                tasks.add(segment(network, k));
                tasks.add(new BridgePorts(segmentBridge(network, k), network.name(), veths, inHost, inNamespaces));
            }
        }
        tasks.add(prune(network, segments)); // segments a crash left without their endpoints
        return tasks;
    }

    static String bridge(NetworkConfig network) {
        return network.driverOptions().get(BRIDGE_NAME);
    }

    /** Segment {@code k}'s bridge: "nkb" + 12 hex of the segment's SHA-256 (names of ours fit IFNAMSIZ). */
    static String segmentBridge(NetworkConfig network, int k) {
        return "nkb" + segmentId(network, k);
    }

    /** The trunk's end on the first bridge. */
    static String trunkMain(NetworkConfig network, int k) {
        return "nkt" + segmentId(network, k);
    }

    /** The trunk's end on segment {@code k}'s bridge. */
    static String trunkSegment(NetworkConfig network, int k) {
        return "nku" + segmentId(network, k);
    }

    private static String segmentId(NetworkConfig network, int k) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((network.name() + "/segment " + k)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addGateway(List<String> out, AddressPool pool) {
        if (pool != null && pool.gateway() != null) {
            out.add(pool.gateway() + "/" + pool.cidr().length());
        }
    }

    static String defaultBridgeName(String networkName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(networkName.getBytes(StandardCharsets.UTF_8));
            return "nk-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
