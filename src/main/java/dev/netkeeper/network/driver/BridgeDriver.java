package dev.netkeeper.network.driver;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.KernelTaskSet;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.kernel.LinkNameFree;
import dev.netkeeper.netlink.InvalidNameException;
import dev.netkeeper.netlink.LinkName;
import dev.netkeeper.network.AddressPool;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;

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
 * detach = delete the host end (the kernel removes its peer wherever it is).
 */
public final class BridgeDriver implements NetworkDriver, KernelTaskSet {
    @Override
    public Map<String, Class<? extends KernelTask>> tasks() {
        return Map.of("bridge.ensure", EnsureBridge.class, "veth.ensure", EnsureVeth.class, "bridge.ports", BridgePorts.class);
    }

    /** Driver option: the bridge's name; default "nk-" + 8 hex chars of the network name's SHA-256. */
    public static final String BRIDGE_NAME = "bridge.name";

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
        for (String key : options.keySet()) {
            if (!key.equals(BRIDGE_NAME)) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "unknown bridge driver option '" + key
                        + "' (known: " + BRIDGE_NAME + ")");
            }
        }
        String bridge = options.getOrDefault(BRIDGE_NAME, defaultBridgeName(networkName));
        try {
            LinkName.check(bridge);
        } catch (InvalidNameException e) {
            throw new NetkeeperException(ErrorCode.INVALID_NAME, BRIDGE_NAME + ": " + e.getMessage());
        }
        return Map.of(BRIDGE_NAME, bridge);
    }

    @Override
    public List<KernelTask> setUp(NetworkConfig network) {
        List<String> gateways = new ArrayList<>();
        addGateway(gateways, network.ipv4());
        addGateway(gateways, network.ipv6());
        return List.of(new EnsureBridge(bridge(network), network.mtu(), gateways, LinkMark.bridge(network.name())));
    }

    @Override
    public List<KernelTask> checkNames(String network, Map<String, String> driverOptions) {
        return List.of(new LinkNameFree(driverOptions.get(BRIDGE_NAME), LinkMark.bridge(network)));
    }

    @Override
    public List<KernelTask> tearDown(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>();
        endpoints.forEach(e -> tasks.addAll(detach(network, e)));
        // and any port of the network's that the journal no longer lists (an unlink a crash cut)
        tasks.add(new BridgePorts(bridge(network), network.name(), List.of()));
        tasks.add(new DeleteLink(bridge(network), LinkMark.bridge(network.name())));
        return tasks;
    }

    @Override
    public List<KernelTask> attach(NetworkConfig network, Endpoint endpoint) {
        return List.of(veth(network, endpoint));
    }

    private static EnsureVeth veth(NetworkConfig network, Endpoint endpoint) {
        return new EnsureVeth(endpoint.hostVeth(), endpoint.srcName(), endpoint.macAddress(), bridge(network),
                network.mtu(), LinkMark.hostEnd(network.name(), endpoint.name()),
                LinkMark.containerEnd(network.name(), endpoint.name(), endpoint.srcName()));
    }

    @Override
    public List<KernelTask> detach(NetworkConfig network, Endpoint endpoint) {
        return List.of(new DeleteLink(endpoint.hostVeth(), LinkMark.hostEnd(network.name(), endpoint.name())));
    }

    @Override
    public List<KernelTask> converge(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>(setUp(network));
        Set<String> inHost = endpoints.stream().filter(e -> e.namespace() == null).map(Endpoint::hostVeth)
                .collect(Collectors.toSet());
        tasks.add(new BridgePorts(bridge(network), network.name(), endpoints.stream().map(e -> veth(network, e)).toList(),
                inHost));
        return tasks;
    }

    static String bridge(NetworkConfig network) {
        return network.driverOptions().get(BRIDGE_NAME);
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
