package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.PlaceInterface;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.Placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A network type. Drivers are found with {@link java.util.ServiceLoader}: a new type is a class that
 * implements this interface plus a line in META-INF/services/dev.netkeeper.network.driver.NetworkDriver,
 * and, if it needs kernel work of its own, its own {@link KernelTask} records. The driver decides what
 * the kernel must look like; the network entity decides when (after journaling) and the netlink actor
 * makes it so. Every method is pure: no I/O, no kernel calls.
 */
public interface NetworkDriver {

    /** The canonical type name clients use ("bridge"). */
    String type();

    /** Other names accepted for this type ("simplebridge"). */
    default List<String> aliases() {
        return List.of();
    }

    /** Whether endpoints get addresses (and the network a subnet) from IPAM. */
    boolean assignsAddresses();

    /**
     * Whether one network of this type is one segment across hosts (the overlay): the directory allocates it a VNI
     * with its subnets, its default MTU leaves room for the encapsulation over the creating host's underlay, and
     * every host where it is used needs an underlay address.
     */
    default boolean spansHosts() {
        return false;
    }

    /** Whether endpoints get an interface at all (a veth for the bridge; nothing for null). */
    boolean createsInterfaces();

    /**
     * Validates the driver's own options and fills in its defaults.
     *
     * @throws dev.netkeeper.api.NetkeeperException INVALID_OPTION naming the bad option
     */
    Map<String, String> resolveOptions(String networkName, Map<String, String> options);

    /** Kernel state of the network itself (a bridge with the gateway addresses, up). */
    List<KernelTask> setUp(NetworkConfig network);

    /**
     * Kernel checks run on the network's first host before anything is journaled: the names this network
     * would take there are free, or already its own (e.g. no foreign link holds its bridge's name). They
     * change nothing; one that fails refuses the create.
     */
    default List<KernelTask> checkNames(String network, Map<String, String> driverOptions) {
        return List.of();
    }

    /** Removes the network's kernel state, endpoints included. */
    List<KernelTask> tearDown(NetworkConfig network, Collection<Endpoint> endpoints);

    /** Kernel state of one endpoint (a veth pair on the bridge; the container end left in the host). */
    List<KernelTask> attach(NetworkConfig network, Endpoint endpoint);

    /**
     * Kernel state of one endpoint whose interface is in a namespace: made there, configured as {@code placement}
     * says ({@code iface}: the interface with its final dstName). By default the two steps (made in the host, then
     * moved); a driver that can make the container end in its namespace directly does so (the bridge: one step).
     */
    default List<KernelTask> placeInto(NetworkConfig network, Endpoint endpoint, Placement placement) {
        List<KernelTask> tasks = new ArrayList<>(attach(network, endpoint));
        tasks.add(place(network, endpoint, placement));
        return tasks;
    }

    /** The container end, wherever it is now (host, or namespace), configured in its namespace. */
    static PlaceInterface place(NetworkConfig network, Endpoint endpoint, Placement placement) {
        return PlaceInterface.of(placement.id().path(), network.interfaceOf(endpoint).withDstName(placement.dstName()),
                placement.defaultRoute(), placement.defaultRouteIPv6(), placement.identity());
    }

    /** Removes one endpoint's kernel state, wherever its container end is. */
    List<KernelTask> detach(NetworkConfig network, Endpoint endpoint);

    /**
     * How many endpoints one host's kernel object of the network holds before the network grows by another
     * (a bridge: its ports); 0: no such limit. An endpoint's {@link Endpoint#segment} says which one holds it.
     */
    default int endpointsPerSegment(NetworkConfig network) {
        return 0;
    }

    /** The highest segment number a host may use (segments 0 to this); past it, a Link is refused QUOTA_EXCEEDED. */
    default int maxSegment(NetworkConfig network) {
        return Integer.MAX_VALUE;
    }

    /** Kernel work once {@code removed} is detached, {@code left} being the host's endpoints that remain. */
    default List<KernelTask> afterDetach(NetworkConfig network, Endpoint removed, Collection<Endpoint> left) {
        return List.of();
    }

    /**
     * Whether the network's endpoints may publish host ports; a Link or publish with ports on a network that cannot
     * is refused NOT_SUPPORTED.
     */
    default boolean publishes(NetworkConfig network) {
        return false;
    }

    /** Kernel work that makes the host forward exactly the endpoint's published ports ({@link Endpoint#ports}). */
    default List<KernelTask> publish(NetworkConfig network, Endpoint endpoint) {
        return List.of();
    }

    /** After a restart: the network and exactly these endpoints, nothing else of ours left over. */
    List<KernelTask> converge(NetworkConfig network, Collection<Endpoint> endpoints);
}
