package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.EnsureVxlan;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.KernelTaskSet;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.kernel.LinkNameFree;
import dev.netkeeper.kernel.VxlanPeers;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.Placement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One network across hosts, as Docker's overlay: on each host where it is used, the bridge network of
 * {@link BridgeDriver} (same bridge, gateway address and gateway MAC on every host, so outbound traffic leaves
 * through the local host) plus a VXLAN device on that bridge (the network's VNI, UDP 4789, learning off, proxy on).
 * The other hosts' endpoints are reached through static FDB and neighbour entries on that device, which each host's
 * agent keeps equal to the cluster's endpoints (see dev.netkeeper.overlay): the device answers ARP and neighbour
 * solicitations for them itself, and nothing it does not know is flooded, so the gateway (whose address is
 * local everywhere) is never answered across hosts.
 */
public final class OverlayDriver implements NetworkDriver, KernelTaskSet {
    private final BridgeDriver bridge = new BridgeDriver();

    @Override
    public Map<String, Class<? extends KernelTask>> tasks() {
        return Map.of("overlay.vxlan", EnsureVxlan.class, "overlay.peers", VxlanPeers.class);
    }

    @Override
    public String type() {
        return "overlay";
    }

    @Override
    public boolean spansHosts() {
        return true;
    }

    @Override
    public boolean assignsAddresses() {
        return true;
    }

    @Override
    public boolean createsInterfaces() {
        return true;
    }

    /** The bridge driver's options (bridge.name, bridge.masquerade, bridge.isolated, ...): it is a bridge underneath. */
    @Override
    public Map<String, String> resolveOptions(String networkName, Map<String, String> options) {
        return bridge.resolveOptions(networkName, options);
    }

    @Override
    public List<KernelTask> checkNames(String network, Map<String, String> driverOptions) {
        List<KernelTask> checks = new ArrayList<>(bridge.checkNames(network, driverOptions));
        checks.add(new LinkNameFree(vxlanName(network), LinkMark.vxlan(network)));
        return checks;
    }

    @Override
    public List<KernelTask> setUp(NetworkConfig network) {
        List<KernelTask> tasks = new ArrayList<>(bridge.setUp(network));
        tasks.add(1, vxlan(network)); // right after the bridge it is a port of
        return tasks;
    }

    @Override
    public List<KernelTask> tearDown(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>();
        tasks.add(new DeleteLink(vxlanName(network.name()), LinkMark.vxlan(network.name())));
        tasks.addAll(bridge.tearDown(network, endpoints));
        return tasks;
    }

    @Override
    public List<KernelTask> attach(NetworkConfig network, Endpoint endpoint) {
        return bridge.attach(network, endpoint);
    }

    @Override
    public List<KernelTask> placeInto(NetworkConfig network, Endpoint endpoint, Placement placement) {
        return bridge.placeInto(network, endpoint, placement);
    }

    @Override
    public List<KernelTask> detach(NetworkConfig network, Endpoint endpoint) {
        return bridge.detach(network, endpoint);
    }

    @Override
    public int endpointsPerSegment(NetworkConfig network) {
        return bridge.endpointsPerSegment(network);
    }

    @Override
    public int maxSegment(NetworkConfig network) {
        return bridge.maxSegment(network);
    }

    @Override
    public List<KernelTask> afterDetach(NetworkConfig network, Endpoint removed, Collection<Endpoint> left) {
        return bridge.afterDetach(network, removed, left);
    }

    @Override
    public boolean publishes(NetworkConfig network) {
        return bridge.publishes(network);
    }

    @Override
    public List<KernelTask> publish(NetworkConfig network, Endpoint endpoint) {
        return bridge.publish(network, endpoint);
    }

    @Override
    public List<KernelTask> converge(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>(bridge.converge(network, endpoints));
        tasks.add(1, vxlan(network)); // the bridge is ensured first
        return tasks;
    }

    private static EnsureVxlan vxlan(NetworkConfig network) {
        return new EnsureVxlan(vxlanName(network.name()), network.name(), network.vni(), BridgeDriver.bridge(network),
                network.mtu());
    }

    /** The network's VXLAN device: "nkx" + 12 hex of a SHA-256 of the network's name (fits IFNAMSIZ). */
    public static String vxlanName(String network) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((network + "/vxlan").getBytes(StandardCharsets.UTF_8));
            return "nkx" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the device of {@code network} on this host must know: {@code peers}, the endpoints on other hosts. */
    public static VxlanPeers peers(NetworkConfig network, List<VxlanPeers.Peer> peers) {
        return new VxlanPeers(vxlanName(network.name()), network.name(), peers);
    }
}
